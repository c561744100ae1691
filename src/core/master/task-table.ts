/**
 * The task table: indexes (by id, by agent, by framework), resource release,
 * completion into the bounded per-framework list, and master-generated status
 * updates (no uuid, SOURCE_MASTER).
 */
import { assert } from '../errors.js';
import type { TaskStatus } from '../messages.js';
import { isTerminal, stateForFramework, type StatusSource, type TaskReason, type TaskState } from '../task-state.js';
import { sendToFramework, type MasterCore } from './core.js';
import type { FrameworkRecord, TaskRecord } from './types.js';

/** Whether the task is over on its agent: terminal, or TASK_LOST as the agent itself reports it. */
export function endedOnAgent(state: TaskState): boolean {
  return isTerminal(state) || state === 'TASK_LOST';
}

/** Indexes a task by id, agent and framework. The agent and framework must be in memory. */
export function addTask(core: MasterCore, task: TaskRecord): void {
  const agent = core.mem.agents.get(task.agentId);
  const framework = core.mem.frameworks.get(task.frameworkId);
  assert(agent && framework, `task ${task.info.taskId} needs its agent and framework in memory`);
  core.mem.tasks.set(task.info.taskId, task);
  agent.tasks.set(task.info.taskId, task);
  framework.tasks.set(task.info.taskId, task);
}

/** Gives the task's resources back to the allocator (once). */
export function releaseResources(core: MasterCore, task: TaskRecord): void {
  if (!task.holdsResources) return;
  task.holdsResources = false;
  core.allocator.recoverResources(task.frameworkId, task.agentId, task.info.resources, 0, core.ctx.now());
}

/** Removes a task from the active tables into its framework's bounded completed list. */
export function completeTask(core: MasterCore, task: TaskRecord): void {
  releaseResources(core, task);
  const { taskId } = task.info;
  core.mem.tasks.delete(taskId);
  core.mem.agents.get(task.agentId)?.tasks.delete(taskId);
  const framework = core.mem.frameworks.get(task.frameworkId);
  if (!framework) return;
  framework.tasks.delete(taskId);
  const completed = framework.completed;
  completed.delete(taskId); // a reused id moves to the newest position
  completed.set(taskId, { taskId, agentId: task.agentId, state: task.state, reason: task.reason });
  if (completed.size > core.limits.completedTasksPerFramework) {
    const oldest = completed.keys().next();
    if (!oldest.done) completed.delete(oldest.value);
  }
}

/** What a master-generated status carries besides the state. */
export interface MasterStatusFields {
  readonly reason: TaskReason | null;
  readonly message?: string;
  readonly unreachableTimeMs?: number | null;
}

/** A master-generated TaskStatus, with the state mapped for the framework. */
export function masterStatus(
  core: MasterCore,
  framework: FrameworkRecord,
  task: { readonly taskId: string; readonly agentId: string; readonly state: TaskState },
  fields: MasterStatusFields,
): TaskStatus {
  const state = stateForFramework(task.state, framework.partitionAware);
  return {
    taskId: task.taskId,
    frameworkId: framework.frameworkId,
    agentId: task.agentId,
    state,
    ...(fields.reason === null ? {} : { reason: fields.reason }),
    source: 'SOURCE_MASTER',
    ...(fields.message === undefined ? {} : { message: fields.message }),
    timestampMs: core.ctx.now(),
    // Set for TASK_LOST too when that is how a non-partition-aware framework sees TASK_UNREACHABLE (Mesos does).
    ...(task.state === 'TASK_UNREACHABLE' && fields.unreachableTimeMs != null ? { unreachableTimeMs: fields.unreachableTimeMs } : {}),
  };
}

/** Emits `task.updated` with the state as the task's framework sees it. */
export function emitTaskUpdated(
  core: MasterCore,
  task: TaskRecord,
  fields: { readonly reason: TaskReason | null; readonly source: StatusSource; readonly message: string | null },
): void {
  const framework = core.mem.frameworks.get(task.frameworkId);
  core.ctx.emit({
    type: 'task.updated',
    taskId: task.info.taskId,
    frameworkId: task.frameworkId,
    agentId: task.agentId,
    state: stateForFramework(task.state, framework?.partitionAware ?? true),
    reason: fields.reason,
    source: fields.source,
    message: fields.message,
  });
}

/**
 * The master imposes a state on a task (agent removed or restarted, dropped in
 * flight, framework removed): records it, emits `task.updated`, tells the
 * framework, and completes the task if the state is terminal (no ack will come).
 */
export function imposeState(core: MasterCore, task: TaskRecord, state: TaskState, fields: MasterStatusFields): void {
  task.state = state;
  task.reason = fields.reason;
  // The imposed state is what reconciliation answers now (Mesos moves such a task out of the active ones).
  task.statusState = null;
  task.statusUuid = null;
  if (fields.unreachableTimeMs != null) task.unreachableTimeMs = fields.unreachableTimeMs;
  emitTaskUpdated(core, task, { reason: fields.reason, source: 'SOURCE_MASTER', message: fields.message ?? null });
  const framework = core.mem.frameworks.get(task.frameworkId);
  if (framework) {
    const status = masterStatus(core, framework, { taskId: task.info.taskId, agentId: task.agentId, state }, fields);
    sendToFramework(core, framework, { type: 'master.update', epoch: core.epoch, status });
  }
  if (isTerminal(state)) completeTask(core, task);
}

/**
 * A known task's state as a reconciliation-style reply (no uuid, SOURCE_MASTER):
 * the state of the newest update forwarded from its agent when there is one
 * (Mesos `status_update_state`), else the master's latest state.
 */
export function latestStatus(core: MasterCore, framework: FrameworkRecord, task: TaskRecord, reason: TaskReason): TaskStatus {
  const state = task.statusState ?? task.state;
  return masterStatus(core, framework, { taskId: task.info.taskId, agentId: task.agentId, state }, { reason, unreachableTimeMs: task.unreachableTimeMs });
}
