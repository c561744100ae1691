/**
 * Agents: registration (with host-reboot detection), health checking by ping,
 * and marking an agent unreachable. Every change goes to the registry first;
 * the master acts when the write has completed.
 */
import type { AgentId, NodeId } from '../ids.js';
import { agentIdOf } from '../ids.js';
import { naturalKey } from '../natural-key.js';
import type { Attributes } from '../messages.js';
import type { Resources } from '../resources.js';
import { afterWrite, sendToFramework, type MasterCore } from './core.js';
import { rescindAll } from './offers.js';
import { completeTask, endedOnAgent, imposeState } from './task-table.js';
import type { AgentRecord } from './types.js';

/**
 * The master's one health-check timer. Mesos runs a ping timer per agent; one
 * round for all agents every agentPingTimeoutMs gives the same guarantee (a
 * ping is answered within the timeout or counts as missed) without a timer per
 * agent, which in a 50k-agent cluster was a third of all simulated work.
 */
export const HEALTH_CHECK_TIMER = 'health-check';

/** The timer of an agent pinged on its own (see `pingedAlone`): `first-ping:<agentId>`. */
export const FIRST_PING_TIMER_KIND = 'first-ping';

/** The key of an agent's own ping timer. */
export function firstPingTimerKey(agentId: AgentId): string {
  return `${FIRST_PING_TIMER_KIND}:${agentId}`;
}

/** What an agent announces about itself. */
export interface AgentAnnouncement {
  readonly host: NodeId;
  readonly resources: Resources;
  readonly attributes: Attributes;
  readonly bootId?: string;
}

/** A fresh in-memory record for a registered agent. */
export function newAgentRecord(agentId: AgentId, announced: AgentAnnouncement): AgentRecord {
  return {
    agentId,
    host: announced.host,
    resources: announced.resources,
    attributes: announced.attributes,
    state: 'registered',
    busy: false,
    unreachableSinceMs: null,
    tasks: new Map(),
    offers: new Set(),
    awaitingPong: false,
    pingSentMs: 0,
    pingRound: -1,
    pingIndex: 0,
    missedPings: 0,
    pingedAlone: false,
    bootId: announced.bootId ?? null,
  };
}

/** Handles `agent.register`: a new agent, or a rebooted host whose old agent must go first. */
export function registerAgent(core: MasterCore, from: NodeId, announced: AgentAnnouncement): void {
  const { mem } = core;
  if (from !== announced.host || mem.pendingHosts.has(announced.host)) return; // the agent retries
  const oldId = mem.agentsByHost.get(announced.host);
  const old = oldId === undefined ? undefined : mem.agents.get(oldId);
  if (!old) {
    admitAgent(core, announced);
    return;
  }
  if (old.busy) return;
  if (announced.bootId !== undefined && announced.bootId === old.bootId) {
    // The same agent process again (its first answer was lost, or the message was duplicated):
    // answer again with the id it already has, as Mesos does for an agent already registered.
    core.ctx.send(old.host, { type: 'master.agent_registered', epoch: core.epoch, masterId: core.masterId, agentId: old.agentId });
    return;
  }
  // The host came back without its agent id: it rebooted, and its tasks died with it.
  old.busy = true;
  mem.pendingHosts.add(announced.host);
  core.registry.write(
    [{ op: 'remove', agentId: old.agentId }],
    afterWrite(core, 'remove agent', () => {
      removeRestartedAgent(core, old);
      admitAgent(core, announced);
    }),
  );
}

function admitAgent(core: MasterCore, announced: AgentAnnouncement): void {
  const { mem, ctx } = core;
  const agentNumber = mem.nextAgent++;
  const agentId = agentIdOf(core.masterId, agentNumber);
  mem.pendingHosts.add(announced.host);
  core.registry.write(
    [
      { op: 'admit', agentId, host: announced.host },
      { op: 'reserve_agent_number', next: agentNumber + 1 },
    ],
    afterWrite(core, 'admit agent', () => {
      mem.pendingHosts.delete(announced.host);
      const agent = newAgentRecord(agentId, announced);
      mem.agents.set(agentId, agent);
      mem.pingOrder = null;
      mem.agentsByHost.set(agent.host, agentId);
      ctx.send(agent.host, { type: 'master.agent_registered', epoch: core.epoch, masterId: core.masterId, agentId });
      ctx.emit({ type: 'agent.registered', agentId, host: agent.host, resources: agent.resources, attributes: agent.attributes, epoch: core.epoch });
      core.allocator.addAgent(agentId, agent.resources, new Map());
      startPings(core, agent);
    }),
  );
}

