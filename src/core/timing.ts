/**
 * Timing profiles. `mesos` keeps the Mesos 1.11 defaults; `fast` shortens them
 * for demos and chaos runs. Every figure can be overridden by a scenario or flag.
 */
import { err, ok, type Result } from './errors.js';

/** All the timeouts and intervals the core uses, in milliseconds. */
export interface Timing {
  readonly profile: TimingProfileName;
  /** Master: batch allocation interval (`--allocation_interval`). */
  readonly allocationIntervalMs: number;
  /** Master: ping interval/timeout per agent (`--agent_ping_timeout`). */
  readonly agentPingTimeoutMs: number;
  /** Master: missed pings before an agent is marked unreachable (`--max_agent_ping_timeouts`). */
  readonly maxAgentPingTimeouts: number;
  /** Master: after failover, time for recovered agents to reregister (`--agent_reregister_timeout`). */
  readonly agentReregisterTimeoutMs: number;
  /** Master: share of recovered agents that may be marked unreachable before the master steps down instead. */
  readonly recoveryAgentRemovalLimit: number;
  /** Default `Filters.refuse_seconds`. */
  readonly defaultRefuseMs: number;
  /**
   * Master: an offer unanswered this long is rescinded (`--offer_timeout`, "for frameworks that
   * accidentally drop offers"); 0: offers never time out. Mesos has no default; the profiles set one
   * because the simulated network can lose a single offer without breaking the connection (PROTOCOL.md).
   */
  readonly offerTimeoutMs: number;
  /** Master -> scheduler heartbeat interval; a scheduler silent for 3 of these is disconnected. */
  readonly heartbeatIntervalMs: number;
  /** Agent: first status update retry; doubles up to the max. */
  readonly statusUpdateRetryMinMs: number;
  readonly statusUpdateRetryMaxMs: number;
  /** Agent: registration backoff factor (`--registration_backoff_factor`) and cap. */
  readonly registrationBackoffMs: number;
  readonly registrationBackoffMaxMs: number;
  /** Coordinator session timeout (`--zk_session_timeout`). */
  readonly sessionTimeoutMs: number;
  /** Built-in service scheduler: how often it reconciles implicitly. */
  readonly reconcileIntervalMs: number;
  /** Defaults of the service scheduler's unreachableStrategy. */
  readonly inactiveAfterMs: number;
  readonly expungeAfterMs: number;
}

/** The named profiles. */
export type TimingProfileName = 'mesos' | 'fast';

/** Mesos 1.11 defaults (and an offer timeout, which Mesos leaves unset: see `offerTimeoutMs`). */
export const MESOS_TIMING: Timing = Object.freeze({
  profile: 'mesos',
  allocationIntervalMs: 1_000,
  agentPingTimeoutMs: 15_000,
  maxAgentPingTimeouts: 5,
  agentReregisterTimeoutMs: 600_000,
  recoveryAgentRemovalLimit: 1.0,
  defaultRefuseMs: 5_000,
  offerTimeoutMs: 60_000,
  heartbeatIntervalMs: 15_000,
  statusUpdateRetryMinMs: 10_000,
  statusUpdateRetryMaxMs: 600_000,
  registrationBackoffMs: 1_000,
  registrationBackoffMaxMs: 60_000,
  sessionTimeoutMs: 10_000,
  reconcileIntervalMs: 600_000,
  inactiveAfterMs: 300_000,
  expungeAfterMs: 600_000,
});

/** Short timeouts for demos and chaos runs (ping 1 s x 3, reregister 10 s, session 2 s). */
export const FAST_TIMING: Timing = Object.freeze({
  profile: 'fast',
  allocationIntervalMs: 1_000,
  agentPingTimeoutMs: 1_000,
  maxAgentPingTimeouts: 3,
  agentReregisterTimeoutMs: 10_000,
  recoveryAgentRemovalLimit: 1.0,
  defaultRefuseMs: 5_000,
  offerTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  statusUpdateRetryMinMs: 1_000,
  statusUpdateRetryMaxMs: 60_000,
  registrationBackoffMs: 500,
  registrationBackoffMaxMs: 5_000,
  sessionTimeoutMs: 2_000,
  reconcileIntervalMs: 30_000,
  inactiveAfterMs: 0,
  expungeAfterMs: 60_000,
});

/** The profile by name. */
export const TIMING_PROFILES: Readonly<Record<TimingProfileName, Timing>> = { mesos: MESOS_TIMING, fast: FAST_TIMING };

/** The numeric fields of Timing (the ones that may be overridden). */
export type TimingOverrides = Partial<Omit<Timing, 'profile'>>;

/** A profile with overrides applied; every override must be a non-negative finite number. */
export function timingOf(profile: TimingProfileName, overrides: TimingOverrides = {}): Result<Timing> {
  const base = TIMING_PROFILES[profile];
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in base) || key === 'profile') return err('SPEC_INVALID', `unknown timing field "${key}"`, `timing.${key}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return err('SPEC_INVALID', `must be a non-negative number`, `timing.${key}`);
  }
  return ok({ ...base, ...overrides });
}

/** Time from an agent's last pong to it being marked unreachable. */
export function detectionMs(timing: Timing): number {
  return timing.agentPingTimeoutMs * timing.maxAgentPingTimeouts;
}
