/**
 * Agent reregistration: a known agent reconnecting, an unreachable agent coming
 * back after a partition heals (registry: mark reachable, then re-add its tasks
 * and re-send their latest states with REASON_AGENT_REREGISTERED; nothing is
 * killed), an agent recovered from the registry after a master failover, and an
 * agent marked gone (told to shut down).
 */
import { assertNever } from '../errors.js';
import type { FrameworkId, NodeId, TaskId } from '../ids.js';
import type { AgentMessage, AgentTaskReport, RegistryOp, TaskReconciliation } from '../messages.js';
import { add, EMPTY_RESOURCES, type Resources } from '../resources.js';
import { afterWrite, sendToFramework, type MasterCore } from './core.js';
import { newAgentRecord, startPings } from './agents.js';
import { recoverFramework } from './frameworks.js';
import { isTerminal } from '../task-state.js';
import { addTask, completeTask, emitTaskUpdated, endedOnAgent, latestStatus } from './task-table.js';
import type { AgentRecord, TaskRecord } from './types.js';

/** The `agent.reregister` message. */
export type Reregistration = Extract<AgentMessage, { type: 'agent.reregister' }>;

/** Handles `agent.reregister`. */
export function reregisterAgent(core: MasterCore, from: NodeId, msg: Reregistration): void {
  const { mem } = core;
  if (from !== msg.host || mem.pendingAgents.has(msg.agentId)) return; // the agent retries
  const agent = mem.agents.get(msg.agentId);
  if (agent) {
    if (agent.busy) return;
    if (agent.state === 'registered') {
      readmit(core, agent, msg, { mode: 'reconnect' });
      return;
    }
    agent.busy = true;
    core.registry.write(
      [{ op: 'mark_reachable', agentId: agent.agentId }],
      afterWrite(core, 'mark reachable', () => {
        agent.busy = false;
        readmit(core, agent, msg, { mode: 'heal' });
      }),
    );
    return;
  }
  const entry = core.registry.agent(msg.agentId);
  const state = entry?.state;
  switch (state) {
    case 'gone':
      core.ctx.send(from, { type: 'master.shutdown_agent', epoch: core.epoch, reason: `agent ${msg.agentId} was marked gone` });
      return;
    case 'admitted':
      // Recovered after a master failover: already admitted, nothing to write.
      mem.recovered.delete(msg.agentId);
      readmit(core, null, msg, { mode: 'recovered' });
      return;
    case 'unreachable':
    case undefined: {
      // Unknown: e.g. garbage-collected from the registry; Mesos admits it again.
      const mode = state === 'unreachable' ? 'heal' : 'recovered';
      const op: RegistryOp = state === 'unreachable' ? { op: 'mark_reachable', agentId: msg.agentId } : { op: 'admit', agentId: msg.agentId, host: msg.host };
      mem.pendingAgents.add(msg.agentId);
      core.registry.write(
        [op],
        afterWrite(core, 'mark reachable', () => {
          mem.pendingAgents.delete(msg.agentId);
          mem.recovered.delete(msg.agentId);
          readmit(core, null, msg, { mode });
        }),
      );
      return;
    }
    default:
      assertNever(state, 'registry state');
  }
}

/**
 * How the agent comes back: `reconnect` (it was registered: only tasks the
 * master did not know are added), `heal` (it was unreachable: every reported
 * task is re-added and its latest state re-sent), `recovered` (new to this
 * master's memory after a failover: every reported task is added).
 */
interface ReadmitMode {
  readonly mode: 'reconnect' | 'heal' | 'recovered';
}

function readmit(core: MasterCore, existing: AgentRecord | null, msg: Reregistration, { mode }: ReadmitMode): void {
  const { mem, ctx } = core;
  const agent = existing ?? newAgentRecord(msg.agentId, msg);
  if (!existing) {
    mem.agents.set(agent.agentId, agent);
    mem.pingOrder = null;
  }
  const wasInAllocator = existing?.state === 'registered';
  agent.state = 'registered';
  agent.unreachableSinceMs = null;
  agent.resources = wasInAllocator ? agent.resources : msg.resources;
  agent.attributes = msg.attributes;
  mem.agentsByHost.set(agent.host, agent.agentId);
  ctx.emit({ type: 'agent.reregistered', agentId: agent.agentId, host: agent.host, resources: agent.resources, epoch: core.epoch });

  for (const ref of msg.frameworks) {
    if (!mem.frameworks.has(ref.frameworkId) && !mem.completedFrameworks.has(ref.frameworkId)) recoverFramework(core, ref);
  }
  const reported = new Map<TaskId, AgentTaskReport>();
  const shutdown = new Set<FrameworkId>();
  for (const report of msg.tasks) {
    if (mem.completedFrameworks.has(report.frameworkId)) shutdown.add(report.frameworkId);
    else if (mem.frameworks.has(report.frameworkId)) reported.set(report.task.taskId, report);
  }
  const reconciliations = unreportedTasks(core, agent, reported);

  const used = new Map<FrameworkId, Resources>();
  if (!wasInAllocator) {
    // Tasks being reconciled through the agent may yet run there: their resources stay taken until it answers.
    for (const r of reconciliations) {
      for (const taskId of r.taskIds) {
        const task = mem.tasks.get(taskId);
        if (!task) continue;
        task.holdsResources = true;
        used.set(task.frameworkId, add(used.get(task.frameworkId) ?? EMPTY_RESOURCES, task.info.resources));
      }
    }
  }
  for (const report of reported.values()) {
    const task = adoptReportedTask(core, agent, report, { mode });
    if (!task || !task.holdsResources) continue;
    if (wasInAllocator) core.allocator.addUsed(task.frameworkId, agent.agentId, task.info.resources);
    else used.set(task.frameworkId, add(used.get(task.frameworkId) ?? EMPTY_RESOURCES, task.info.resources));
  }
  ctx.send(agent.host, {
    type: 'master.agent_reregistered',
    epoch: core.epoch,
    masterId: core.masterId,
    agentId: agent.agentId,
    ...(reconciliations.length === 0 ? {} : { reconciliations }),
  });
  for (const frameworkId of shutdown) ctx.send(agent.host, { type: 'master.shutdown_framework', epoch: core.epoch, frameworkId });
  if (!wasInAllocator) core.allocator.addAgent(agent.agentId, agent.resources, used);
  startPings(core, agent);
}

