/**
 * How the built-in frameworks read a task status, the way Marathon maps Mesos
 * states (MarathonTaskStatusMapping): TASK_LOST is not final when its reason says
 * the task might come back.
 */
import type { TaskStatus } from '../core/messages.js';
import { assertNever } from '../core/errors.js';
import type { TaskReason } from '../core/task-state.js';

/**
 * - `alive`: staging, starting, running or killing on a reachable agent.
 * - `unreachable`: the agent is out of contact; the task may still run and may come back.
 * - `gone`: it will not run again (finished, failed, killed, error, dropped, gone, unknown, lost for good).
 */
export type StatusClass = 'alive' | 'unreachable' | 'gone';

/**
 * TASK_LOST reasons after which a task may come back (Marathon's MightComeBack).
 * REASON_RECONCILIATION is here because a LOST first seen in a reconciliation hides
 * its original reason.
 */
export const LOST_MIGHT_COME_BACK: ReadonlySet<TaskReason> = new Set<TaskReason>([
  'REASON_AGENT_REMOVED',
  'REASON_AGENT_DISCONNECTED',
  'REASON_RECONCILIATION',
]);

/** Classifies a status for failure handling. */
export function classifyStatus(status: Pick<TaskStatus, 'state' | 'reason'>): StatusClass {
  switch (status.state) {
    case 'TASK_STAGING':
    case 'TASK_STARTING':
    case 'TASK_RUNNING':
    case 'TASK_KILLING':
      return 'alive';
    case 'TASK_UNREACHABLE':
      return 'unreachable';
    case 'TASK_LOST':
      return status.reason !== undefined && LOST_MIGHT_COME_BACK.has(status.reason) ? 'unreachable' : 'gone';
    case 'TASK_FINISHED':
    case 'TASK_FAILED':
    case 'TASK_KILLED':
    case 'TASK_ERROR':
    case 'TASK_DROPPED':
    case 'TASK_GONE':
    case 'TASK_GONE_BY_OPERATOR':
    case 'TASK_UNKNOWN': // Marathon: an instance the master does not know is gone (killed if it ever shows up)
      return 'gone';
    default:
      return assertNever(status.state, 'task state');
  }
}

/** `TASK_FAILED (REASON_...)` for notes. */
export function describeStatus(status: Pick<TaskStatus, 'state' | 'reason'>): string {
  return status.reason === undefined ? status.state : `${status.state} (${status.reason})`;
}
