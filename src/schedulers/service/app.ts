/**
 * A service app (Marathon's AppDefinition, reduced to what matters for failure
 * handling) and the defaults that complete one.
 */
import type { Resources } from '../../core/resources.js';
import type { Timing } from '../../core/timing.js';
import {
  DEFAULT_FAILOVER_TIMEOUT_MS,
  DEFAULT_ROLE,
  DEFAULT_SERVICE_COMMAND,
  DEFAULT_TASK_RESOURCES,
  taskLaunchTimeoutMsOf,
} from '../defaults.js';

/**
 * Marathon's unreachableStrategy: a task unreachable for inactiveAfterMs no longer
 * counts (a replacement starts); after expungeAfterMs it is forgotten (killed if it
 * comes back). `disabled`: never replaced, never expunged.
 */
export type UnreachableStrategy = { readonly inactiveAfterMs: number; readonly expungeAfterMs: number } | 'disabled';

/** Which tasks go first when there are too many: Marathon's killSelection. */
export type KillSelection = 'YoungestFirst' | 'OldestFirst';

/** Every kill selection, for validation and help text. */
export const KILL_SELECTIONS: readonly KillSelection[] = ['YoungestFirst', 'OldestFirst'];

/** A long-running service kept at `instances` tasks. */
export interface ServiceApp {
  /** App (and framework) name; task ids are `<name>.<number>`, the scheduler node `scheduler-<name>`. */
  readonly name: string;
  readonly instances: number;
  /** Per task. */
  readonly resources: Resources;
  readonly command: string;
  readonly role: string;
  /** Whether the framework has the PARTITION_AWARE capability (TASK_UNREACHABLE instead of TASK_LOST). */
  readonly partitionAware: boolean;
  readonly failoverTimeoutMs: number;
  readonly unreachableStrategy: UnreachableStrategy;
  readonly killSelection: KillSelection;
  /** A task not RUNNING this long after launch is killed and replaced. */
  readonly taskLaunchTimeoutMs: number;
  /** Simulated run time of each task (null/unset: until killed). */
  readonly durationMs?: number | null;
  /** Simulated chance that a task fails. */
  readonly failureProbability?: number;
}

/** Deliberately broken behaviours, so the chaos checkers can prove they catch them. */
export interface ServiceBugs {
  /** Never replace unreachable or lost tasks (and never expunge them). */
  readonly ignoreUnreachable?: boolean;
  /** When an unreachable task comes back, keep both it and its replacement. */
  readonly neverKillSurplus?: boolean;
}

/** The unreachableStrategy a timing profile implies. */
export function defaultUnreachableStrategy(timing: Timing): UnreachableStrategy {
  return { inactiveAfterMs: timing.inactiveAfterMs, expungeAfterMs: Math.max(timing.expungeAfterMs, timing.inactiveAfterMs) };
}

/** Completes a partial app with the defaults (role `*`, partition-aware, 1 week failover, strategy from timing, YoungestFirst). */
export function serviceAppOf(input: Partial<ServiceApp> & { readonly name: string; readonly instances: number }, timing: Timing): ServiceApp {
  return {
    name: input.name,
    instances: input.instances,
    resources: input.resources ?? DEFAULT_TASK_RESOURCES,
    command: input.command ?? DEFAULT_SERVICE_COMMAND,
    role: input.role ?? DEFAULT_ROLE,
    partitionAware: input.partitionAware ?? true,
    failoverTimeoutMs: input.failoverTimeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS,
    unreachableStrategy: input.unreachableStrategy ?? defaultUnreachableStrategy(timing),
    killSelection: input.killSelection ?? 'YoungestFirst',
    taskLaunchTimeoutMs: input.taskLaunchTimeoutMs ?? taskLaunchTimeoutMsOf(timing),
    durationMs: input.durationMs ?? null,
    failureProbability: input.failureProbability ?? 0,
  };
}