/**
 * Tasks the master had on the agent that it no longer reports (a launch lost in
 * flight, or one that raced the reregistration): ended ones are completed; the
 * others are reconciled through the agent, as Mesos does (`reconcileKnownSlave`):
 * the agent answers each one it does not know with a reliable TASK_DROPPED
 * (TASK_LOST), so the framework hears it from the agent, with a uuid, and the
 * master keeps the task until then.
 */
function unreportedTasks(core: MasterCore, agent: AgentRecord, reported: ReadonlyMap<TaskId, AgentTaskReport>): TaskReconciliation[] {
  const byFramework = new Map<FrameworkId, TaskId[]>();
  for (const task of [...agent.tasks.values()]) {
    if (reported.has(task.info.taskId)) continue;
    if (endedOnAgent(task.state)) {
      completeTask(core, task);
      continue;
    }
    const ids = byFramework.get(task.frameworkId);
    if (ids) ids.push(task.info.taskId);
    else byFramework.set(task.frameworkId, [task.info.taskId]);
  }
  const out: TaskReconciliation[] = [];
  for (const [frameworkId, taskIds] of byFramework) {
    out.push({ frameworkId, partitionAware: core.mem.frameworks.get(frameworkId)?.partitionAware ?? true, taskIds });
  }
  return out;
}

/**
 * Records a reported task. Returns it when its resources are new to the
 * allocator, null when they are not (a known task on a reconnecting agent) or
 * when its id belongs to a task on another agent.
 */
function adoptReportedTask(core: MasterCore, agent: AgentRecord, report: AgentTaskReport, { mode }: ReadmitMode): TaskRecord | null {
  const known = core.mem.tasks.get(report.task.taskId);
  if (known && (known.agentId !== agent.agentId || known.frameworkId !== report.frameworkId)) return null;
  if (!known && wasCompleted(core, report)) {
    // A task the master already gave up (dropped, gone) that the agent runs anyway: kill it, do not revive it.
    if (!isTerminal(report.state)) core.ctx.send(agent.host, { type: 'master.kill_task', epoch: core.epoch, frameworkId: report.frameworkId, taskId: report.task.taskId });
    return null;
  }
  if (known && mode === 'reconnect') {
    known.heardFromAgent = true; // its own status updates carry any change of state
    return null;
  }
  const task: TaskRecord = known ?? {
    info: report.task,
    frameworkId: report.frameworkId,
    agentId: agent.agentId,
    state: report.state,
    reason: null,
    heardFromAgent: true,
    statusUuid: null,
    statusState: null,
    holdsResources: false,
    unreachableTimeMs: null,
  };
  if (!known) addTask(core, task);
  const changed = !known || known.state !== report.state;
  task.state = report.state;
  task.heardFromAgent = true;
  task.unreachableTimeMs = null;
  task.holdsResources = !endedOnAgent(report.state);
  if (changed) task.reason = 'REASON_AGENT_REREGISTERED';
  if (changed) emitTaskUpdated(core, task, { reason: 'REASON_AGENT_REREGISTERED', source: 'SOURCE_MASTER', message: null });
  const framework = core.mem.frameworks.get(task.frameworkId);
  if (mode === 'heal' && framework) {
    sendToFramework(core, framework, { type: 'master.update', epoch: core.epoch, status: latestStatus(core, framework, task, 'REASON_AGENT_REREGISTERED') });
  }
  return task;
}

/** Whether the master holds the reported task among its framework's completed tasks. */
function wasCompleted(core: MasterCore, report: AgentTaskReport): boolean {
  return core.mem.frameworks.get(report.frameworkId)?.completed.has(report.task.taskId) ?? false;
}
