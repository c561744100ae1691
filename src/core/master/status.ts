/**
 * Status updates from agents, acknowledgements from schedulers, and KILL.
 * The master records the agent's latest state, forwards the update (state mapped
 * for non-partition-aware frameworks) and relays the ack; a task leaves the
 * active table when its terminal update is acknowledged.
 */
import type { AgentId, NodeId, StatusUuid, TaskId } from '../ids.js';
import type { StatusUpdate } from '../messages.js';
import { stateForFramework, isTerminal } from '../task-state.js';
import { sendToFramework, type MasterCore } from './core.js';
import { reconcileTask } from './reconcile.js';
import { completeTask, emitTaskUpdated, endedOnAgent, latestStatus } from './task-table.js';
import type { FrameworkRecord } from './types.js';

/** Handles `agent.status_update` from a registered agent. */
export function onStatusUpdate(core: MasterCore, from: NodeId, agentId: AgentId, update: StatusUpdate): void {
  const { mem, ctx } = core;
  const agent = mem.agents.get(agentId);
  // An agent the master does not count as registered keeps retrying; it reregisters first.
  if (!agent || agent.host !== from || agent.state !== 'registered' || agent.busy) return;
  const { status, latestState, frameworkId } = update;
  const framework = mem.frameworks.get(frameworkId);
  if (!framework) {
    if (mem.completedFrameworks.has(frameworkId)) ctx.send(from, { type: 'master.shutdown_framework', epoch: core.epoch, frameworkId });
    return;
  }
  const task = mem.tasks.get(status.taskId);
  // A terminal state in the active table is the agent's own latest state (the master completes what it
  // imposes at once), so only a completed task counts as given up.
  const givenUp = task === undefined && framework.completed.has(status.taskId);
  if (givenUp) {
    // The master already gave this task up (e.g. DROPPED when the agent reregistered without it) and
    // the agent runs it anyway (a launch that arrived late): the table stays terminal, the task is killed.
    if (!isTerminal(latestState)) ctx.send(from, { type: 'master.kill_task', epoch: core.epoch, frameworkId, taskId: status.taskId });
  } else if (task && task.agentId === agentId && task.frameworkId === frameworkId) {
    task.heardFromAgent = true;
    task.statusUuid = status.uuid ?? null;
    task.statusState = status.state;
    if (task.state !== latestState) {
      // Mesos records the agent's latest state; the forwarded status may be an older one still unacknowledged.
      const current = status.state === latestState;
      task.state = latestState;
      task.reason = current ? (status.reason ?? null) : null;
      emitTaskUpdated(core, task, {
        reason: task.reason,
        source: current ? status.source : 'SOURCE_AGENT',
        message: current ? (status.message ?? null) : null,
      });
    }
    if (endedOnAgent(latestState)) {
      if (task.holdsResources) {
        task.holdsResources = false;
        core.allocator.recoverResources(frameworkId, agentId, task.info.resources, 0, ctx.now());
      }
      // Without a uuid no acknowledgement will come.
      if (status.uuid === undefined && endedOnAgent(status.state)) completeTask(core, task);
    }
  }
  // Forwarded even for a task the master does not know, so the scheduler can acknowledge it and the agent stop retrying.
  const forwarded = { ...status, state: stateForFramework(status.state, framework.partitionAware) };
  sendToFramework(core, framework, { type: 'master.update', epoch: core.epoch, status: forwarded });
}

/** What a scheduler acknowledges. */
export interface Acknowledgement {
  readonly agentId: AgentId;
  readonly taskId: TaskId;
  readonly uuid: StatusUuid;
}

/** Handles `scheduler.acknowledge`: completes a task whose terminal update it is, relays the ack to the agent. */
export function onAcknowledge(core: MasterCore, framework: FrameworkRecord, ack: Acknowledgement): void {
  const task = core.mem.tasks.get(ack.taskId);
  if (task && task.frameworkId === framework.frameworkId && task.statusUuid === ack.uuid && task.statusState !== null && endedOnAgent(task.statusState)) {
    completeTask(core, task);
  }
  const agent = core.mem.agents.get(ack.agentId);
  if (!agent || agent.state !== 'registered' || agent.busy) return; // the agent resends after it reregisters
  core.ctx.send(agent.host, {
    type: 'master.status_update_ack',
    epoch: core.epoch,
    frameworkId: framework.frameworkId,
    taskId: ack.taskId,
    uuid: ack.uuid,
  });
}

/**
 * Handles `scheduler.kill`: a known task on a registered agent is killed there;
 * one on an unreachable agent cannot be, so the framework hears its latest state;
 * an unknown task is answered like an explicit reconciliation.
 */
export function onKill(core: MasterCore, framework: FrameworkRecord, request: { readonly taskId: TaskId; readonly agentId?: AgentId }): void {
  const task = core.mem.tasks.get(request.taskId);
  if (!task || task.frameworkId !== framework.frameworkId) {
    reconcileTask(core, framework, request);
    return;
  }
  const agent = core.mem.agents.get(task.agentId);
  if (agent && agent.state === 'registered' && !agent.busy) {
    core.ctx.send(agent.host, { type: 'master.kill_task', epoch: core.epoch, frameworkId: framework.frameworkId, taskId: task.info.taskId });
    return;
  }
  sendToFramework(core, framework, { type: 'master.update', epoch: core.epoch, status: latestStatus(core, framework, task, 'REASON_RECONCILIATION') });
}
