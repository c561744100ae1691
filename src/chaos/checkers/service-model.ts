/**
 * A fold of the history for the liveness checkers and the recovery metrics,
 * kept for every framework (which ones are services is only known at the end):
 * each task's state as the master reports it, the tasks lost to an unreachable
 * or removed agent (measured from that agent event), the runs (a task's first
 * TASK_RUNNING), and per framework the RUNNING count, when it last changed and
 * when it last got an offer. `matchReplacements` pairs losses with the new
 * RUNNING tasks that replaced them.
 */
import { isTerminal } from '../../core/task-state.js';
import type { HistoryRecord } from '../../core/events.js';
import type { AgentId, FrameworkId, NodeId, TaskId } from '../../core/ids.js';
import type { TaskState } from '../../core/task-state.js';

/** A task the master took away because its agent went away. */
export interface Loss {
  readonly taskId: TaskId;
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
  /** The agent.unreachable (or agent.removed) time; the task update's time if none was seen. */
  readonly lostAtMs: number;
  /** When the master reported the task lost (task.updated). */
  readonly reportedAtMs: number;
  /**
   * Lost to a host that rebooted while the leader had only recovered its old agent (elected at this
   * time, the agent not reregistered since): a master matches a new registration to a registered
   * agent only (Mesos: by address), so it learns of the loss when it times the agent out, an
   * agentReregisterTimeoutMs after the failover. Null otherwise.
   */
  readonly recoveredSinceMs: number | null;
}

/** Something that must be made good by a new RUNNING task of the framework's service. */
export interface Vacancy {
  readonly taskId: TaskId;
  readonly frameworkId: FrameworkId;
  /** Measured from here (the agent event of a loss). */
  readonly sinceMs: number;
  /** When the task stopped counting (the master's update); defaults to sinceMs. */
  readonly reportedAtMs?: number;
}

/** How a vacancy was made good: a replacement RUNNING, the original back, or the service back at its N RUNNING. */
export type ResolutionKind = 'replaced' | 'returned' | 'restored';

/** How a vacancy was made good. */
export interface Resolution {
  readonly vacancy: Vacancy;
  /** When the service had a task running for it again; null if never. */
  readonly resolvedAtMs: number | null;
  readonly how: ResolutionKind | null;
  /** The replacement task, or the original itself when it came back. */
  readonly by: TaskId | null;
}

interface TaskTrack {
  readonly frameworkId: FrameworkId;
  agentId: AgentId;
  state: TaskState;
  readonly launchedAtMs: number;
  /** Times the task (re)entered RUNNING, oldest first. */
  readonly runningAtMs: number[];
  /** Whether it was lost or ended before it first ran (whatever became of it later). */
  lostBeforeRunning: boolean;
}

interface FrameworkTrack {
  readonly name: string;
  node: NodeId;
  state: 'active' | 'disconnected' | 'removed';
  running: number;
  runningChangedAtMs: number;
  lastOfferAtMs: number | null;
}

/** Master-imposed states that take a task away from its scheduler. */
const LOST_STATES: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_LOST', 'TASK_UNREACHABLE', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);
/** States of a task that is (meant to be) alive. */
const LIVE_STATES: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING']);

/** The streaming fold. */
export class ServiceModel {
  readonly tasks = new Map<TaskId, TaskTrack>();
  readonly frameworks = new Map<FrameworkId, FrameworkTrack>();
  readonly losses: Loss[] = [];
  leader: { readonly node: NodeId; readonly epoch: number } | null = null;
  /** When the current leader was elected. */
  private leaderSinceMs = 0;
  private readonly agentGoneAtMs = new Map<AgentId, number>();
  /** The epoch each agent last (re)registered at. */
  private readonly agentEpoch = new Map<AgentId, number>();
  /** Agent ids each host has registered under. */
  private readonly hostAgents = new Map<string, Set<AgentId>>();
  /** Per framework name: the RUNNING count after each change, in time order. */
  private readonly runningTimeline = new Map<string, Array<{ readonly atMs: number; readonly running: number }>>();

