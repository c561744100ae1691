/**
 * The clock and timers the scheduler client runs on, injected so a test can
 * drive them; `realTimers` is Node's.
 */

/** An opaque timer handle. */
export type TimerHandle = object;

/** Timers and a monotonic clock in milliseconds. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's timers and `performance.now()`. */
export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Retry backoff of the v1 clients: `retryIntervalMs` (default 1 s) doubling per failure, at most `maxBackoffMs` (default 15 s). */
export function backoffDelayMs(failures: number, options: { readonly retryIntervalMs?: number; readonly maxBackoffMs?: number }): number {
  return Math.min(options.maxBackoffMs ?? 15_000, (options.retryIntervalMs ?? 1000) * 2 ** Math.min(failures, 20));
}
