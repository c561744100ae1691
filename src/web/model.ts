/**
 * The page's model of the cluster, built from the operator API: the SUBSCRIBED
 * snapshot, then TASK_ADDED / TASK_UPDATED / AGENT_* / FRAMEWORK_* events, the
 * polled offers (offers never stream) and, on a faultline master, the
 * FAULTLINE_GET_INFO extension (masters with epochs, agent states, faults).
 * Mutable on purpose: 50,000 tasks are updated in place and the store bumps a
 * version once per batch (store.ts), instead of copying maps ten times a second.
 * Pure: no DOM, no clock (times are passed in).
 */
import type { FaultlineInfo } from '../api/faultline-call.js';
import { agentWordOf, isTerminalTask, taskWord, type AgentWord } from './words.js';
import { addScalars, idOf, num, obj, objs, scalarsOf, str, zeroScalars, type Json, type Scalars } from './v1-read.js';

/** An agent row. */
export interface AgentRow {
  readonly id: string;
  readonly hostname: string;
  /** `slave(1)@ip:port`, or ''. */
  readonly pid: string;
  state: AgentWord;
  readonly total: Scalars;
}

/** One status of a task's history. */
export interface StatusLine {
  readonly state: string;
  /** Seconds (the master's clock), or null. */
  readonly timeSec: number | null;
  readonly reason: string;
  readonly message: string;
  readonly source: string;
}

/** A task row. */
export interface TaskRow {
  readonly id: string;
  readonly name: string;
  readonly frameworkId: string;
  readonly agentId: string;
  state: string;
  readonly resources: Scalars;
  /** The snapshot's statuses as the JSON had them, read only when shown (statusHistory): 50,000 tasks' are not copied. */
  readonly snapshotStatuses: unknown;
  /** The statuses the stream told since, oldest first. */
  readonly updates: StatusLine[];
}

function statusLineOf(s: Json): StatusLine {
  return { state: str(s.state), timeSec: num(s.timestamp), reason: str(s.reason), message: str(s.message), source: str(s.source) };
}

/** A task's status history, oldest first (at most the last MAX_STATUSES). */
export function statusHistory(task: TaskRow): StatusLine[] {
  const lines = [...objs(task.snapshotStatuses).map(statusLineOf), ...task.updates];
  return lines.slice(-MAX_STATUSES);
}

/** A framework row. */
export interface FrameworkRow {
  readonly id: string;
  name: string;
  hostname: string;
  active: boolean;
  connected: boolean;
  roles: string[];
  removed: boolean;
}

/** An outstanding offer. */
export interface OfferRow {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly resources: Scalars;
}

/** What an event line is about. */
export type EventKind = 'task' | 'agent' | 'framework' | 'fault' | 'master' | 'stream';

/** One line of the Events view. */
export interface EventLine {
  readonly seq: number;
  /** Wall time the page saw it (ms). */
  readonly atMs: number;
  readonly kind: EventKind;
  readonly text: string;
  /** A page of the page this line is about, or ''. */
  readonly href: string;
}

/** One point of the running-tasks chart. */
export interface ChartPoint {
  readonly atMs: number;
  readonly running: number;
}

/** A fault marked on the chart. */
export interface FaultMark {
  readonly atMs: number;
  readonly text: string;
  /** The server's fault seq once known (FAULTLINE_GET_INFO), to merge without doubles. */
  seq: number | null;
}

/** The leading master as GET_MASTER tells it. */
export interface MasterHeader {
  readonly id: string;
  readonly hostname: string;
  readonly port: number | null;
  readonly version: string;
  readonly electedTimeSec: number | null;
}

/** Events kept for the Events view. */
export const MAX_EVENTS = 5000;
/** Chart points kept (one per second: ten minutes). */
export const MAX_CHART_POINTS = 600;
/** Status lines kept per task (the snapshot's plus the updates). */
const MAX_STATUSES = 50;

/** The cluster as the page knows it. */
export class WebModel {
  readonly agents = new Map<string, AgentRow>();
  readonly tasks = new Map<string, TaskRow>();
  readonly frameworks = new Map<string, FrameworkRow>();
  offers: OfferRow[] = [];
  /** Tasks by state (kept as tasks change). */
  readonly taskCounts = new Map<string, number>();
  readonly events: EventLine[] = [];
  readonly chart: ChartPoint[] = [];
  readonly faults: FaultMark[] = [];
  info: FaultlineInfo | null = null;
  master: MasterHeader | null = null;
  heartbeatIntervalSec: number | null = null;
  private eventSeq = 0;
  private lastFaultSeq = -1;
  private lastLeader = '';

  /** The number of running tasks. */
  running(): number {
    return this.taskCounts.get('TASK_RUNNING') ?? 0;
  }

