/**
 * Follows a daemon's event log while the daemon writes it: polls the file
 * (fs read at the last offset, every `intervalMs`, 25 ms by default), splits
 * what is new into lines, and hands each parsed entry to `onEntry`. A last
 * line without its newline is kept until the rest arrives (the writer's batch
 * may be cut by a read, or by a SIGKILL mid-write). A line that does not parse
 * is counted and skipped, never thrown. A file that does not exist yet is
 * waited for (a daemon creates it when it starts).
 *
 * Lines are split on the newline byte before decoding, so a multi-byte UTF-8
 * character cut by a read is joined again. A line longer than `maxLineBytes`
 * is dropped as malformed (bounded memory whatever the file holds).
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { FaultlineError } from '../../core/errors.js';
import { parseEventLine, type EventLogEntry } from './entry.js';

/** How a tail is set up. */
export interface EventLogTailOptions {
  readonly path: string;
  /** Where to start reading, in bytes (default 0: the whole file). */
  readonly offsetBytes?: number;
  /** Between polls once started (default 25 ms). */
  readonly intervalMs?: number;
  /** Every entry, in file order. */
  readonly onEntry: (entry: EventLogEntry) => void;
  /** A line that did not parse (already counted in `malformed`). */
  readonly onMalformed?: (line: string, error: FaultlineError) => void;
  /** The longest line kept (default 8 MiB). */
  readonly maxLineBytes?: number;
  /** Timers (default the global ones), injectable for tests. */
  readonly timers?: { readonly setTimeout: (fn: () => void, ms: number) => unknown; readonly clearTimeout: (handle: unknown) => void };
}

const READ_CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** A poller over one growing event-log file. */
export class EventLogTail {
  /** Entries handed to onEntry. */
  entries = 0;
  /** Lines skipped because they did not parse (or were too long, or were cut off at stop). */
  malformed = 0;
  private file: FileHandle | null = null;
  /** The file offset of the next byte to read. */
  private readAtBytes: number;
  /** Bytes of the line not yet ended by a newline. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** Inside a line too long to keep: skip to its newline. */
  private skipping = false;
  private timer: unknown = null;
  private running = false;
  private polling: Promise<number> | null = null;
  private readonly buffer = Buffer.alloc(READ_CHUNK_BYTES);

  constructor(private readonly options: EventLogTailOptions) {
    this.readAtBytes = options.offsetBytes ?? 0;
  }

  /** The offset just past the last complete line read: where a new tail would resume. */
  get offsetBytes(): number {
    return this.readAtBytes - this.partialBytes;
  }

  /** Starts polling every intervalMs (the first poll at once). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /**
   * Reads everything the file holds now; resolves with the number of entries
   * handed on. Concurrent calls share one read.
   */
  poll(): Promise<number> {
    this.polling ??= this.readAvailable().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /**
   * Stops polling after a last read. A line still without its newline then is
   * the writer's torn last write: counted as malformed (`final` false keeps it
   * for a later tail from `offsetBytes`).
   */
  async stop(options: { readonly final?: boolean } = {}): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.clearTimer();
    await this.poll();
    if ((options.final ?? true) && (this.partialBytes > 0 || this.skipping)) {
      if (!this.skipping) this.reject(Buffer.concat(this.partial).toString('utf8'), { code: 'PROTOCOL', message: 'the last line has no newline' });
      this.partial = [];
      this.partialBytes = 0;
      this.skipping = false;
    }
    const file = this.file;
    this.file = null;
    await file?.close().catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    const timers = this.options.timers ?? { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };
    this.timer = timers.setTimeout(() => {
      this.timer = null;
      if (!this.running) return;
      void this.poll().finally(() => {
        if (this.running) this.schedule(this.options.intervalMs ?? 25);
      });
    }, delayMs);
  }

  private clearTimer(): void {
    const timers = this.options.timers ?? { clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };
    timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private async readAvailable(): Promise<number> {
    if (this.file === null) {
      try {
        this.file = await open(this.options.path, 'r');
      } catch {
        return 0; // not there yet (or unreadable for now): the next poll tries again
      }
    }
    let handed = 0;
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await this.file.read(this.buffer, 0, this.buffer.length, this.readAtBytes));
      } catch {
        return handed;
      }
      if (bytesRead === 0) return handed;
      this.readAtBytes += bytesRead;
      handed += this.split(this.buffer.subarray(0, bytesRead));
    }
  }

  /** Hands on every line `chunk` completes; keeps the rest. */
  private split(chunk: Buffer): number {
    let handed = 0;
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      const line = this.partialBytes === 0 ? piece.toString('utf8') : Buffer.concat([...this.partial, piece]).toString('utf8');
      this.partial = [];
      this.partialBytes = 0;
      handed += this.take(line);
    }
    if (start < chunk.length) this.keep(Buffer.from(chunk.subarray(start)));
    return handed;
  }

  private keep(rest: Buffer): void {
    if (this.skipping) return;
    this.partial.push(rest);
    this.partialBytes += rest.length;
    if (this.partialBytes > (this.options.maxLineBytes ?? 8 * 1024 * 1024)) {
      this.reject(`${Buffer.concat(this.partial).subarray(0, 80).toString('utf8')}...`, { code: 'PROTOCOL', message: 'line too long' });
      this.partial = [];
      this.partialBytes = 0;
      this.skipping = true;
    }
  }

  private take(line: string): number {
    if (line.trim() === '') return 0;
    const parsed = parseEventLine(line);
    if (!parsed.ok) {
      this.reject(line, parsed.error);
      return 0;
    }
    this.entries += 1;
    this.options.onEntry(parsed.value);
    return 1;
  }

  private reject(line: string, error: FaultlineError): void {
    this.malformed += 1;
    this.options.onMalformed?.(line, error);
  }
}
