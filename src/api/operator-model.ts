/**
 * A live master as the TUI sees it, built from the operator API alone: the
 * SUBSCRIBED snapshot, then TASK_ADDED / TASK_UPDATED / AGENT_* / FRAMEWORK_*
 * events, the polled GET_AGENTS and GET_FRAMEWORKS (offers and unreachable
 * agents never stream), GET_MASTER, and on a faultline master
 * FAULTLINE_GET_INFO (masters with epochs, each agent's state, the faults).
 * `state()` folds it into core's ClusterState, the shape the TUI's tables read,
 * and `records()` into history records for its Events view.
 *
 * Why not src/web/model.ts: the web layer may import api types only (lint),
 * and its rows are the page's, not ClusterState; the event handling is the same.
 *
 * Pure: no sockets, no clock. Every call that needs "now" is given the wall
 * time in epoch ms. Times are kept on the master's clock in ms: a faultline
 * master counts from its cluster's start, a Mesos master gives epoch seconds,
 * which are shifted to "ms since top attached" so both read alike.
 */
import type { HistoryRecord } from '../core/events.js';
import type { Fault } from '../core/faults.js';
import { add, EMPTY_RESOURCES, resources as makeResources, type PortRange, type Resources } from '../core/resources.js';
import { AGENT_STATES, type AgentRegistryState, type AgentState, type AgentView, type ClusterState, type FrameworkView, type MasterView, type OfferView, type TaskStatusLine, type TaskView } from '../core/state.js';
import { ACTIVE_STATES, TASK_REASONS, TASK_STATES, type TaskReason, type TaskState } from '../core/task-state.js';
import type { FaultlineInfo } from './faultline-call.js';

