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

/** The two states of a client with a stream open: waiting for its first answer, or subscribed and watching for silence. */
export type OpenStream =
  | { readonly kind: 'subscribing'; readonly stream: { close(): void }; readonly timer: TimerHandle }
  | { readonly kind: 'subscribed'; readonly stream: { close(): void }; readonly silenceTimer: TimerHandle };

/**
 * Closes a client's stream and cancels the timer that watches it (the v1
 * scheduler client and the operator client keep the same two states);
 * false when `state` has no stream open, so the caller leaves it as it is.
 */
export function closeOpenStream(state: OpenStream | { readonly kind: 'idle' | 'resolving' | 'waiting' | 'stopped' }, timers: Timers): boolean {
  switch (state.kind) {
    case 'subscribing':
      timers.clearTimeout(state.timer);
      state.stream.close();
      return true;
    case 'subscribed':
      timers.clearTimeout(state.silenceTimer);
      state.stream.close();
      return true;
    default:
      return false;
  }
}
