/**
 * Writing histories as JSONL: all at once, or streaming for long runs (the
 * 500,000-task benchmark writes millions of lines; nothing is held but a 64 KB
 * buffer). File-system trouble becomes a typed 'IO' error naming the file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { err, ok, type Result } from '../../core/errors.js';
import type { HistoryRecord } from '../../core/events.js';
import { canonicalLine } from './canonical.js';
import type { HistoryHasher } from './hasher.js';

const FLUSH_AT_CHARS = 64 * 1024;

/** Options of a streaming writer. */
export interface HistoryWriterOptions {
  /** Also feed every line to this hasher (one stringify for both). */
  readonly hasher?: HistoryHasher;
}

/** Appends records to a JSONL file; errors are kept and reported by `close`. */
export class HistoryWriter {
  private buffer: string[] = [];
  private bufferedChars = 0;
  private lineCount = 0;
  private failure: string | null = null;
  private fd: number | null;

  private constructor(
    private readonly path: string,
    fd: number,
    private readonly hasher: HistoryHasher | undefined,
  ) {
    this.fd = fd;
  }

  /** Creates (or truncates) the file. */
  static open(path: string, options: HistoryWriterOptions = {}): Result<HistoryWriter> {
    try {
      return ok(new HistoryWriter(path, openSync(path, 'w'), options.hasher));
    } catch (e) {
      return err('IO', `cannot write: ${(e as Error).message}`, path);
    }
  }

  /** Appends one record. */
  write(record: HistoryRecord): void {
    if (this.fd === null) throw new Error(`assertion failed: history writer for ${this.path} used after close`);
    const line = canonicalLine(record);
    this.hasher?.addLine(line);
    this.buffer.push(line, '\n');
    this.bufferedChars += line.length + 1;
    this.lineCount += 1;
    if (this.bufferedChars >= FLUSH_AT_CHARS) this.flush();
  }

  /** Lines written so far. */
  get lines(): number {
    return this.lineCount;
  }

  /** Flushes and closes; the number of lines, or the first error met on the way. */
  close(): Result<number> {
    if (this.fd === null) return this.failure === null ? ok(this.lineCount) : err('IO', this.failure, this.path);
    this.flush();
    try {
      closeSync(this.fd);
    } catch (e) {
      this.failure ??= `cannot close: ${(e as Error).message}`;
    }
    this.fd = null;
    return this.failure === null ? ok(this.lineCount) : err('IO', this.failure, this.path);
  }

  private flush(): void {
    if (this.bufferedChars === 0 || this.fd === null) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.bufferedChars = 0;
    if (this.failure !== null) return;
    try {
      // write(2) may write less than asked: loop until the chunk is out.
      const bytes = Buffer.from(chunk, 'utf8');
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      this.failure = `cannot write: ${(e as Error).message}`;
    }
  }
}

/** Writes a whole history; the number of lines written. */
export function writeHistory(path: string, records: Iterable<HistoryRecord>, options: HistoryWriterOptions = {}): Result<number> {
  const opened = HistoryWriter.open(path, options);
  if (!opened.ok) return opened;
  for (const record of records) opened.value.write(record);
  return opened.value.close();
}
