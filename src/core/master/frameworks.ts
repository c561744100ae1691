/**
 * Frameworks: SUBSCRIBE (new, failover to a new scheduler node, or re-admission
 * under an id this master does not know), heartbeats both ways, disconnection
 * after 3 silent heartbeat intervals, teardown after failoverTimeoutMs or on
 * TEARDOWN (tasks killed on their agents, TASK_KILLED / REASON_FRAMEWORK_REMOVED).
 */
import type { FrameworkId, NodeId } from '../ids.js';
import { frameworkIdOf } from '../ids.js';
import type { FrameworkInfo, FrameworkRef } from '../messages.js';
import { isTerminal } from '../task-state.js';
import { rememberCompletedFramework, sendError, type MasterCore } from './core.js';
import { rescindAll } from './offers.js';
import { completeTask, imposeState } from './task-table.js';
import type { FrameworkRecord } from './types.js';

/** Timer keys of one framework. */
export const frameworkTimer = {
  heartbeat: (id: FrameworkId) => `heartbeat:${id}`,
  silence: (id: FrameworkId) => `silence:${id}`,
  failover: (id: FrameworkId) => `failover:${id}`,
} as const;

/** How many heartbeat intervals of silence disconnect a framework. */
export const SILENT_INTERVALS = 3;

/** Handles `scheduler.subscribe` from `from`. */
export function subscribe(core: MasterCore, from: NodeId, info: FrameworkInfo): void {
  const { mem } = core;
  const requested = info.frameworkId;
  if (requested !== undefined && mem.completedFrameworks.has(requested)) {
    sendError(core, from, `framework ${requested} has been removed`);
    return;
  }
  const known = requested === undefined ? undefined : mem.frameworks.get(requested);
  if (known) {
    resubscribe(core, known, from, info);
    return;
  }
  // No id: a new framework. An id this master does not know: re-admitted under it (after a master failover).
  const frameworkId = requested ?? frameworkIdOf(core.masterId, mem.nextFramework++);
  const framework: FrameworkRecord = {
    frameworkId,
    name: info.name,
    node: from,
    roles: info.roles.length > 0 ? [...info.roles] : ['*'],
    partitionAware: info.capabilities.partitionAware,
    failoverTimeoutMs: info.failoverTimeoutMs,
    state: 'active',
    lastHeardMs: core.ctx.now(),
    inAllocator: true,
    tasks: new Map(),
    offers: new Set(),
    completed: new Map(),
  };
  mem.frameworks.set(frameworkId, framework);
  core.allocator.addFramework(frameworkId, framework.roles);
  core.ctx.emit({
    type: 'framework.subscribed',
    frameworkId,
    name: framework.name,
    node: from,
    roles: framework.roles,
    partitionAware: framework.partitionAware,
    failoverTimeoutMs: framework.failoverTimeoutMs,
    epoch: core.epoch,
  });
  connected(core, framework);
}

/** A known framework's scheduler subscribes again (possibly from a new node): it takes over. */
function resubscribe(core: MasterCore, framework: FrameworkRecord, from: NodeId, info: FrameworkInfo): void {
  if (framework.state === 'active' && framework.node !== from) sendError(core, framework.node, `framework ${framework.frameworkId} failed over to ${from}`);
  // Offers made to the old connection are void (Mesos rescinds on re-registration).
  rescindAll(core, framework.offers, 'framework resubscribed');
  core.ctx.cancelTimer(frameworkTimer.failover(framework.frameworkId));
  framework.node = from;
  framework.name = info.name;
  framework.partitionAware = info.capabilities.partitionAware;
  framework.failoverTimeoutMs = info.failoverTimeoutMs;
  framework.lastHeardMs = core.ctx.now();
  if (!framework.inAllocator) {
    // Recovered from an agent: its roles are only known now.
    framework.roles = info.roles.length > 0 ? [...info.roles] : ['*'];
    core.allocator.addFramework(framework.frameworkId, framework.roles);
    framework.inAllocator = true;
  } else if (framework.state !== 'active') {
    core.allocator.activateFramework(framework.frameworkId);
  }
  framework.state = 'active';
  core.ctx.emit({ type: 'framework.resubscribed', frameworkId: framework.frameworkId, name: framework.name, node: from, epoch: core.epoch });
  connected(core, framework);
}

function connected(core: MasterCore, framework: FrameworkRecord): void {
  const { timing } = core;
  core.ctx.send(framework.node, {
    type: 'master.subscribed',
    epoch: core.epoch,
    masterId: core.masterId,
    frameworkId: framework.frameworkId,
    heartbeatIntervalMs: timing.heartbeatIntervalMs,
  });
  core.ctx.setTimer(frameworkTimer.heartbeat(framework.frameworkId), timing.heartbeatIntervalMs);
  core.ctx.setTimer(frameworkTimer.silence(framework.frameworkId), SILENT_INTERVALS * timing.heartbeatIntervalMs);
}

