/**
 * A fold of the history for the liveness checkers and the recovery metrics,
 * kept for every framework (which ones are services is only known at the end):
 * each task's state as the master reports it, the tasks lost to an unreachable
 * or removed agent (measured from that agent event), the runs (a task's first
 * TASK_RUNNING), and per framework the RUNNING count, when it last changed and
 * when it last got an offer. `matchReplacements` pairs losses with the new
 * RUNNING tasks that replaced them.
 */
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
}

/** Something that must be made good by a new RUNNING task of the framework's service. */
export interface Vacancy {
  readonly taskId: TaskId;
  readonly frameworkId: FrameworkId;
  readonly sinceMs: number;
}

/** How a vacancy was made good. */
export interface Resolution {
  readonly vacancy: Vacancy;
  /** When the service had a task running for it again; null if never. */
  readonly resolvedAtMs: number | null;
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
  private readonly agentGoneAtMs = new Map<AgentId, number>();

  /** Folds one record. */
  observe(r: HistoryRecord): void {
    switch (r.type) {
      case 'master.elected':
        this.leader = { node: r.node, epoch: r.epoch };
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
      case 'agent.registered':
        this.agentGoneAtMs.delete(r.agentId);
        return;
      case 'task.launched':
        this.setState(r.taskId, null, r.atMs);
        this.tasks.set(r.taskId, { frameworkId: r.frameworkId, agentId: r.agentId, state: 'TASK_STAGING', launchedAtMs: r.atMs, runningAtMs: [] });
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
      task = { frameworkId: r.frameworkId, agentId: r.agentId, state: r.state, launchedAtMs: r.atMs, runningAtMs: [] };
      this.tasks.set(r.taskId, task);
    }
    const prev = task.state;
    task.agentId = r.agentId;
    if (LIVE_STATES.has(prev) && LOST_STATES.has(r.state)) {
      this.losses.push({ taskId: r.taskId, frameworkId: task.frameworkId, agentId: r.agentId, lostAtMs: this.agentGoneAtMs.get(r.agentId) ?? r.atMs });
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
    if (fw && wasRunning !== isRunning) {
      fw.running += isRunning ? 1 : -1;
      fw.runningChangedAtMs = atMs;
    }
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
   * original task coming back to RUNNING, whichever is first.
   */
  matchReplacements(vacancies: readonly Vacancy[]): Resolution[] {
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
      if (replacement && (back === undefined || replacement.runningAtMs <= back)) {
        replacement.used = true;
        out[i] = { vacancy: v, resolvedAtMs: replacement.runningAtMs, by: replacement.taskId };
      } else if (back !== undefined) out[i] = { vacancy: v, resolvedAtMs: back, by: v.taskId };
      else out[i] = { vacancy: v, resolvedAtMs: null, by: null };
    }
    return out;
  }
}

/** A loss as a vacancy. */
export function vacancyOfLoss(loss: Loss): Vacancy {
  return { taskId: loss.taskId, frameworkId: loss.frameworkId, sinceMs: loss.lostAtMs };
}