/** The old agent of a rebooted host: removed, its tasks TASK_GONE (TASK_LOST) with REASON_AGENT_RESTARTED. */
function removeRestartedAgent(core: MasterCore, agent: AgentRecord): void {
  const { mem, ctx } = core;
  ctx.emit({ type: 'agent.removed', agentId: agent.agentId, host: agent.host, reason: 'restarted', epoch: core.epoch });
  rescindAll(core, agent.offers, 'agent removed');
  for (const task of [...agent.tasks.values()]) {
    if (endedOnAgent(task.state)) completeTask(core, task);
    else imposeState(core, task, 'TASK_GONE', { reason: 'REASON_AGENT_RESTARTED', message: 'the agent host restarted' });
  }
  if (agent.state === 'registered') core.allocator.removeAgent(agent.agentId);
  mem.agents.delete(agent.agentId);
  mem.pingOrder = null;
  if (mem.agentsByHost.get(agent.host) === agent.agentId) mem.agentsByHost.delete(agent.host);
}

/**
 * Pings at once, then every agentPingTimeoutMs on the agent's own timer until
 * it first answers: a (re)registered agent that never answers is then marked
 * unreachable maxAgentPingTimeouts x agentPingTimeoutMs after it registered, as
 * in Mesos, rather than up to one round later (its first ping, between two
 * rounds, would otherwise wait for the next one). Its first pong moves it to
 * the health-check rounds, so a healthy cluster keeps one timer for all agents.
 */
export function startPings(core: MasterCore, agent: AgentRecord): void {
  agent.awaitingPong = false;
  agent.missedPings = 0;
  agent.pingedAlone = true;
  sendPing(core, agent, -1);
  core.ctx.setTimer(firstPingTimerKey(agent.agentId), core.timing.agentPingTimeoutMs);
}

/** An agent's own ping timer fired: a miss if the last ping is unanswered, then the next ping. */
export function onFirstPingTimer(core: MasterCore, agentId: AgentId): void {
  const agent = core.mem.agents.get(agentId);
  if (!agent || !agent.pingedAlone || agent.state !== 'registered') return;
  if (agent.busy) {
    // A registry write about it is in flight; what it decides restarts the pings (or ends them).
    agent.pingedAlone = false;
    return;
  }
  if (agent.awaitingPong) {
    agent.missedPings += 1;
    if (agent.missedPings >= core.timing.maxAgentPingTimeouts) {
      agent.pingedAlone = false;
      markUnreachable(core, agent);
      return;
    }
  }
  sendPing(core, agent, -1);
  core.ctx.setTimer(firstPingTimerKey(agent.agentId), core.timing.agentPingTimeoutMs);
}

/** Cancels the own ping timers of every agent in memory (the master stops leading). */
export function cancelFirstPingTimers(core: MasterCore): void {
  for (const agent of core.mem.agents.values()) if (agent.pingedAlone) core.ctx.cancelTimer(firstPingTimerKey(agent.agentId));
}

function sendPing(core: MasterCore, agent: AgentRecord, round: number): void {
  // A fresh message, not one kept per agent: a new object sits in the young generation beside the others of the
  // round, while a kept one would be one more read at a random place of a big heap (measured slower at 20k agents).
  core.ctx.send(agent.host, { type: 'master.ping', epoch: core.epoch, agentId: agent.agentId });
  agent.awaitingPong = true;
  agent.pingSentMs = core.ctx.now();
  agent.pingRound = round;
}

/**
 * One health-check round, every agentPingTimeoutMs: an agent whose last ping
 * is unanswered after a whole timeout has missed it; too many misses in a row
 * mark it unreachable. Agents still pinged on their own timer are skipped;
 * a ping younger than the timeout is left to the next round, so every ping
 * gets at least the full timeout to be answered. A ping an earlier round sent
 * has had that whole interval: it is judged by the round, not by the clock.
 * On the wall clock a timer may fire a millisecond or two short of its
 * interval as the live runtime's clock reads it (libuv arms it from the loop's cached time),
 * and `now - sentMs < timeout` then left every fresh ping of a dead agent to
 * one more round: detection took up to 5 s instead of 3-4 s with the fast
 * profile (live-reschedule-ms, BENCHMARKS.md). Simulated timers are exact, so
 * the two readings agree there.
 */