  /** Folds one record. */
  observe(r: HistoryRecord): void {
    switch (r.type) {
      case 'master.elected':
        this.leader = { node: r.node, epoch: r.epoch };
        this.leaderSinceMs = r.atMs;
        return;
      case 'master.deposed':
      case 'node.stopped':
        if (this.leader?.node === r.node) this.leader = null;
        return;
      case 'framework.subscribed':
      case 'framework.resubscribed': {
        const fw = this.frameworks.get(r.frameworkId);
        if (fw) {
          fw.node = r.node;
          fw.state = 'active';
        } else this.frameworks.set(r.frameworkId, { name: r.name, node: r.node, state: 'active', running: 0, runningChangedAtMs: r.atMs, lastOfferAtMs: null });
        return;
      }
      case 'framework.disconnected':
      case 'framework.removed': {
        const fw = this.frameworks.get(r.frameworkId);
        if (fw) fw.state = r.type === 'framework.removed' ? 'removed' : 'disconnected';
        return;
      }
      case 'offer.created': {
        const fw = this.frameworks.get(r.frameworkId);
        if (fw) fw.lastOfferAtMs = r.atMs;
        return;
      }
      case 'agent.unreachable':
      case 'agent.removed':
        if (!this.agentGoneAtMs.has(r.agentId)) this.agentGoneAtMs.set(r.agentId, r.atMs);
        return;
      case 'agent.reregistered':
      case 'agent.registered': {
        this.agentGoneAtMs.delete(r.agentId);
        this.agentEpoch.set(r.agentId, r.epoch);
        const ids = this.hostAgents.get(r.host) ?? new Set<AgentId>();
        if (r.type === 'agent.registered') {
          // A new agent id on a host: the host rebooted, and the tasks of its older ids died with it,
          // even when no master is left that knew them (a failover in between).
          for (const [taskId, task] of this.tasks) {
            if (task.agentId === r.agentId || !ids.has(task.agentId) || isTerminal(task.state)) continue;
            // A loss like any other (the master may report it later, or never): counted here, once.
            if (LIVE_STATES.has(task.state)) {
              const goneAtMs = this.agentGoneAtMs.get(task.agentId);
              const recovered = goneAtMs === undefined && (this.agentEpoch.get(task.agentId) ?? r.epoch) < r.epoch;
              const lostAtMs = goneAtMs ?? r.atMs;
              this.losses.push({ taskId, frameworkId: task.frameworkId, agentId: task.agentId, lostAtMs, reportedAtMs: r.atMs, recoveredSinceMs: recovered ? this.leaderSinceMs : null });
            }
            this.setState(taskId, 'TASK_GONE', r.atMs);
          }
        }
        ids.add(r.agentId);
        this.hostAgents.set(r.host, ids);
        return;
      }
      case 'task.launched':
        this.setState(r.taskId, null, r.atMs);
        this.tasks.set(r.taskId, { frameworkId: r.frameworkId, agentId: r.agentId, state: 'TASK_STAGING', launchedAtMs: r.atMs, runningAtMs: [], lostBeforeRunning: false });
        return;
      case 'task.updated':
        this.onUpdated(r);
        return;
      default:
        return;
    }
  }

  private onUpdated(r: Extract<HistoryRecord, { type: 'task.updated' }>): void {
    let task = this.tasks.get(r.taskId);
    if (!task) {
      task = { frameworkId: r.frameworkId, agentId: r.agentId, state: r.state, launchedAtMs: r.atMs, runningAtMs: [], lostBeforeRunning: false };
      this.tasks.set(r.taskId, task);
    }
    const prev = task.state;
    task.agentId = r.agentId;
    if (LIVE_STATES.has(prev) && LOST_STATES.has(r.state)) {
      const lostAtMs = this.agentGoneAtMs.get(r.agentId) ?? r.atMs;
      this.losses.push({ taskId: r.taskId, frameworkId: task.frameworkId, agentId: r.agentId, lostAtMs, reportedAtMs: r.atMs, recoveredSinceMs: null });
    }
    this.setState(r.taskId, r.state, r.atMs);
  }

  /** Moves a task to a state (null: forget it), keeping the framework's RUNNING count. */
  private setState(taskId: TaskId, state: TaskState | null, atMs: number): void {
    const task = this.tasks.get(taskId);
    if (!task) return;
    const fw = this.frameworks.get(task.frameworkId);
    const wasRunning = task.state === 'TASK_RUNNING';
    const isRunning = state === 'TASK_RUNNING';
    if (state !== null) task.state = state;
    if (isRunning && !wasRunning) task.runningAtMs.push(atMs);
    if (state !== null && !LIVE_STATES.has(state) && task.runningAtMs.length === 0) task.lostBeforeRunning = true;
    if (fw && wasRunning !== isRunning) {
      fw.running += isRunning ? 1 : -1;
      fw.runningChangedAtMs = atMs;
      let timeline = this.runningTimeline.get(fw.name);
      if (!timeline) this.runningTimeline.set(fw.name, (timeline = []));
      const before = timeline[timeline.length - 1]?.running ?? 0;
      timeline.push({ atMs, running: before + (isRunning ? 1 : -1) });
    }
  }