/** A JSON object read defensively: a Mesos master may leave out any optional field. */
export type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
function objs(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
function idOf(value: unknown): string {
  return str(obj(value).value);
}

const TASK_STATE_SET: ReadonlySet<string> = new Set(TASK_STATES);
const TASK_REASON_SET: ReadonlySet<string> = new Set(TASK_REASONS);
const AGENT_STATE_SET: ReadonlySet<string> = new Set(AGENT_STATES);

function taskStateOf(value: unknown): TaskState | null {
  const s = str(value);
  return TASK_STATE_SET.has(s) ? (s as TaskState) : null;
}
function reasonOf(value: unknown): TaskReason | null {
  const s = str(value);
  return TASK_REASON_SET.has(s) ? (s as TaskReason) : null;
}

/** Core resources from a v1 Resource list (scalars and ports; other names skipped, malformed entries ignored). */
export function resourcesOfV1(list: unknown): Resources {
  const sum = { cpus: 0, mem: 0, disk: 0, gpus: 0 };
  const ports: PortRange[] = [];
  for (const r of objs(list)) {
    const name = str(r.name);
    if (name === 'cpus' || name === 'mem' || name === 'disk' || name === 'gpus') {
      const value = num(obj(r.scalar).value);
      if (value !== null && value > 0) sum[name] += value;
    } else if (name === 'ports') {
      for (const range of objs(obj(r.ranges).range)) {
        const begin = num(range.begin);
        const end = num(range.end);
        if (begin !== null && end !== null && Number.isInteger(begin) && Number.isInteger(end) && begin <= end) ports.push({ begin, end });
      }
    }
  }
  return makeResources({ ...sum, ports });
}

/** Epoch-like times (after 1973 in ms) come from a Mesos master; smaller ones count from a faultline cluster's start. */
const EPOCH_THRESHOLD_MS = 1e11;

interface AgentEntry {
  readonly agentId: string;
  readonly host: string;
  readonly pid: string;
  readonly resources: Resources;
  readonly attributes: Readonly<Record<string, string>>;
  readonly registeredAtMs: number;
  registry: AgentRegistryState;
  /** FAULTLINE_GET_INFO's combined state, when the master is a faultline one. */
  reported: AgentState | null;
  unreachableSinceMs: number | null;
}

interface FrameworkEntry {
  readonly frameworkId: string;
  readonly name: string;
  readonly node: string;
  readonly roles: readonly string[];
  readonly partitionAware: boolean;
  readonly failoverTimeoutMs: number;
  readonly subscribedAtMs: number;
  connected: boolean;
  removed: boolean;
  disconnectedAtMs: number | null;
}

interface TaskEntry {
  readonly taskId: string;
  readonly name: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly resources: Resources;
  state: TaskState;
  reason: TaskReason | null;
  launchedAtMs: number;
  updatedAtMs: number;
  readonly history: TaskStatusLine[];
  /** The TaskView last built, reused while the task is unchanged (the clock's tick rebuilds the state each second). */
  view: TaskView | null;
}

/** Status lines kept per task. */
const MAX_STATUSES = 50;
/** History records kept for the Events view. */
export const MAX_RECORDS = 5000;

/** Options of the model. */
export interface OperatorModelOptions {
  /** The wall time (epoch ms) top attached: "0" of a Mesos master's shifted clock. */
  readonly attachedAtMs: number;
  /** The master's name when it gives no masters list (a Mesos master): `host:port`. */
  readonly masterName: string;
}

/** The live cluster as the operator API tells it. Feed it events and poll answers in order. */
export class OperatorModel {
  private readonly agents = new Map<string, AgentEntry>();
  private readonly frameworks = new Map<string, FrameworkEntry>();
  private readonly tasks = new Map<string, TaskEntry>();
  private offers: OfferView[] = [];
  private info: FaultlineInfo | null = null;
  private masterId = '';
  private masterName: string;
  private readonly log: HistoryRecord[] = [];
  private seq = 0;
  private lastFaultSeq = -1;
  /** The master's clock: its time `masterMs` was seen at wall time `wallMs`. */
  private anchor: { masterMs: number; wallMs: number };
  private cached: ClusterState | null = null;
  /** Bumped on every change (the feed tells the TUI). */
  version = 0;

  constructor(private readonly options: OperatorModelOptions) {
    this.masterName = options.masterName;
    this.anchor = { masterMs: 0, wallMs: options.attachedAtMs };
  }

  /** Whether a SUBSCRIBED snapshot has arrived. */
  subscribed = false;

  /** The heartbeat interval SUBSCRIBED announced, seconds (null before). */
  heartbeatIntervalSec: number | null = null;

  /** The master's clock now, ms. */
  nowMs(wallMs: number): number {
    return this.anchor.masterMs + Math.max(0, wallMs - this.anchor.wallMs);
  }

  /** A master time in seconds on the model's clock (ms), and the clock moved forward to it. */
  private timeOf(seconds: number | null, wallMs: number): number {
    if (seconds === null) return this.nowMs(wallMs);
    let ms = seconds * 1000;
    if (ms > EPOCH_THRESHOLD_MS) ms -= this.options.attachedAtMs;
    if (ms > this.nowMs(wallMs)) this.anchor = { masterMs: ms, wallMs };
    return ms;
  }

  private nanosOf(value: unknown, wallMs: number): number {
    const ns = num(obj(value).nanoseconds);
    return this.timeOf(ns === null ? null : ns / 1e9, wallMs);
  }

  private changed(): void {
    this.cached = null;
    this.version += 1;
  }

  private record(wallMs: number, event: Parameters<typeof recordOf>[0]): void {
    this.log.push(recordOf(event, this.seq++, this.nowMs(wallMs)));
    if (this.log.length > MAX_RECORDS * 2) this.log.splice(0, this.log.length - MAX_RECORDS);
  }

  /** Applies one operator stream event (master.proto Event); false for a type the model does not know. */
  apply(event: Json, wallMs: number): boolean {
    const type = str(event.type);
    switch (type) {
      case 'SUBSCRIBED': {
        const subscribed = obj(event.subscribed);
        this.heartbeatIntervalSec = num(subscribed.heartbeat_interval_seconds);
        this.snapshot(obj(subscribed.get_state), wallMs);
        this.subscribed = true;
        break;
      }
      case 'TASK_ADDED': {
        const task = this.putTask(obj(obj(event.task_added).task), wallMs);
        if (task) this.record(wallMs, { type: 'task.launched', taskId: task.taskId, frameworkId: task.frameworkId, agentId: task.agentId, name: task.name, resources: task.resources, labels: {}, epoch: 0 });
        break;
      }
      case 'TASK_UPDATED':
        this.updateTask(obj(event.task_updated), wallMs);
        break;
      case 'AGENT_ADDED': {
        const agent = this.putAgent(obj(obj(event.agent_added).agent), wallMs);
        if (agent) this.record(wallMs, { type: 'agent.registered', agentId: agent.agentId, host: agent.host, resources: agent.resources, attributes: agent.attributes, epoch: 0 });
        break;
      }
      case 'AGENT_REMOVED': {
        const id = idOf(obj(event.agent_removed).agent_id);
        const agent = this.agents.get(id);
        if (agent) agent.registry = 'removed';
        this.record(wallMs, { type: 'agent.removed', agentId: id, host: agent?.host ?? id, reason: 'AGENT_REMOVED', epoch: 0 });
        break;
      }
      case 'FRAMEWORK_ADDED':
      case 'FRAMEWORK_UPDATED': {
        const key = type === 'FRAMEWORK_ADDED' ? 'framework_added' : 'framework_updated';
        const f = this.putFramework(obj(obj(event[key]).framework), false, wallMs);
        if (f && type === 'FRAMEWORK_ADDED') this.record(wallMs, { type: 'framework.subscribed', frameworkId: f.frameworkId, name: f.name, node: f.node, roles: f.roles, partitionAware: f.partitionAware, failoverTimeoutMs: f.failoverTimeoutMs, epoch: 0 });
        else if (f && f.connected) this.record(wallMs, { type: 'framework.resubscribed', frameworkId: f.frameworkId, name: f.name, node: f.node, epoch: 0 });
        else if (f) this.record(wallMs, { type: 'framework.disconnected', frameworkId: f.frameworkId, reason: 'FRAMEWORK_UPDATED: not connected', epoch: 0 });
        break;
      }
      case 'FRAMEWORK_REMOVED': {
        const id = idOf(obj(obj(event.framework_removed).framework_info).id);
        const framework = this.frameworks.get(id);
        if (framework) {
          framework.removed = true;
          framework.connected = false;
        }
        if (id !== '') this.record(wallMs, { type: 'framework.removed', frameworkId: id, reason: 'FRAMEWORK_REMOVED', epoch: 0 });
        break;
      }
      case 'HEARTBEAT':
        return true;
      default:
        return false;
    }
    this.changed();
    return true;
  }

  /** Replaces the model with a GET_STATE answer (SUBSCRIBED's get_state, after a reconnect too). */
  snapshot(state: Json, wallMs: number): void {
    this.agents.clear();
    this.frameworks.clear();
    this.tasks.clear();
    this.setAgents(obj(state.get_agents), wallMs);
    this.setFrameworks(obj(state.get_frameworks), wallMs);
    const tasks = obj(state.get_tasks);
    for (const list of [tasks.tasks, tasks.unreachable_tasks, tasks.completed_tasks, tasks.pending_tasks, tasks.orphan_tasks]) for (const t of objs(list)) this.putTask(t, wallMs);
    this.changed();
  }

  /**
   * Takes a GET_AGENTS answer. An agent missing from it that the model knows
   * as registered became unreachable: Mesos sends no event for that (only its
   * tasks' TASK_UPDATED), so the poll is how the model learns it.
   */
  setAgents(getAgents: Json, wallMs: number): void {
    const listed = new Set<string>();
    for (const a of objs(getAgents.agents)) {
      const agent = this.putAgent(a, wallMs);
      if (agent) listed.add(agent.agentId);
    }
    for (const agent of this.agents.values()) {
      if (listed.has(agent.agentId) || agent.registry === 'removed' || agent.registry === 'unreachable') continue;
      agent.registry = 'unreachable';
      agent.unreachableSinceMs = this.nowMs(wallMs);
    }
    this.changed();
  }

  /** Takes a GET_FRAMEWORKS answer: the frameworks and their outstanding offers. */
  setFrameworks(getFrameworks: Json, wallMs: number): void {
    const offers: OfferView[] = [];
    for (const f of objs(getFrameworks.frameworks)) {
      this.putFramework(f, false, wallMs);
      for (const o of objs(f.offers)) offers.push({ offerId: idOf(o.id), frameworkId: idOf(o.framework_id), agentId: idOf(o.agent_id), resources: resourcesOfV1(o.resources), createdAtMs: this.nowMs(wallMs) });
    }
    for (const f of objs(getFrameworks.completed_frameworks)) this.putFramework(f, true, wallMs);
    // An offer seen before keeps its first sighting as its age.
    const before = new Map(this.offers.map((o) => [o.offerId, o]));
    this.offers = offers.map((o) => before.get(o.offerId) ?? o);
    this.changed();
  }

  /** Takes a GET_MASTER answer (the master's id and name on a Mesos master). */
  setMaster(getMaster: Json): void {
    const info = obj(getMaster.master_info);
    const address = obj(info.address);
    this.masterId = str(info.id);
    const host = str(address.hostname) || str(info.hostname);
    const port = num(address.port) ?? num(info.port);
    if (host !== '') this.masterName = port === null ? host : `${host}:${port}`;
    this.changed();
  }

  /** Takes a FAULTLINE_GET_INFO answer: agent states, masters, and the faults not seen yet (as Events records). */
  setInfo(info: FaultlineInfo, wallMs: number): void {
    this.info = info;
    for (const agent of this.agents.values()) {
      const reported = info.agent_states[agent.agentId];
      agent.reported = reported !== undefined && AGENT_STATE_SET.has(reported) ? (reported as AgentState) : null;
    }
    for (const fault of info.faults) {
      if (fault.seq <= this.lastFaultSeq) continue;
      this.lastFaultSeq = fault.seq;
      // The record needs a Fault; the info carries its kind and target only, which is what the Events line shows.
      const shown = { kind: fault.kind, node: fault.target } as unknown as Fault;
      this.record(wallMs, { type: 'fault.injected', fault: shown, detail: fault.detail || `${fault.kind} ${fault.target}` });
    }
    this.changed();
  }

  /** Adds an Events line from top itself (a fault the master refused, a lost stream). */
  note(text: string, wallMs: number): void {
    this.record(wallMs, { type: 'scheduler.note', frameworkId: null, node: 'top', app: 'top', note: text });
    this.changed();
  }

  /** The agent with this id: its host name and `slave(1)@ip:port` pid, for `l`. */
  agent(agentId: string): { readonly host: string; readonly pid: string } | null {
    const agent = this.agents.get(agentId);
    return agent ? { host: agent.host, pid: agent.pid } : null;
  }

  /** History records with seq > sinceSeq, oldest first, at most the newest `limit`. */
  records(sinceSeq: number, limit: number): readonly HistoryRecord[] {
    const newer = this.log.filter((r) => r.seq > sinceSeq);
    return newer.slice(Math.max(0, newer.length - limit));
  }

  /** The model as core's ClusterState (the same object until something changes or the clock is read anew). */
  state(wallMs: number): ClusterState {
    if (this.cached !== null) return this.cached;
    const tasks = new Map<string, TaskView>();
    const tasksByState = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>;
    // Sums in place, one Resources per agent and framework at the end: `add` per task cost ~4x more at 50,000 tasks.
    const agentSums = new Map<string, Sum>();
    const frameworkSums = new Map<string, Sum>();
    for (const t of this.tasks.values()) {
      const host = this.agents.get(t.agentId)?.host ?? null;
      if (t.view === null || t.view.host !== host) t.view = { taskId: t.taskId, name: t.name, frameworkId: t.frameworkId, agentId: t.agentId, host, state: t.state, reason: t.reason, resources: t.resources, launchedAtMs: t.launchedAtMs, updatedAtMs: t.updatedAtMs, history: t.history.slice() };
      tasks.set(t.taskId, t.view);
      tasksByState[t.state] += 1;
      // Only a task that may still run holds resources (TASK_LOST, TASK_UNREACHABLE and the terminal states do not).
      if (!ACTIVE_STATES.has(t.state)) continue;
      addTo(agentSums, t.agentId, t.resources);
      addTo(frameworkSums, t.frameworkId, t.resources);
    }
    const agentUsed = finish(agentSums);
    const frameworkUsed = finish(frameworkSums);
    const offeredByAgent = new Map<string, Resources>();
    const offeredByFramework = new Map<string, Resources>();
    for (const o of this.offers) {
      offeredByAgent.set(o.agentId, add(offeredByAgent.get(o.agentId) ?? EMPTY_RESOURCES, o.resources));
      offeredByFramework.set(o.frameworkId, add(offeredByFramework.get(o.frameworkId) ?? EMPTY_RESOURCES, o.resources));
    }
    const agents = new Map<string, AgentView>();
    const agentsByState = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as Record<AgentState, number>;
    let total = EMPTY_RESOURCES;
    let used = EMPTY_RESOURCES;
    for (const a of this.agents.values()) {
      const state: AgentState = a.registry === 'removed' ? 'removed' : (a.reported ?? a.registry);
      const counted = a.registry === 'registered' ? agentUsed.get(a.agentId) : undefined;
      agents.set(a.agentId, {
        agentId: a.agentId,
        host: a.host,
        state,
        registry: a.registry,
        // A faultline master reports the host's truth in its combined state (down, paused); a Mesos master cannot.
        condition: a.reported === null ? null : a.reported === 'down' || a.reported === 'paused' ? a.reported : 'up',
        resources: a.resources,
        used: counted?.used ?? EMPTY_RESOURCES,
        offered: offeredByAgent.get(a.agentId) ?? EMPTY_RESOURCES,
        attributes: a.attributes,
        taskCount: counted?.count ?? 0,
        registeredAtMs: a.registeredAtMs,
        unreachableSinceMs: a.unreachableSinceMs,
      });
      agentsByState[state] += 1;
      if (state !== 'removed') total = add(total, a.resources);
      if (counted) used = add(used, counted.used);
    }
    const frameworks = new Map<string, FrameworkView>();
    for (const f of this.frameworks.values()) {
      const counted = frameworkUsed.get(f.frameworkId);
      frameworks.set(f.frameworkId, {
        frameworkId: f.frameworkId,
        name: f.name,
        node: f.node,
        roles: f.roles,
        partitionAware: f.partitionAware,
        state: f.removed ? 'removed' : f.connected ? 'active' : 'disconnected',
        failoverTimeoutMs: f.failoverTimeoutMs,
        activeTasks: counted?.count ?? 0,
        used: counted?.used ?? EMPTY_RESOURCES,
        offered: offeredByFramework.get(f.frameworkId) ?? EMPTY_RESOURCES,
        subscribedAtMs: f.subscribedAtMs,
        disconnectedAtMs: f.disconnectedAtMs,
        disconnectReason: f.connected || f.removed ? null : 'disconnected (as the master reports it)',
      });
    }
    const { masters, leader } = this.mastersOf();
    const offered = this.offers.reduce((sum, o) => add(sum, o.resources), EMPTY_RESOURCES);
    this.cached = {
      nowMs: this.nowMs(wallMs),
      seed: null,
      leader,
      masters,
      agents,
      frameworks,
      tasks,
      offers: new Map(this.offers.map((o) => [o.offerId, o])),
      counts: { tasksByState, agentsByState, total, used, offered },
    };
    return this.cached;
  }

  /** Drops the cached state so the next `state()` reads the clock again (the feed calls it about once a second). */
  tick(): void {
    this.changed();
  }

  private mastersOf(): { masters: Map<string, MasterView>; leader: ClusterState['leader'] } {
    const masters = new Map<string, MasterView>();
    if (this.info !== null && this.info.masters.length > 0) {
      let leader: ClusterState['leader'] = null;
      for (const m of this.info.masters) {
        masters.set(m.node, { node: m.node, state: m.state, masterId: m.master_id, epoch: m.epoch, electedAtMs: m.elected_time === null ? null : m.elected_time * 1000 });
        if (m.state === 'leading' && m.master_id !== null) leader = { node: m.node, masterId: m.master_id, epoch: m.epoch ?? 0 };
      }
      return { masters, leader };
    }
    // A Mesos master names no standbys (no API lists them): the leader alone, without an epoch (shown as e0).
    masters.set(this.masterName, { node: this.masterName, state: 'leading', masterId: this.masterId || null, epoch: null, electedAtMs: null });
    return { masters, leader: this.subscribed ? { node: this.masterName, masterId: this.masterId, epoch: 0 } : null };
  }

  private putAgent(agent: Json, wallMs: number): AgentEntry | null {
    const info = obj(agent.agent_info);
    const id = idOf(info.id);
    if (id === '') return null;
    const attributes: Record<string, string> = {};
    for (const a of objs(info.attributes)) {
      const value = str(obj(a.text).value) || (num(obj(a.scalar).value)?.toString() ?? '');
      if (str(a.name) !== '') attributes[str(a.name)] = value;
    }
    const previous = this.agents.get(id);
    const entry: AgentEntry = {
      agentId: id,
      host: str(info.hostname) || id,
      pid: str(agent.pid),
      resources: resourcesOfV1(agent.total_resources ?? info.resources),
      attributes,
      registeredAtMs: previous?.registeredAtMs ?? this.nanosOf(agent.registered_time, wallMs),
      registry: 'registered',
      reported: previous?.reported ?? null,
      unreachableSinceMs: null,
    };
    // A deactivated agent is still registered (it only gets no offers): the TUI shows the registry's word.
    this.agents.set(id, entry);
    return entry;
  }

  private putFramework(framework: Json, removed: boolean, wallMs: number): FrameworkEntry | null {
    const info = obj(framework.framework_info);
    const id = idOf(info.id);
    if (id === '') return null;
    const roles = Array.isArray(info.roles) ? info.roles.filter((r): r is string => typeof r === 'string') : str(info.role) ? [str(info.role)] : [];
    const previous = this.frameworks.get(id);
    const connected = framework.connected !== false && framework.active !== false;
    const entry: FrameworkEntry = {
      frameworkId: id,
      name: str(info.name) || id,
      node: str(info.hostname) || id,
      roles,
      partitionAware: objs(info.capabilities).some((c) => str(c.type) === 'PARTITION_AWARE'),
      failoverTimeoutMs: (num(info.failover_timeout) ?? 0) * 1000,
      subscribedAtMs: previous?.subscribedAtMs ?? this.nanosOf(framework.registered_time, wallMs),
      connected: connected && !removed,
      removed,
      disconnectedAtMs: connected ? null : (previous?.disconnectedAtMs ?? this.nowMs(wallMs)),
    };
    this.frameworks.set(id, entry);
    return entry;
  }

  private putTask(task: Json, wallMs: number): TaskEntry | null {
    const id = idOf(task.task_id);
    if (id === '') return null;
    const history: TaskStatusLine[] = objs(task.statuses).map((s) => ({ atMs: this.timeOf(num(s.timestamp), wallMs), state: taskStateOf(s.state) ?? 'TASK_UNKNOWN', reason: reasonOf(s.reason), message: str(s.message) || null }));
    const last = history[history.length - 1];
    const entry: TaskEntry = {
      taskId: id,
      name: str(task.name) || id,
      frameworkId: idOf(task.framework_id),
      agentId: idOf(task.agent_id),
      resources: resourcesOfV1(task.resources),
      state: taskStateOf(task.state) ?? 'TASK_STAGING',
      reason: last?.reason ?? null,
      launchedAtMs: history[0]?.atMs ?? this.nowMs(wallMs),
      updatedAtMs: last?.atMs ?? this.nowMs(wallMs),
      history: history.slice(-MAX_STATUSES),
      view: null,
    };
    this.tasks.set(id, entry);
    return entry;
  }

  /** TASK_UPDATED: `state` is the latest, `status` the last acknowledged one (its ids, time and reason). */
  private updateTask(updated: Json, wallMs: number): void {
    const status = obj(updated.status);
    const id = idOf(status.task_id);
    const state = taskStateOf(updated.state) ?? taskStateOf(status.state);
    if (id === '' || state === null) return;
    const atMs = this.timeOf(num(status.timestamp), wallMs);
    const reason = reasonOf(status.reason);
    const message = str(status.message) || null;
    let task = this.tasks.get(id);
    if (!task) {
      task = { taskId: id, name: id, frameworkId: idOf(updated.framework_id), agentId: idOf(status.agent_id), resources: EMPTY_RESOURCES, state, reason, launchedAtMs: atMs, updatedAtMs: atMs, history: [], view: null };
      this.tasks.set(id, task);
    }
    task.view = null;
    task.state = state;
    task.reason = reason;
    task.updatedAtMs = atMs;
    task.history.push({ atMs, state, reason, message });
    if (task.history.length > MAX_STATUSES) task.history.splice(0, task.history.length - MAX_STATUSES);
    const source = str(status.source);
    this.record(wallMs, { type: 'task.updated', taskId: id, frameworkId: task.frameworkId, agentId: task.agentId, state, reason, source: source === 'SOURCE_MASTER' || source === 'SOURCE_AGENT' ? source : 'SOURCE_EXECUTOR', message });
  }
}

/** Resources summed in place, and how many tasks hold them. */
interface Sum {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  readonly ports: PortRange[];
  count: number;
}

function addTo(sums: Map<string, Sum>, key: string, r: Resources): void {
  let sum = sums.get(key);
  if (sum === undefined) {
    sum = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [], count: 0 };
    sums.set(key, sum);
  }
  sum.cpus += r.cpus;
  sum.mem += r.mem;
  sum.disk += r.disk;
  sum.gpus += r.gpus;
  for (const p of r.ports) sum.ports.push(p);
  sum.count += 1;
}

function finish(sums: Map<string, Sum>): Map<string, { used: Resources; count: number }> {
  const out = new Map<string, { used: Resources; count: number }>();
  for (const [key, s] of sums) out.set(key, { used: makeResources(s), count: s.count });
  return out;
}

type RecordedEvent = Extract<
  HistoryRecord,
  { type: 'task.launched' | 'task.updated' | 'agent.registered' | 'agent.removed' | 'framework.subscribed' | 'framework.resubscribed' | 'framework.disconnected' | 'framework.removed' | 'fault.injected' | 'scheduler.note' }
> extends infer R ? (R extends HistoryRecord ? Omit<R, 'seq' | 'atMs'> : never) : never;

function recordOf(event: RecordedEvent, seq: number, atMs: number): HistoryRecord {
  return { ...event, seq, atMs } as HistoryRecord;
}
