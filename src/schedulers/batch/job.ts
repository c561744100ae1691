/**
 * A batch job: M tasks run to completion, each retried up to maxRetries times
 * when it fails or is gone. Its progress lives on the scheduler's disk.
 */
import type { AgentId, TaskId } from '../../core/ids.js';
import type { Resources } from '../../core/resources.js';
import type { Timing } from '../../core/timing.js';
import {
  DEFAULT_BATCH_DURATION_MS,
  DEFAULT_FAILOVER_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_ROLE,
  DEFAULT_TASK_RESOURCES,
  taskLaunchTimeoutMsOf,
} from '../defaults.js';

/** A job of `tasks` identical tasks. */
export interface BatchJob {
  /** Job (and framework) name; task ids are `<name>.<number>`. */
  readonly name: string;
  readonly tasks: number;
  /** Per task. */
  readonly resources: Resources;
  readonly command: string;
  readonly role: string;
  /** Simulated run time of each task. */
  readonly durationMs: number;
  /** Simulated chance that a task fails. */
  readonly failureProbability: number;
  /** Relaunches allowed per task after a failure or loss. */
  readonly maxRetries: number;
  /** Most tasks running at once (like a Kubernetes Job's parallelism); null = as many as fit. */
  readonly parallelism?: number | null;
  /** Default true. */
  readonly partitionAware?: boolean;
  /** Default one week. */
  readonly failoverTimeoutMs?: number;
  /** A task not RUNNING this long after launch is killed and retried (default from timing). */
  readonly taskLaunchTimeoutMs?: number;
}

/** Completes a partial job with defaults. */
export function batchJobOf(input: Partial<BatchJob> & { readonly name: string; readonly tasks: number }, timing: Timing): BatchJob {
  const durationMs = input.durationMs ?? DEFAULT_BATCH_DURATION_MS;
  return {
    name: input.name,
    tasks: input.tasks,
    resources: input.resources ?? DEFAULT_TASK_RESOURCES,
    command: input.command ?? `sleep ${Math.ceil(durationMs / 1000)}`,
    role: input.role ?? DEFAULT_ROLE,
    durationMs,
    failureProbability: input.failureProbability ?? 0,
    maxRetries: input.maxRetries ?? DEFAULT_MAX_RETRIES,
    parallelism: input.parallelism ?? null,
    partitionAware: input.partitionAware ?? true,
    failoverTimeoutMs: input.failoverTimeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS,
    taskLaunchTimeoutMs: input.taskLaunchTimeoutMs ?? taskLaunchTimeoutMsOf(timing),
  };
}

/** Where one of the job's M tasks stands. */
export type SlotStatus = 'pending' | 'running' | 'done' | 'failed';

/** One of the job's M tasks, across its attempts. */
export interface BatchSlot {
  readonly index: number;
  status: SlotStatus;
  /** Failed or lost attempts so far. */
  failures: number;
  /** The current attempt (null while pending or finished). */
  taskId: TaskId | null;
  agentId: AgentId | null;
  launchedAtMs: number;
  /** The current attempt missed its launch timeout and is being killed: it is retried once the kill is confirmed. */
  killing: boolean;
  /** When the current attempt's agent was marked unreachable (null while reachable). */
  unreachableSinceMs: number | null;
}

/** The durable part of a batch scheduler (lives on `SchedulerDisk.state`). */
export interface BatchState {
  readonly kind: 'batch';
  readonly job: string;
  readonly slots: BatchSlot[];
  /** Current attempts -> slot index. */
  readonly attempts: Map<TaskId, number>;
  /** Whether the completion note was written. */
  completed: boolean;
}

/** Whether a disk's opaque state is this job's batch state. */
export function isBatchState(value: unknown, job: string): value is BatchState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<BatchState>;
  return v.kind === 'batch' && v.job === job && Array.isArray(v.slots) && v.attempts instanceof Map;
}

/** A fresh state: every task pending. */
export function newBatchState(job: BatchJob): BatchState {
  const slots: BatchSlot[] = [];
  for (let index = 0; index < job.tasks; index += 1) slots.push({ index, status: 'pending', failures: 0, taskId: null, agentId: null, launchedAtMs: 0, killing: false, unreachableSinceMs: null });
  return { kind: 'batch', job: job.name, slots, attempts: new Map(), completed: false };
}

/** How far a job has got. */
export interface BatchProgress {
  readonly total: number;
  readonly pending: number;
  readonly running: number;
  readonly done: number;
  /** Gave up after maxRetries. */
  readonly failed: number;
  /** Every task is done or failed. */
  readonly complete: boolean;
}