  /** The first time at or after `fromMs` that the service had at least `instances` tasks RUNNING; null if never. */
  restoredAtMs(service: string, fromMs: number, instances: number): number | null {
    const timeline = this.runningTimeline.get(service) ?? [];
    // The last change at or before fromMs gives the count then (binary search: the timeline is in time order).
    let lo = 0;
    let hi = timeline.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((timeline[mid]?.atMs ?? 0) <= fromMs) lo = mid + 1;
      else hi = mid;
    }
    if ((timeline[lo - 1]?.running ?? 0) >= instances) return fromMs;
    for (let i = lo; i < timeline.length; i += 1) {
      const entry = timeline[i];
      if (entry && entry.running >= instances) return entry.atMs;
    }
    return null;
  }

  /**
   * Tasks of a service launched in [fromMs, toMs] that were lost or ended
   * before they first ran, judged when it happened (a task lost while staging
   * that came back later still was lost before running), not on its final state.
   */
  launchedButNeverRan(service: string, fromMs: number, toMs: number): TaskId[] {
    const out: TaskId[] = [];
    for (const [taskId, task] of this.tasks) {
      if (task.launchedAtMs < fromMs || task.launchedAtMs > toMs || !task.lostBeforeRunning) continue;
      if (this.serviceOf(task.frameworkId) === service) out.push(taskId);
    }
    return out;
  }

  /** Framework ids whose name is `service`. */
  frameworksOf(service: string): FrameworkId[] {
    const ids: FrameworkId[] = [];
    for (const [id, fw] of this.frameworks) if (fw.name === service) ids.push(id);
    return ids;
  }

  /** The service (framework name) of a framework id. */
  serviceOf(frameworkId: FrameworkId): string | undefined {
    return this.frameworks.get(frameworkId)?.name;
  }

  /**
   * Pairs each vacancy (oldest first) with the first unclaimed task of the same
   * service that was launched at or after it and reached RUNNING, or with the
   * original task coming back to RUNNING, or, when `instancesOf` knows the
   * service's N, with the service being back at N RUNNING: whichever is first.
   */
  matchReplacements(vacancies: readonly Vacancy[], instancesOf: (service: string) => number | undefined = () => undefined): Resolution[] {
    type Run = { readonly taskId: TaskId; readonly launchedAtMs: number; readonly runningAtMs: number; used: boolean };
    const runsByService = new Map<string, Run[]>();
    for (const [taskId, task] of this.tasks) {
      const service = this.serviceOf(task.frameworkId);
      const first = task.runningAtMs[0];
      if (service === undefined || first === undefined) continue;
      const runs = runsByService.get(service) ?? [];
      runs.push({ taskId, launchedAtMs: task.launchedAtMs, runningAtMs: first, used: false });
      runsByService.set(service, runs);
    }
    for (const runs of runsByService.values()) runs.sort((a, b) => a.runningAtMs - b.runningAtMs);
    const cursor = new Map<string, number>();
    const order = vacancies.map((v, i) => ({ v, i })).sort((a, b) => a.v.sinceMs - b.v.sinceMs || a.i - b.i);
    const out: Resolution[] = new Array<Resolution>(vacancies.length);
    for (const { v, i } of order) {
      const service = this.serviceOf(v.frameworkId) ?? '';
      const runs = runsByService.get(service) ?? [];
      // Vacancies come oldest first, so a run launched before this one is useless
      // for every later one too: mark it used. That keeps the whole match linear.
      let start = cursor.get(service) ?? 0;
      while (start < runs.length && runs[start]?.used) start += 1;
      cursor.set(service, start);
      let replacement: Run | undefined;
      for (let k = start; k < runs.length && !replacement; k += 1) {
        const run = runs[k];
        if (!run || run.used) continue;
        if (run.launchedAtMs < v.sinceMs || run.taskId === v.taskId) run.used = run.launchedAtMs < v.sinceMs;
        else replacement = run;
      }
      const back = this.tasks.get(v.taskId)?.runningAtMs.find((t) => t >= v.sinceMs);
      const instances = instancesOf(service);
      const restored = instances === undefined ? null : this.restoredAtMs(service, v.reportedAtMs ?? v.sinceMs, instances);
      const candidates: Array<{ at: number; how: ResolutionKind; by: TaskId | null }> = [];
      if (replacement) candidates.push({ at: replacement.runningAtMs, how: 'replaced', by: replacement.taskId });
      if (back !== undefined) candidates.push({ at: back, how: 'returned', by: v.taskId });
      if (restored !== null) candidates.push({ at: restored, how: 'restored', by: null });
      // Earliest wins; on a tie a named replacement reads better than "restored".
      candidates.sort((a, b) => a.at - b.at || KIND_ORDER[a.how] - KIND_ORDER[b.how]);
      const best = candidates[0];
      if (best?.how === 'replaced' && replacement) replacement.used = true;
      out[i] = best ? { vacancy: v, resolvedAtMs: best.at, how: best.how, by: best.by } : { vacancy: v, resolvedAtMs: null, how: null, by: null };
    }
    return out;
  }
}

const KIND_ORDER: Readonly<Record<ResolutionKind, number>> = { replaced: 0, returned: 1, restored: 2 };

/** A loss as a vacancy. */
export function vacancyOfLoss(loss: Loss): Vacancy {
  return { taskId: loss.taskId, frameworkId: loss.frameworkId, sinceMs: loss.lostAtMs, reportedAtMs: loss.reportedAtMs };
}
