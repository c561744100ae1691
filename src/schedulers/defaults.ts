/**
 * Defaults and derived figures shared by the built-in frameworks, with where
 * each comes from (Marathon, mesos-execute) or how it is derived from Timing.
 */
import { resources, type Resources } from '../core/resources.js';
import { detectionMs, type Timing } from '../core/timing.js';

/** Mesos's default role. */
export const DEFAULT_ROLE = '*';
/** One week: the Mesos HA framework guide's recommendation (Mesos itself defaults to 0). */
export const DEFAULT_FAILOVER_TIMEOUT_MS = 7 * 24 * 3_600_000;
/** A task that runs until killed (the simulator reads `durationMs: null`; the live executor runs the command). */
export const DEFAULT_SERVICE_COMMAND = 'sleep infinity';
/** Marathon's and mesos-execute's default task size: `cpus:1;mem:128`. */
export const DEFAULT_TASK_RESOURCES: Resources = resources({ cpus: 1, mem: 128 });
/** Marathon's `--task_launch_timeout` (5 min). */
export const MARATHON_TASK_LAUNCH_TIMEOUT_MS = 300_000;
/** Marathon's `--decline_offer_duration` (120 s): how long an offer it does not need stays away. */
export const UNNEEDED_OFFER_REFUSE_MS = 120_000;
/** Retries before a batch task gives up, by default. */
export const DEFAULT_MAX_RETRIES = 3;
/** How long a batch task runs by default. */
export const DEFAULT_BATCH_DURATION_MS = 10_000;
/** Upper bound on instances / tasks accepted from user input (a typo guard, not a design limit). */
export const MAX_INSTANCES = 1_000_000;

/**
 * Time a task may stay STAGING/STARTING before it is killed and replaced: Marathon's
 * 5 min in the mesos profile; otherwise long enough for a status update to be lost
 * once and a partition to be detected twice, and at least ten allocation intervals.
 */
export function taskLaunchTimeoutMsOf(timing: Timing): number {
  if (timing.profile === 'mesos') return MARATHON_TASK_LAUNCH_TIMEOUT_MS;
  return Math.max(10 * timing.allocationIntervalMs, 2 * detectionMs(timing) + timing.statusUpdateRetryMinMs);
}

/**
 * How often an unconfirmed kill is sent again, at a constant interval like
 * Marathon's `--kill_retry_timeout` (10 s): here five allocation intervals (at
 * least 1 s). A constant interval bounds how long a surplus whose kill was lost
 * runs on (the overlap checker's grace follows it); a backoff would not.
 */
export function killRetryMsOf(timing: Timing): number {
  return Math.max(5 * timing.allocationIntervalMs, 1_000);
}

/**
 * While a framework needs offers and none come, REVIVE is repeated (Marathon's
 * `--revive_offers_repetitions`): a lost REVIVE must not leave it waiting forever.
 */
export function reviveRepeatMsOf(timing: Timing): number {
  return Math.max(timing.defaultRefuseMs, 2 * timing.allocationIntervalMs, 1_000);
}
