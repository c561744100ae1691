/**
 * The simulated executor: tasks are processes on a host. A launched task
 * reports TASK_STARTING, then TASK_RUNNING, then (with a durationMs) TASK_FINISHED
 * or TASK_FAILED (failureProbability). A task without a duration runs until
 * killed; with a failureProbability it fails, with that probability, at a random
 * point of its first `failureWindowMs`. Status reaches the agent through the
 * port the runtime injects (the TaskExecutor contract of src/core/actor.ts),
 * as a process executor's does. A host crash kills its tasks silently: nobody
 * is left to report them; the master learns it by losing the agent.
 */
import type { TaskExecutor } from '../core/actor.js';
import type { NodeId, TaskId } from '../core/ids.js';
import type { ExecutorMessage, TaskInfo } from '../core/messages.js';
import type { Prng } from '../core/prng.js';

/** What the simulated executor needs of its runtime: delays on the virtual clock, and a way to tell an agent. */
export interface ExecutorPort {
  /** Runs `fn` after `delayMs` of virtual time. */
  schedule(delayMs: number, fn: () => void): void;
  /** Hands a task's status to the agent on `host` (an `executor.status` message from itself). */
  report(host: NodeId, status: ExecutorMessage): void;
}

/** Executor timing. */
export interface ExecutorOptions {
  /** Launch to TASK_STARTING (fetch, sandbox). */
  readonly startDelayMs: number;
  /** TASK_STARTING to TASK_RUNNING. */
  readonly runDelayMs: number;
  /** Kill to TASK_KILLED (the kill grace period). */
  readonly killDelayMs: number;
  /** Window in which a forever-task with a failureProbability may fail. */
  readonly failureWindowMs: number;
}

/** Defaults: 50 ms to start, 100 ms more to run, 50 ms to die. */
export const DEFAULT_EXECUTOR: ExecutorOptions = { startDelayMs: 50, runDelayMs: 100, killDelayMs: 50, failureWindowMs: 60_000 };

interface LiveTask {
  readonly host: NodeId;
  readonly task: TaskInfo;
  /** The last state reported to the agent (re-reported when the agent process restarts). */
  reported: ExecutorMessage | null;
  /** Bumped on kill or crash: stale scheduled reports check it and stand down. */
  generation: number;
  ended: boolean;
}

/** The executors of every host in one simulation. */
export class SimExecutors {
  private readonly tasks = new Map<TaskId, LiveTask>();
  private readonly byHost = new Map<NodeId, Set<TaskId>>();
  /** Final reports per host, kept so a restarted agent still learns how its tasks ended. */
  private readonly endedByHost = new Map<NodeId, Map<TaskId, ExecutorMessage>>();
  private static readonly ENDED_KEPT = 1_000;

  constructor(
    private readonly port: ExecutorPort,
    private readonly prng: Prng,
    private readonly options: ExecutorOptions = DEFAULT_EXECUTOR,
  ) {}

  /** The TaskExecutor an agent on `host` uses. */
  executorFor(host: NodeId): TaskExecutor {
    return {
      launch: (task) => this.launch(host, task),
      kill: (taskId) => this.kill(taskId, 'killed by the agent'),
    };
  }

  /** Host of a live task, if any (ground truth). */
  hostOf(taskId: TaskId): NodeId | undefined {
    const live = this.tasks.get(taskId);
    return live && !live.ended ? live.host : undefined;
  }

  /** Live tasks on a host. */
  tasksOn(host: NodeId): TaskId[] {
    return [...(this.byHost.get(host) ?? [])];
  }

  /** Number of live tasks across all hosts. */
  get liveCount(): number {
    return this.tasks.size;
  }