export function onHealthCheck(core: MasterCore): void {
  const { mem } = core;
  const nowMs = core.ctx.now();
  const timeoutMs = core.timing.agentPingTimeoutMs;
  const round = (mem.healthRound += 1);
  let lost: AgentRecord[] | null = null;
  const order = (mem.pingOrder ??= inHostOrder(mem.agents));
  mem.pongCursor = 0;
  for (let i = 0; i < order.length; i += 1) {
    const agent = order[i] as AgentRecord;
    if (agent.state !== 'registered' || agent.busy || agent.pingedAlone) continue;
    if (agent.awaitingPong) {
      // A round's ping is never young here (it is from an earlier round); one sent on the agent's own timer may be.
      if (agent.pingRound < 0 && nowMs - agent.pingSentMs < timeoutMs) continue;
      agent.missedPings += 1;
      if (agent.missedPings >= core.timing.maxAgentPingTimeouts) {
        (lost ??= []).push(agent);
        continue;
      }
    }
    agent.pingIndex = i;
    sendPing(core, agent, round);
  }
  // Marked after the walk: marking changes agent records the walk is reading.
  if (lost) for (const agent of lost) markUnreachable(core, agent);
}

/**
 * Rounds ping in host order (natural: agent-2 before agent-10). Any fixed
 * order serves the protocol; this one walks a simulation's agents in the order
 * they were built, so their state is read in memory order rather than in the
 * random order they happened to register in (sim-speed-50k-x 6x -> 10x).
 */
function inHostOrder(agents: ReadonlyMap<AgentId, AgentRecord>): AgentRecord[] {
  const keyed = [...agents.values()].map((agent) => ({ agent, key: naturalKey(agent.host) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.agent);
}

/**
 * On a healthy network pongs come back in the order the round sent its pings,
 * so the next one is most likely from the agent after the last ponger in ping
 * order: reading that record directly spares a lookup in a map of every agent
 * (a cache miss per pong with tens of thousands of agents). Any other pong
 * resynchronises the cursor.
 */
function pongerOf(mem: MasterCore['mem'], agentId: AgentId): AgentRecord | undefined {
  const order = mem.pingOrder;
  if (order === null) return mem.agents.get(agentId);
  const guess = order[mem.pongCursor];
  if (guess !== undefined && guess.agentId === agentId) {
    mem.pongCursor += 1;
    return guess;
  }
  const agent = mem.agents.get(agentId);
  if (agent !== undefined && order[agent.pingIndex] === agent) mem.pongCursor = agent.pingIndex + 1;
  return agent;
}

/** Handles `agent.pong`: the agent is alive. */
export function onPong(core: MasterCore, from: NodeId, agentId: AgentId, epoch: number): void {
  const agent = pongerOf(core.mem, agentId);
  if (!agent || agent.host !== from || agent.state !== 'registered' || epoch !== core.epoch) return;
  agent.awaitingPong = false;
  agent.missedPings = 0;
  if (agent.pingedAlone) {
    agent.pingedAlone = false;
    core.ctx.cancelTimer(firstPingTimerKey(agent.agentId));
  }
}

/**
 * Registry write first; then each live task becomes TASK_UNREACHABLE (TASK_LOST
 * for non-partition-aware frameworks), every framework hears `master.failure`,
 * the agent's offers are rescinded and it leaves the allocator. Pings stop.
 */
export function markUnreachable(core: MasterCore, agent: AgentRecord): void {
  const { ctx, mem } = core;
  const atMs = ctx.now();
  agent.busy = true;
  core.registry.write(
    [{ op: 'mark_unreachable', agentId: agent.agentId, atMs }],
    afterWrite(core, 'mark unreachable', () => {
      agent.busy = false;
      agent.state = 'unreachable';
      agent.unreachableSinceMs = atMs;
      agent.awaitingPong = false;
      ctx.emit({ type: 'agent.unreachable', agentId: agent.agentId, host: agent.host, epoch: core.epoch });
      for (const task of [...agent.tasks.values()]) {
        // The whole agent leaves the allocator below, so no task gives its resources back one by one.
        task.holdsResources = false;
        if (endedOnAgent(task.state)) completeTask(core, task);
        else imposeState(core, task, 'TASK_UNREACHABLE', { reason: 'REASON_AGENT_REMOVED', message: 'the agent is unreachable', unreachableTimeMs: atMs });
      }
      for (const framework of mem.frameworks.values()) sendToFramework(core, framework, { type: 'master.failure', epoch: core.epoch, agentId: agent.agentId });
      rescindAll(core, agent.offers, 'agent unreachable');
      core.allocator.removeAgent(agent.agentId);
    }),
  );
}