/** A framework learned from a reregistering agent (after a master failover); it waits for its scheduler. */
export function recoverFramework(core: MasterCore, ref: FrameworkRef): FrameworkRecord {
  const framework: FrameworkRecord = {
    frameworkId: ref.frameworkId,
    name: ref.name,
    node: ref.schedulerNode,
    roles: [],
    partitionAware: ref.partitionAware,
    failoverTimeoutMs: 0,
    state: 'recovered',
    lastHeardMs: core.ctx.now(),
    inAllocator: false,
    tasks: new Map(),
    offers: new Set(),
    completed: new Map(),
  };
  core.mem.frameworks.set(ref.frameworkId, framework);
  return framework;
}

/** The heartbeat timer: `master.heartbeat` every interval while connected. */
export function onHeartbeatTimer(core: MasterCore, frameworkId: FrameworkId): void {
  const framework = core.mem.frameworks.get(frameworkId);
  if (!framework || framework.state !== 'active') return;
  core.ctx.send(framework.node, { type: 'master.heartbeat', epoch: core.epoch });
  core.ctx.setTimer(frameworkTimer.heartbeat(frameworkId), core.timing.heartbeatIntervalMs);
}

/** The silence timer: disconnects after 3 intervals without any scheduler message, else re-arms for the rest. */
export function onSilenceTimer(core: MasterCore, frameworkId: FrameworkId): void {
  const framework = core.mem.frameworks.get(frameworkId);
  if (!framework || framework.state !== 'active') return;
  const limitMs = SILENT_INTERVALS * core.timing.heartbeatIntervalMs;
  const silentMs = core.ctx.now() - framework.lastHeardMs;
  if (silentMs < limitMs) {
    core.ctx.setTimer(frameworkTimer.silence(frameworkId), limitMs - silentMs);
    return;
  }
  disconnect(core, framework, `no message from the scheduler for ${SILENT_INTERVALS} heartbeat intervals`);
}

/** No offers, offers rescinded, failover timer started; tasks keep running. Also `scheduler.disconnected` (a closed connection). */
export function disconnect(core: MasterCore, framework: FrameworkRecord, reason: string): void {
  framework.state = 'disconnected';
  core.ctx.cancelTimer(frameworkTimer.heartbeat(framework.frameworkId));
  core.ctx.cancelTimer(frameworkTimer.silence(framework.frameworkId));
  core.allocator.deactivateFramework(framework.frameworkId);
  core.ctx.emit({ type: 'framework.disconnected', frameworkId: framework.frameworkId, reason, epoch: core.epoch });
  rescindAll(core, framework.offers, 'framework disconnected');
  core.ctx.setTimer(frameworkTimer.failover(framework.frameworkId), framework.failoverTimeoutMs);
}

/** The failover timer: a framework still disconnected is torn down. */
export function onFailoverTimer(core: MasterCore, frameworkId: FrameworkId): void {
  const framework = core.mem.frameworks.get(frameworkId);
  if (framework && framework.state === 'disconnected') removeFramework(core, framework, 'failover timeout');
}

/**
 * Tears a framework down: its agents are told to shut it down, its live tasks
 * become TASK_KILLED (REASON_FRAMEWORK_REMOVED), every resource it holds goes
 * back, and its id is remembered so leftovers reported later are shut down too.
 */
export function removeFramework(core: MasterCore, framework: FrameworkRecord, reason: string): void {
  const { frameworkId } = framework;
  for (const key of Object.values(frameworkTimer)) core.ctx.cancelTimer(key(frameworkId));
  // The framework is leaving: nothing more is sent to its scheduler.
  const wasActive = framework.state === 'active';
  framework.state = 'disconnected';
  if (wasActive && framework.inAllocator) core.allocator.deactivateFramework(frameworkId);
  rescindAll(core, framework.offers, 'framework removed', false);
  const hosts = new Set<NodeId>();
  for (const task of [...framework.tasks.values()]) {
    const agent = core.mem.agents.get(task.agentId);
    if (agent && agent.state === 'registered') hosts.add(agent.host);
    if (isTerminal(task.state)) completeTask(core, task);
    else imposeState(core, task, 'TASK_KILLED', { reason: 'REASON_FRAMEWORK_REMOVED', message: `framework removed: ${reason}` });
  }
  for (const host of hosts) core.ctx.send(host, { type: 'master.shutdown_framework', epoch: core.epoch, frameworkId });
  if (framework.inAllocator) core.allocator.removeFramework(frameworkId);
  core.mem.frameworks.delete(frameworkId);
  rememberCompletedFramework(core, frameworkId);
  core.ctx.emit({ type: 'framework.removed', frameworkId, reason, epoch: core.epoch });
}
