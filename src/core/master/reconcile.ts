/**
 * Reconciliation (Mesos `Master::reconcile`, docs/reconciliation.md). Replies
 * carry no uuid, REASON_RECONCILIATION and SOURCE_MASTER.
 *
 * | task                   | agent                              | partition-aware       | others    |
 * |------------------------|------------------------------------|-----------------------|-----------|
 * | known                  | any                                | status update state   | mapped    |
 * | unknown (or completed) | recovered, not yet reregistered    | no reply              | no reply  |
 * | unknown                | not named, some agent recovered    | no reply              | no reply  |
 * | unknown                | registered                         | TASK_GONE             | TASK_LOST |
 * | unknown                | unreachable                        | TASK_UNREACHABLE      | TASK_LOST |
 * | unknown                | gone                               | TASK_GONE_BY_OPERATOR | TASK_LOST |
 * | unknown                | unknown (or not named)             | TASK_UNKNOWN          | TASK_LOST |
 *
 * "Status update state" is the state of the newest update forwarded from the
 * agent, which may be older than the task's latest state while the agent still
 * waits for its acknowledgement (Mesos `Task::status_update_state`): a framework
 * never hears a later state before the retried earlier one. A task that ended
 * and was acknowledged is unknown, as in Mesos (only active tasks are looked
 * up): its agent decides the answer, so an old terminal state is never replayed.
 * With no agent named and agents still expected to reregister after a failover,
 * the task may be on one of them: no reply, the framework asks again.
 *
 * An agent whose registry write is in flight is in transition: no reply (Mesos
 * does the same), the framework asks again.
 */
import { assertNever } from '../errors.js';
import type { ReconcileTask, TaskStatus } from '../messages.js';
import type { TaskState } from '../task-state.js';
import { sendToFramework, type MasterCore } from './core.js';
import { latestStatus, masterStatus } from './task-table.js';
import type { FrameworkRecord } from './types.js';

const REASON = 'REASON_RECONCILIATION' as const;

/** Handles `scheduler.reconcile`: an empty list asks for every task the master knows for the framework. */
export function onReconcile(core: MasterCore, framework: FrameworkRecord, tasks: readonly ReconcileTask[]): void {
  if (tasks.length === 0) {
    for (const task of framework.tasks.values()) {
      sendToFramework(core, framework, { type: 'master.update', epoch: core.epoch, status: latestStatus(core, framework, task, REASON) });
    }
    return;
  }
  for (const request of tasks) reconcileTask(core, framework, request);
}

/** Answers for one task, if the matrix has an answer. */
export function reconcileTask(core: MasterCore, framework: FrameworkRecord, request: ReconcileTask): void {
  const status = reconcileStatus(core, framework, request);
  if (status) sendToFramework(core, framework, { type: 'master.update', epoch: core.epoch, status });
}

/** The reply for one task, or null for "no reply". */
export function reconcileStatus(core: MasterCore, framework: FrameworkRecord, request: ReconcileTask): TaskStatus | null {
  const task = core.mem.tasks.get(request.taskId);
  if (task && task.frameworkId === framework.frameworkId) return latestStatus(core, framework, task, REASON);
  const answer = unknownTaskAnswer(core, request.agentId);
  if (answer === null) return null;
  const agentId = request.agentId ?? '';
  return masterStatus(core, framework, { taskId: request.taskId, agentId, state: answer.state }, { reason: REASON, unreachableTimeMs: answer.unreachableTimeMs });
}

/** The partition-aware answer for a task the master does not know, by where its agent is. */
function unknownTaskAnswer(core: MasterCore, agentId: string | undefined): { state: TaskState; unreachableTimeMs: number | null } | null {
  if (agentId === undefined) return core.mem.recovered.size > 0 ? null : { state: 'TASK_UNKNOWN', unreachableTimeMs: null };
  const agent = core.mem.agents.get(agentId);
  if (agent?.busy || core.mem.pendingAgents.has(agentId) || core.mem.recovered.has(agentId)) return null;
  if (agent && agent.state === 'registered') return { state: 'TASK_GONE', unreachableTimeMs: null };
  if (agent && agent.state === 'unreachable') return { state: 'TASK_UNREACHABLE', unreachableTimeMs: agent.unreachableSinceMs };
  const entry = core.registry.agent(agentId);
  const state = entry?.state;
  switch (state) {
    case 'unreachable':
      return { state: 'TASK_UNREACHABLE', unreachableTimeMs: entry?.sinceMs ?? null };
    case 'gone':
      return { state: 'TASK_GONE_BY_OPERATOR', unreachableTimeMs: null };
    case 'admitted':
      // Admitted but in no table: its admission is still completing; like recovered, wait.
      return null;
    case undefined:
      return { state: 'TASK_UNKNOWN', unreachableTimeMs: null };
    default:
      return assertNever(state, 'registry state');
  }
}
