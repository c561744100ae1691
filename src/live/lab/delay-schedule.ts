/**
 * When a delay proxy delivers each chunk, for one direction of one
 * connection. Pure (the caller passes the time), so ordering and
 * backpressure are unit-tested without sockets.
 *
 * - A chunk read at `now` with a drawn delay `d` is due at
 *   max(now + d, the previous chunk's due time): jitter never reorders a
 *   byte stream, as TCP itself would not.
 * - Bytes waiting (read, not yet delivered) are counted: above the high-water
 *   mark the source should be paused, and resumed once half of it is left
 *   (hysteresis, so a busy link does not pause and resume on every chunk).
 */

/** Pause the source when more than this many bytes are waiting in one direction. */
export const DEFAULT_HIGH_WATER_BYTES = 1024 * 1024;

/** Something waiting with its size. */
export interface Sized {
  readonly byteLength: number;
}

/** A chunk and when it is due. */
export interface Scheduled<T> {
  readonly item: T;
  readonly dueMs: number;
}

/** What pushing a chunk decided. */
export interface PushOutcome {
  readonly dueMs: number;
  /** True when this push took the waiting bytes above the high-water mark: pause the source now. */
  readonly pause: boolean;
}

/** What taking the due chunks decided. */
export interface TakeOutcome<T> {
  readonly due: T[];
  /** True when the source was paused and enough has drained: resume it now. */
  readonly resume: boolean;
}

/** One direction's queue: chunks in read order, due times never decreasing. */
export interface DelaySchedule<T extends Sized> {
  /** Queues a chunk read at `nowMs` with a drawn delay (negative or non-finite counts as 0). */
  push(item: T, nowMs: number, delayMs: number): PushOutcome;
  /** Removes and returns, in order, every chunk due at `nowMs`. */
  take(nowMs: number): TakeOutcome<T>;
  /** When the next chunk is due, or null when none waits. */
  nextDueMs(): number | null;
  /** Bytes read and not yet taken. */
  waitingBytes(): number;
  /** Whether the source should be paused now. */
  paused(): boolean;
  /** Drops everything waiting (the connection is gone or cut off). */
  clear(): void;
}

/** A fresh schedule for one direction. */
export function createDelaySchedule<T extends Sized>(options: { highWaterBytes?: number } = {}): DelaySchedule<T> {
  const highWaterBytes = options.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES;
  const queue: Scheduled<T>[] = [];
  let head = 0;
  let lastDueMs = -Infinity;
  let waiting = 0;
  let isPaused = false;

  return {
    push(item, nowMs, delayMs) {
      const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
      const dueMs = Math.max(nowMs + delay, lastDueMs);
      lastDueMs = dueMs;
      queue.push({ item, dueMs });
      waiting += item.byteLength;
      const pause = !isPaused && waiting > highWaterBytes;
      if (pause) isPaused = true;
      return { dueMs, pause };
    },
    take(nowMs) {
      const due: T[] = [];
      while (head < queue.length && (queue[head] as Scheduled<T>).dueMs <= nowMs) {
        const next = queue[head] as Scheduled<T>;
        due.push(next.item);
        waiting -= next.item.byteLength;
        head += 1;
      }
      // Compact now and then so a long-lived connection's queue does not grow without end.
      if (head > 1024 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      const resume = isPaused && waiting <= highWaterBytes / 2;
      if (resume) isPaused = false;
      return { due, resume };
    },
    nextDueMs() {
      return head < queue.length ? (queue[head] as Scheduled<T>).dueMs : null;
    },
    waitingBytes() {
      return waiting;
    },
    paused() {
      return isPaused;
    },
    clear() {
      queue.length = 0;
      head = 0;
      waiting = 0;
      isPaused = false;
    },
  };
}
