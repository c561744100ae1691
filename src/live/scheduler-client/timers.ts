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
