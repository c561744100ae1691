/**
 * ACCEPT with LAUNCH (Mesos `Master::accept`): the offers must be outstanding,
 * the framework's and on one agent, else every task is dropped with
 * REASON_INVALID_OFFERS; each task is validated against what is left of the
 * offers (TASK_ERROR / REASON_TASK_INVALID naming the bad field); valid tasks
 * are staged and sent to the agent; what is left is declined with the filter.
 */
import type { AgentId, TaskId } from '../ids.js';
import type { FrameworkRef, Operation, TaskInfo } from '../messages.js';
import { EMPTY_RESOURCES, add, equals, fits, formatResources, isEmpty, subtract, type Resources } from '../resources.js';
import { stateForFramework, type TaskReason, type TaskState } from '../task-state.js';
import { sendToFramework, type MasterCore } from './core.js';
import { refuseFilterMs, removeOffer } from './offers.js';
import { addTask, emitTaskUpdated, masterStatus } from './task-table.js';
import type { AgentRecord, FrameworkRecord, OfferRecord, TaskRecord } from './types.js';

/** The framework as agents need to know it. */
export function frameworkRef(framework: FrameworkRecord): FrameworkRef {
  return { frameworkId: framework.frameworkId, name: framework.name, schedulerNode: framework.node, partitionAware: framework.partitionAware };
}

/** Handles `scheduler.accept` from the framework's own scheduler. */
export function acceptOffers(
  core: MasterCore,
  framework: FrameworkRecord,
  request: { readonly offerIds: readonly string[]; readonly operations: readonly Operation[]; readonly refuseMs?: number },
): void {
  // A task this framework already launched is the same launch seen again (a duplicated or
  // retried ACCEPT): it must not touch the running task, nor fail it with TASK_ERROR or
  // TASK_DROPPED, which would make the scheduler replace a task that runs.
  const tasks = launchTasks(request.operations).filter((info) => !alreadyLaunched(core, framework, info));
  const taken = takeOffers(core, framework, request.offerIds);
  const nowMs = core.ctx.now();
  if (typeof taken === 'string') {
    const lostState: TaskState = framework.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST';
    for (const info of tasks) reportUnlaunched(core, framework, info, lostState, 'REASON_INVALID_OFFERS', taken);
    return;
  }
  const { agent, offers } = taken;
  let remaining = offers.reduce<Resources>((sum, offer) => add(sum, offer.resources), EMPTY_RESOURCES);
  const valid: TaskInfo[] = [];
  const invalid: Array<{ info: TaskInfo; problem: string }> = [];
  const seen = new Set<TaskId>();
  for (const info of tasks) {
    const problem = validateTask(core, info, agent.agentId, remaining, seen);
    if (problem !== null) {
      invalid.push({ info, problem });
      continue;
    }
    seen.add(info.taskId);
    remaining = subtract(remaining, info.resources);
    valid.push(info);
  }
  // Offers go before the tasks so that offered + used never counts a launch twice.
  const taskIds = valid.map((info) => info.taskId);
  for (const offer of offers) core.ctx.emit({ type: 'offer.accepted', offerId: offer.offerId, frameworkId: framework.frameworkId, taskIds });
  for (const { info, problem } of invalid) reportUnlaunched(core, framework, info, 'TASK_ERROR', 'REASON_TASK_INVALID', problem);
  for (const info of valid) stageTask(core, framework, agent, info);
  if (!isEmpty(remaining)) {
    const filterMs = refuseFilterMs(core.timing, request.refuseMs);
    core.allocator.recoverResources(framework.frameworkId, agent.agentId, remaining, filterMs, nowMs);
    if (filterMs > 0) core.ctx.emit({ type: 'offer.filtered', frameworkId: framework.frameworkId, agentId: agent.agentId, resources: remaining, refuseMs: filterMs });
  }
}

/**
 * Whether this exact task was launched before by the framework (the same id, agent, name,
 * command and resources: a duplicated or retried ACCEPT). A different task under a used id
 * is a scheduler bug and still gets TASK_ERROR.
 */
function alreadyLaunched(core: MasterCore, framework: FrameworkRecord, info: TaskInfo): boolean {
  const active = core.mem.tasks.get(info.taskId);
  // A completed task keeps only its id and agent: the same id on the same agent is the same launch.
  if (active?.frameworkId !== framework.frameworkId) return framework.completed.get(info.taskId)?.agentId === info.agentId;
  const before = active.info;
  return (
    before.agentId === info.agentId &&
    before.name === info.name &&
    before.command === info.command &&
    equals(before.resources, info.resources)
  );
}

