/**
 * A daemon's event log (`--event-log FILE`): every ClusterEvent its core
 * actors emit, one JSON line each (entry.ts), appended to FILE (a restarted
 * daemon continues the same file). Lines are collected during one turn of the
 * event loop and written by one fs.writeSync on setImmediate, so a SIGKILL
 * loses at most the events of the turn it lands in, and a busy turn costs one
 * system call. `close()` and the process's `exit` write what is pending.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { err, ok, type Result } from '../../core/errors.js';
import type { ClusterEvent } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import { formatEventLine } from './entry.js';
import { createEpochClock, type EpochClock } from './epoch-clock.js';

/** How an event log is opened. */
export interface EventLogWriterOptions {
  readonly path: string;
  /** The flag the path came from, for the error's location (default `--event-log`). */
  readonly where?: string;
  /** Epoch ms with a fraction (default: createEpochClock()). */
  readonly clock?: EpochClock;
  /** Called once when a write fails; the log then stops writing (the daemon keeps running). */
  readonly onError?: (message: string) => void;
}

/** An open event log. */
export interface EventLogWriter {
  readonly path: string;
  /** Stamps `event` with the clock now and queues its line for the end of this turn. */
  append(node: NodeId, event: ClusterEvent): void;
  /** Writes what is queued now (synchronously). */
  flush(): void;
  /** Writes what is queued and closes the file; later appends are dropped. */
  close(): void;
}

/** Opens (creating, appending to) an event log; an IO error with the flag as location when it cannot be. */
export function openEventLogWriter(options: EventLogWriterOptions): Result<EventLogWriter> {
  let fd: number;
  try {
    fd = openSync(options.path, 'a');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return err('IO', `cannot open ${options.path} for appending: ${code}`, options.where ?? '--event-log');
  }
  const clock = options.clock ?? createEpochClock();
  let pending: string[] = [];
  let scheduled = false;
  let open = true;

  const fail = (error: unknown): void => {
    open = false;
    pending = [];
    process.off('exit', flush);
    try {
      closeSync(fd);
    } catch {
      // Already unusable.
    }
    options.onError?.(`event log ${options.path}: write failed: ${(error as NodeJS.ErrnoException).code ?? String(error)}; no more events are written`);
  };
  const flush = (): void => {
    scheduled = false;
    if (!open || pending.length === 0) return;
    const bytes = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    try {
      // A regular file takes the whole buffer at once; the loop covers a short write all the same.
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (error) {
      fail(error);
    }
  };
  process.on('exit', flush);

  return ok({
    path: options.path,
    append: (node, event) => {
      if (!open) return;
      pending.push(formatEventLine({ atEpochMs: clock(), node, event }));
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    close: () => {
      if (!open) return;
      flush();
      process.off('exit', flush);
      if (!open) return;
      open = false;
      try {
        closeSync(fd);
      } catch {
        // Nothing left to lose.
      }
    },
  });
}