  /** Kills a task from outside (an operator's `kill`): it reports TASK_KILLED. */
  kill(taskId: TaskId, message: string): boolean {
    const live = this.tasks.get(taskId);
    if (!live || live.ended) return false;
    live.generation += 1;
    const generation = live.generation;
    this.port.schedule(this.options.killDelayMs, () => {
      if (live.generation !== generation || live.ended) return;
      this.end(live, 'TASK_KILLED', message);
    });
    return true;
  }

  /**
   * The agent process on `host` restarted: like Mesos executors reregistering
   * with a recovered agent, every task re-reports its latest state, and tasks
   * that ended re-send their final update (the first may have been lost in the
   * restart). The agent ignores what it already knows.
   */
  reattach(host: NodeId): void {
    for (const id of this.byHost.get(host) ?? []) {
      const reported = this.tasks.get(id)?.reported;
      if (reported) this.port.report(host, reported);
    }
    for (const message of this.endedByHost.get(host)?.values() ?? []) this.port.report(host, message);
  }

  /** A host crashed: its tasks die without a word. */
  crashHost(host: NodeId): number {
    const ids = this.byHost.get(host);
    if (!ids) return 0;
    const count = ids.size;
    for (const id of ids) {
      const live = this.tasks.get(id);
      if (live) {
        live.ended = true;
        live.generation += 1;
        this.tasks.delete(id);
      }
    }
    this.byHost.delete(host);
    this.endedByHost.delete(host);
    return count;
  }

  private launch(host: NodeId, task: TaskInfo): void {
    if (this.tasks.has(task.taskId)) return; // a duplicated run_task: the process exists already
    const live: LiveTask = { host, task, reported: null, generation: 0, ended: false };
    this.tasks.set(task.taskId, live);
    let set = this.byHost.get(host);
    if (!set) {
      set = new Set();
      this.byHost.set(host, set);
    }
    set.add(task.taskId);
    const { startDelayMs, runDelayMs } = this.options;
    this.report(live, startDelayMs, 'TASK_STARTING');
    this.report(live, startDelayMs + runDelayMs, 'TASK_RUNNING');
    const failure = task.failureProbability ?? 0;
    const runningAt = startDelayMs + runDelayMs;
    if (task.durationMs !== undefined && task.durationMs !== null) {
      const failed = this.prng.chance(failure);
      this.finishAt(live, runningAt + task.durationMs, failed ? 'TASK_FAILED' : 'TASK_FINISHED', failed ? 'exited with status 1' : 'exited with status 0');
    } else if (failure > 0 && this.prng.chance(failure)) {
      this.finishAt(live, runningAt + this.prng.next() * this.options.failureWindowMs, 'TASK_FAILED', 'exited with status 137');
    }
  }

  private report(live: LiveTask, delayMs: number, state: 'TASK_STARTING' | 'TASK_RUNNING'): void {
    const generation = live.generation;
    this.port.schedule(delayMs, () => {
      if (live.generation !== generation || live.ended) return;
      live.reported = { type: 'executor.status', taskId: live.task.taskId, state };
      this.port.report(live.host, live.reported);
    });
  }

  private finishAt(live: LiveTask, delayMs: number, state: 'TASK_FINISHED' | 'TASK_FAILED', message: string): void {
    const generation = live.generation;
    this.port.schedule(delayMs, () => {
      if (live.generation !== generation || live.ended) return;
      this.end(live, state, message);
    });
  }

  private end(live: LiveTask, state: ExecutorMessage['state'], message: string): void {
    live.ended = true;
    this.tasks.delete(live.task.taskId);
    this.byHost.get(live.host)?.delete(live.task.taskId);
    const final: ExecutorMessage = { type: 'executor.status', taskId: live.task.taskId, state, message };
    let ended = this.endedByHost.get(live.host);
    if (!ended) {
      ended = new Map();
      this.endedByHost.set(live.host, ended);
    }
    ended.set(live.task.taskId, final);
    if (ended.size > SimExecutors.ENDED_KEPT) ended.delete(ended.keys().next().value as TaskId);
    this.port.report(live.host, final);
  }
}