function launchTasks(operations: readonly Operation[]): TaskInfo[] {
  // LAUNCH is the only operation modelled; a new kind will fail to compile here.
  return operations.flatMap((operation) => operation.tasks);
}

/**
 * Removes the named offers from the tables (they are used up either way) and
 * returns them with their agent, or the problem that invalidates the accept
 * (then the valid ones have gone back to the allocator unfiltered).
 */
function takeOffers(core: MasterCore, framework: FrameworkRecord, offerIds: readonly string[]): { agent: AgentRecord; offers: OfferRecord[] } | string {
  const offers: OfferRecord[] = [];
  let problem: string | null = offerIds.length === 0 ? 'no offers named' : null;
  for (const offerId of offerIds) {
    const offer = core.mem.offers.get(offerId);
    if (!offer || offer.frameworkId !== framework.frameworkId) {
      problem ??= `offer ${offerId} is not outstanding for this framework`;
      continue;
    }
    if (offers.includes(offer)) {
      problem ??= `offer ${offerId} is named twice`;
      continue;
    }
    const first = offers[0];
    if (first && first.agentId !== offer.agentId) problem ??= `offers ${first.offerId} and ${offerId} are on different agents`;
    offers.push(offer);
  }
  for (const offer of offers) removeOffer(core, offer);
  const agent = offers[0] ? core.mem.agents.get(offers[0].agentId) : undefined;
  if (problem === null && (!agent || agent.state !== 'registered')) problem = 'the offers\u2019 agent is not registered';
  if (problem !== null || !agent) {
    const nowMs = core.ctx.now();
    for (const offer of offers) {
      core.allocator.recoverResources(offer.frameworkId, offer.agentId, offer.resources, 0, nowMs);
      core.ctx.emit({ type: 'offer.declined', offerId: offer.offerId, frameworkId: offer.frameworkId, refuseMs: 0 });
    }
    return problem ?? 'no agent';
  }
  return { agent, offers };
}

/** The problem with a task, naming the field, or null when it can launch on `agentId` within `remaining`. */
export function validateTask(core: MasterCore, info: TaskInfo, agentId: AgentId, remaining: Resources, seen: ReadonlySet<TaskId>): string | null {
  if (!info.taskId) return 'taskId: missing';
  if (core.mem.tasks.has(info.taskId) || seen.has(info.taskId)) return `taskId: "${info.taskId}" is already in use`;
  if (!info.name) return 'name: missing';
  if (info.agentId !== agentId) return `agentId: "${info.agentId}" is not the offers' agent "${agentId}"`;
  if (isEmpty(info.resources)) return 'resources: empty';
  if (!fits(info.resources, remaining)) return `resources: needs ${formatResources(info.resources)}, the offers have ${formatResources(remaining)} left`;
  return null;
}

/** A task that never launched: `task.updated` and `master.update` with the master's verdict. */
function reportUnlaunched(core: MasterCore, framework: FrameworkRecord, info: TaskInfo, state: TaskState, reason: TaskReason, message: string): void {
  core.ctx.emit({
    type: 'task.updated',
    taskId: info.taskId,
    frameworkId: framework.frameworkId,
    agentId: info.agentId,
    state: stateForFramework(state, framework.partitionAware),
    reason,
    source: 'SOURCE_MASTER',
    message,
  });
  const status = masterStatus(core, framework, { taskId: info.taskId, agentId: info.agentId, state }, { reason, message });
  sendToFramework(core, framework, { type: 'master.update', epoch: core.epoch, status });
}

/** Records a valid task in TASK_STAGING and sends it to its agent. */
function stageTask(core: MasterCore, framework: FrameworkRecord, agent: AgentRecord, info: TaskInfo): void {
  const task: TaskRecord = {
    info,
    frameworkId: framework.frameworkId,
    agentId: agent.agentId,
    state: 'TASK_STAGING',
    reason: null,
    heardFromAgent: false,
    statusUuid: null,
    statusState: null,
    holdsResources: true,
    unreachableTimeMs: null,
  };
  addTask(core, task);
  core.ctx.emit({
    type: 'task.launched',
    taskId: info.taskId,
    frameworkId: framework.frameworkId,
    agentId: agent.agentId,
    name: info.name,
    resources: info.resources,
    labels: info.labels ?? {},
    epoch: core.epoch,
  });
  emitTaskUpdated(core, task, { reason: null, source: 'SOURCE_MASTER', message: null });
  core.ctx.send(agent.host, { type: 'master.run_task', epoch: core.epoch, framework: frameworkRef(framework), task: info });
}
