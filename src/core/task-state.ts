/**
 * Mesos task states and reasons (include/mesos/v1/mesos.proto), and the legal
 * transitions the state checker enforces.
 */

/** Every task state, with the TASK_ prefix as on the wire. */
export const TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;

/** A task state. */
export type TaskState = (typeof TASK_STATES)[number];

/** States only PARTITION_AWARE frameworks see; the others get TASK_LOST instead. */
export const PARTITION_AWARE_ONLY: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
]);

/** Truly terminal: the task will never run again. TASK_LOST is not here (it can come back). */
export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/** States in which the task is (or may still be) alive on its agent. */
export const ACTIVE_STATES: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);

/** Whether the state is terminal (TASK_LOST, TASK_UNREACHABLE and TASK_UNKNOWN are not). */
export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.has(state);
}

/** The state a framework sees: partition-aware-only states become TASK_LOST for the others. */
export function stateForFramework(state: TaskState, partitionAware: boolean): TaskState {
  return partitionAware || !PARTITION_AWARE_ONLY.has(state) ? state : 'TASK_LOST';
}

/** Reasons that matter for failure handling (v1 spelling). */
export const TASK_REASONS = [
  'REASON_AGENT_REMOVED',
  'REASON_AGENT_REMOVED_BY_OPERATOR',
  'REASON_AGENT_DISCONNECTED',
  'REASON_AGENT_REREGISTERED',
  'REASON_AGENT_RESTARTED',
  'REASON_AGENT_UNKNOWN',
  'REASON_RECONCILIATION',
  'REASON_FRAMEWORK_REMOVED',
  'REASON_TASK_INVALID',
  'REASON_TASK_KILLED_DURING_LAUNCH',
  'REASON_TASK_UNKNOWN',
  'REASON_RESOURCES_UNKNOWN',
  'REASON_INVALID_OFFERS',
  'REASON_COMMAND_EXECUTOR_FAILED',
  'REASON_EXECUTOR_TERMINATED',
  'REASON_MASTER_DISCONNECTED',
] as const;

/** A task status reason. */
export type TaskReason = (typeof TASK_REASONS)[number];

/** Who produced a status: the master (reconciliation, agent removal), the agent, or the executor. */
export type StatusSource = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

/**
 * Legal next states, as the agent/executor drives a task. The master may also
 * report UNREACHABLE/LOST/GONE* for any non-terminal task, and a task that was
 * LOST or UNREACHABLE may come back to its pre-partition state (RUNNING etc.).
 */
const NEXT: Record<TaskState, readonly TaskState[]> = {
  TASK_STAGING: ['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_LOST', 'TASK_GONE'],
  TASK_STARTING: ['TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_GONE'],
  TASK_RUNNING: ['TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_GONE'],
  TASK_KILLING: ['TASK_KILLED', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_LOST', 'TASK_GONE'],
  TASK_FINISHED: [],
  TASK_FAILED: [],
  TASK_KILLED: [],
  TASK_ERROR: [],
  TASK_DROPPED: [],
  TASK_GONE: [],
  TASK_GONE_BY_OPERATOR: [],
  TASK_LOST: ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_GONE'],
  TASK_UNREACHABLE: ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE'],
  TASK_UNKNOWN: ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_GONE'],
};

/** States the master may impose on any non-terminal task (partitions, reconciliation, agent removal). */
const MASTER_IMPOSED: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_LOST', 'TASK_UNREACHABLE', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN', 'TASK_DROPPED']);

/** Whether `from -> to` is a legal transition of a task's state (same state repeated is legal: resends). */
export function isLegalTransition(from: TaskState, to: TaskState): boolean {
  if (from === to) return true; // a resent or duplicated update
  if (isTerminal(from)) return false;
  if (MASTER_IMPOSED.has(to)) return true;
  return NEXT[from].includes(to);
}