  /** Adds an Events line. */
  note(atMs: number, kind: EventKind, text: string, href = ''): void {
    this.events.push({ seq: this.eventSeq++, atMs, kind, text, href });
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  /** Adds a chart point (the running tasks now). */
  sample(atMs: number): void {
    this.chart.push({ atMs, running: this.running() });
    if (this.chart.length > MAX_CHART_POINTS) this.chart.splice(0, this.chart.length - MAX_CHART_POINTS);
  }

  /** Applies one operator stream event (master.proto Event); false for a type the page does not know. */
  apply(event: Json, atMs: number): boolean {
    switch (str(event.type)) {
      case 'SUBSCRIBED': {
        const subscribed = obj(event.subscribed);
        this.heartbeatIntervalSec = num(subscribed.heartbeat_interval_seconds);
        this.snapshot(obj(subscribed.get_state));
        this.note(atMs, 'stream', `subscribed: ${this.agents.size} agents, ${this.frameworks.size} frameworks, ${this.tasks.size} tasks`);
        return true;
      }
      case 'TASK_ADDED': {
        const task = this.putTask(obj(obj(event.task_added).task));
        if (task) this.note(atMs, 'task', `task ${task.id} added on agent ${this.agentName(task.agentId)}: ${taskWord(task.state)}`, `#/tasks/${encodeURIComponent(task.id)}`);
        return true;
      }
      case 'TASK_UPDATED': {
        const updated = obj(event.task_updated);
        const status = obj(updated.status);
        const id = idOf(status.task_id);
        const latest = str(updated.state) || str(status.state);
        if (id === '' || latest === '') return true;
        let task = this.tasks.get(id);
        if (!task) {
          task = { id, name: id, frameworkId: idOf(updated.framework_id), agentId: idOf(status.agent_id), state: latest, resources: zeroScalars(), snapshotStatuses: [], updates: [] };
          this.tasks.set(id, task);
          this.count(latest, 1);
        } else if (task.state !== latest) {
          this.count(task.state, -1);
          this.count(latest, 1);
          task.state = latest;
        }
        task.updates.push({ ...statusLineOf(status), state: latest });
        if (task.updates.length > MAX_STATUSES) task.updates.splice(0, task.updates.length - MAX_STATUSES);
        this.note(atMs, 'task', `task ${id} is ${taskWord(latest)}${status.reason ? ` (${str(status.reason)})` : ''}`, `#/tasks/${encodeURIComponent(id)}`);
        return true;
      }
      case 'AGENT_ADDED': {
        const agent = this.putAgent(obj(obj(event.agent_added).agent));
        if (agent) this.note(atMs, 'agent', `agent ${agent.hostname} (${agent.id}) added`, '#/agents');
        return true;
      }
      case 'AGENT_REMOVED': {
        const id = idOf(obj(event.agent_removed).agent_id);
        const agent = this.agents.get(id);
        if (agent) agent.state = 'removed';
        this.note(atMs, 'agent', `agent ${agent?.hostname ?? id} removed`, '#/agents');
        return true;
      }
      case 'FRAMEWORK_ADDED':
      case 'FRAMEWORK_UPDATED': {
        const key = str(event.type) === 'FRAMEWORK_ADDED' ? 'framework_added' : 'framework_updated';
        const framework = this.putFramework(obj(obj(event[key]).framework), false);
        if (framework) this.note(atMs, 'framework', `framework ${framework.name} ${key === 'framework_added' ? 'added' : framework.connected ? 'updated: connected' : 'updated: disconnected'}`, `#/frameworks/${encodeURIComponent(framework.id)}`);
        return true;
      }
      case 'FRAMEWORK_REMOVED': {
        const info = obj(obj(event.framework_removed).framework_info);
        const id = idOf(info.id);
        const framework = this.frameworks.get(id);
        if (framework) {
          framework.removed = true;
          framework.active = false;
          framework.connected = false;
        }
        this.note(atMs, 'framework', `framework ${framework?.name ?? (str(info.name) || id)} removed`, `#/frameworks/${encodeURIComponent(id)}`);
        return true;
      }
      case 'HEARTBEAT':
        return true;
      default:
        return false;
    }
  }

  /** Replaces the model with a GET_STATE answer (SUBSCRIBED's get_state). */
  snapshot(state: Json): void {
    this.agents.clear();
    this.tasks.clear();
    this.frameworks.clear();
    this.taskCounts.clear();
    const agents = obj(state.get_agents);
    for (const agent of objs(agents.agents)) this.putAgent(agent);
    const frameworks = obj(state.get_frameworks);
    for (const f of objs(frameworks.frameworks)) this.putFramework(f, false);
    for (const f of objs(frameworks.completed_frameworks)) this.putFramework(f, true);
    this.setOffers(frameworks);
    const tasks = obj(state.get_tasks);
    for (const list of [tasks.tasks, tasks.unreachable_tasks, tasks.completed_tasks, tasks.pending_tasks, tasks.orphan_tasks]) for (const t of objs(list)) this.putTask(t);
    if (this.info) this.applyAgentStates(this.info);
  }

  /** Replaces the offers with those of a GET_FRAMEWORKS answer (and refreshes the frameworks). */
  setFrameworks(frameworks: Json): void {
    for (const f of objs(frameworks.frameworks)) this.putFramework(f, false);
    for (const f of objs(frameworks.completed_frameworks)) this.putFramework(f, true);
    this.setOffers(frameworks);
  }

  /** Sets the master header from a GET_MASTER answer. */
  setMaster(getMaster: Json, atMs: number): void {
    const info = obj(getMaster.master_info);
    const address = obj(info.address);
    const header: MasterHeader = {
      id: str(info.id),
      hostname: str(address.hostname) || str(info.hostname),
      port: num(address.port) ?? num(info.port),
      version: str(info.version),
      electedTimeSec: num(getMaster.elected_time),
    };
    if (this.master !== null && this.master.id !== header.id && header.id !== '') this.note(atMs, 'master', `leading master is now ${header.hostname}:${header.port ?? '?'} (${header.id})`, '#/masters');
    this.master = header;
  }

  /**
   * Takes a FAULTLINE_GET_INFO answer: agent states, a leader change, and the
   * faults not seen yet (each a chart mark and an Events line; a fault this
   * page injected is already marked and only gains its seq). The first answer
   * lists the earlier faults in Events only: they precede the chart.
   */
  setInfo(info: FaultlineInfo, atMs: number): void {
    const first = this.info === null;
    this.info = info;
    this.applyAgentStates(info);
    const leader = info.masters.find((m) => m.state === 'leading');
    const leaderText = leader ? `${leader.node} (epoch ${leader.epoch ?? '?'})` : 'none';
    if (!first && leaderText !== this.lastLeader) this.note(atMs, 'master', `leader is now ${leaderText}`, '#/masters');
    this.lastLeader = leaderText;
    for (const fault of info.faults) {
      if (fault.seq <= this.lastFaultSeq) continue;
      this.lastFaultSeq = fault.seq;
      const text = fault.detail || `${fault.kind} ${fault.target}`;
      if (first) {
        this.note(atMs, 'fault', `earlier fault at ${fault.time.toFixed(1)} s cluster time: ${text}`);
        continue;
      }
      const mine = this.faults.find((f) => f.seq === null && f.text === text);
      if (mine) mine.seq = fault.seq;
      else {
        this.faults.push({ atMs, text, seq: fault.seq });
        this.note(atMs, 'fault', `fault: ${text}`);
      }
    }
  }

  /** Marks a fault this page injected (on the chart and in Events). */
  markFault(atMs: number, text: string): void {
    this.faults.push({ atMs, text, seq: null });
    this.note(atMs, 'fault', `fault (from this page): ${text}`);
  }

  /** An agent's hostname, or its id when unknown. */
  agentName(agentId: string): string {
    return this.agents.get(agentId)?.hostname ?? agentId;
  }

  /** Resources of the tasks that hold them (not terminal), summed. */
  usedResources(): Scalars {
    const used = zeroScalars();
    for (const task of this.tasks.values()) if (!isTerminalTask(task.state) && task.state !== 'TASK_UNREACHABLE') addScalars(used, task.resources);
    return used;
  }

  private applyAgentStates(info: FaultlineInfo): void {
    for (const agent of this.agents.values()) {
      const state = info.agent_states[agent.id];
      const word = state === undefined ? null : agentWordOf(state);
      if (word !== null) agent.state = word;
    }
  }

  private setOffers(frameworks: Json): void {
    const offers: OfferRow[] = [];
    for (const f of objs(frameworks.frameworks)) {
      for (const o of objs(f.offers)) offers.push({ id: idOf(o.id), frameworkId: idOf(o.framework_id), agentId: idOf(o.agent_id), hostname: str(o.hostname), resources: scalarsOf(o.resources) });
    }
    this.offers = offers;
  }

  private count(state: string, delta: number): void {
    this.taskCounts.set(state, (this.taskCounts.get(state) ?? 0) + delta);
  }

  private putAgent(agent: Json): AgentRow | null {
    const info = obj(agent.agent_info);
    const id = idOf(info.id);
    if (id === '') return null;
    const active = agent.active !== false && agent.deactivated !== true;
    const row: AgentRow = { id, hostname: str(info.hostname) || id, pid: str(agent.pid), state: active ? 'active' : 'inactive', total: scalarsOf(agent.total_resources ?? info.resources) };
    this.agents.set(id, row);
    return row;
  }

  private putFramework(framework: Json, removed: boolean): FrameworkRow | null {
    const info = obj(framework.framework_info);
    const id = idOf(info.id);
    if (id === '') return null;
    const roles = Array.isArray(info.roles) ? info.roles.filter((r): r is string => typeof r === 'string') : str(info.role) ? [str(info.role)] : [];
    const row: FrameworkRow = { id, name: str(info.name) || id, hostname: str(info.hostname), active: framework.active === true, connected: framework.connected === true, roles, removed };
    this.frameworks.set(id, row);
    return row;
  }

  private putTask(task: Json): TaskRow | null {
    const id = idOf(task.task_id);
    if (id === '') return null;
    const previous = this.tasks.get(id);
    if (previous) this.count(previous.state, -1);
    const state = str(task.state) || 'TASK_STAGING';
    const row: TaskRow = { id, name: str(task.name) || id, frameworkId: idOf(task.framework_id), agentId: idOf(task.agent_id), state, resources: scalarsOf(task.resources), snapshotStatuses: task.statuses, updates: [] };
    this.tasks.set(id, row);
    this.count(state, 1);
    return row;
  }
}
