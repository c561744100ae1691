/**
 * The agent's two backoffs, as pure functions of the timing and a random draw:
 * registration (Mesos `doReliableRegistration`: a random wait in [0, bound], the
 * bound doubling up to a cap) and status update retries (Mesos
 * `TaskStatusUpdateManager`: 10 s doubling to 10 min, no jitter).
 */
import type { Timing } from '../timing.js';

/**
 * The shortest retry wait. A zero backoff factor is a legal timing override, but
 * retrying at the same virtual instant would spin the simulator in place.
 */
export const MIN_RETRY_DELAY_MS = 1;

/** A wait drawn uniformly from [0, boundMs], in whole milliseconds. */
export function jitteredDelayMs(boundMs: number, random: () => number): number {
  return Math.round(random() * boundMs);
}

/** The wait before the first (re)registration attempt after detecting a leader: random in [0, registrationBackoffMs]. */
export function firstRegistrationDelayMs(timing: Timing, random: () => number): number {
  return jitteredDelayMs(Math.min(timing.registrationBackoffMs, timing.registrationBackoffMaxMs), random);
}

/** The bound after one more attempt: doubled, capped at registrationBackoffMaxMs. */
export function nextRegistrationBoundMs(boundMs: number, timing: Timing): number {
  return Math.min(boundMs * 2, timing.registrationBackoffMaxMs);
}

/** The wait before the next registration attempt under `boundMs` (at least MIN_RETRY_DELAY_MS). */
export function registrationRetryDelayMs(boundMs: number, random: () => number): number {
  return Math.max(MIN_RETRY_DELAY_MS, jitteredDelayMs(boundMs, random));
}

/** The first status update retry interval (statusUpdateRetryMinMs, at least MIN_RETRY_DELAY_MS). */
export function firstStatusRetryMs(timing: Timing): number {
  return Math.max(MIN_RETRY_DELAY_MS, Math.min(timing.statusUpdateRetryMinMs, timing.statusUpdateRetryMaxMs));
}

/** The status update retry interval after one of `intervalMs` went unanswered: doubled, capped at statusUpdateRetryMaxMs. */
export function nextStatusRetryMs(intervalMs: number, timing: Timing): number {
  return Math.max(MIN_RETRY_DELAY_MS, Math.min(intervalMs * 2, timing.statusUpdateRetryMaxMs));
}
