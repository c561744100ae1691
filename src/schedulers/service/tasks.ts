/**
 * A service's instance records (kept on the scheduler's disk, as Marathon keeps
 * them in ZooKeeper) and the counts the scheduler decides by, kept up to date on
 * every change so no per-update handler scans the table.
 */
import type { AgentId, TaskId } from '../../core/ids.js';
import type { TaskState } from '../../core/task-state.js';
import type { KillSelection } from './app.js';

/**
 * How a task counts toward the target:
 * - `active`: reachable (staging, starting, running); counts.
 * - `unreachable`: unreachable, not yet inactive; still counts (no replacement yet).
 * - `inactive`: unreachable past inactiveAfterMs; does not count (replaced).
 * - `overdue`: not running within taskLaunchTimeout and being killed; still counts
 *   until the kill is confirmed (a terminal update), so its replacement never runs
 *   beside it (Marathon replaces an overdue instance once it is gone).
 * - `doomed`: the scheduler killed it as surplus; does not count.
 */
export type TaskCondition = 'active' | 'unreachable' | 'inactive' | 'overdue' | 'doomed';

/** One instance record. */
export interface ServiceTask {
  readonly taskId: TaskId;
  /** Launch order (the task number on disk): killSelection sorts by it. */
  readonly seq: number;
  agentId: AgentId;
  state: TaskState;
  readonly launchedAtMs: number;
  condition: TaskCondition;
  /** When its agent was marked unreachable (null while reachable). */
  unreachableSinceMs: number | null;
  /** Kills sent so far (overdue and doomed tasks). */
  killsSent: number;
}

/** The durable part of a service scheduler (lives on `SchedulerDisk.state`). */
export interface ServiceState {
  readonly kind: 'service';
  readonly app: string;
  /** The target, changed by setInstances. */
  instances: number;
  /** In launch order. */
  readonly tasks: Map<TaskId, ServiceTask>;
}

/** Whether a disk's opaque state is this app's service state. */
export function isServiceState(value: unknown, app: string): value is ServiceState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ServiceState>;
  return v.kind === 'service' && v.app === app && v.tasks instanceof Map && typeof v.instances === 'number';
}

/** The table with its counts. Rebuilt from the durable state when the scheduler starts. */
export class ServiceTaskTable {
  private readonly counts: Record<TaskCondition, number> = { active: 0, unreachable: 0, inactive: 0, overdue: 0, doomed: 0 };
  private running = 0;
  /** Task ids in launch order, with removed ones left in until compaction (youngest-first walks it backwards). */
  private order: TaskId[] = [];

  constructor(readonly state: ServiceState) {
    const tasks = [...state.tasks.values()].sort((a, b) => a.seq - b.seq);
    for (const task of tasks) {
      this.counts[task.condition] += 1;
      if (this.isRunning(task)) this.running += 1;
      this.order.push(task.taskId);
    }
  }

  get size(): number {
    return this.state.tasks.size;
  }

  get(taskId: TaskId): ServiceTask | undefined {
    return this.state.tasks.get(taskId);
  }

  values(): IterableIterator<ServiceTask> {
    return this.state.tasks.values();
  }

  /** Tasks that count toward the target (active + unreachable-not-yet-inactive + overdue until killed). */
  counted(): number {
    return this.counts.active + this.counts.unreachable + this.counts.overdue;
  }

  count(condition: TaskCondition): number {
    return this.counts[condition];
  }

  /** Active tasks in TASK_RUNNING. */
  runningCount(): number {
    return this.running;
  }

  add(task: ServiceTask): void {
    this.state.tasks.set(task.taskId, task);
    this.counts[task.condition] += 1;
    if (this.isRunning(task)) this.running += 1;
    this.order.push(task.taskId);
  }

  remove(task: ServiceTask): void {
    if (!this.state.tasks.delete(task.taskId)) return;
    this.counts[task.condition] -= 1;
    if (this.isRunning(task)) this.running -= 1;
    if (this.order.length > 2 * this.state.tasks.size + 32) this.order = this.order.filter((id) => this.state.tasks.has(id));
  }

  /** Removes every task (the framework was replaced: its tasks are gone). */
  clear(): void {
    this.state.tasks.clear();
    this.order = [];
    this.running = 0;
    this.counts.active = this.counts.unreachable = this.counts.inactive = this.counts.overdue = this.counts.doomed = 0;
  }

  setCondition(task: ServiceTask, condition: TaskCondition): void {
    const wasRunning = this.isRunning(task);
    this.counts[task.condition] -= 1;
    task.condition = condition;
    this.counts[condition] += 1;
    this.running += Number(this.isRunning(task)) - Number(wasRunning);
  }

  setState(task: ServiceTask, state: TaskState): void {
    const wasRunning = this.isRunning(task);
    task.state = state;
    this.running += Number(this.isRunning(task)) - Number(wasRunning);
  }

  /**
   * Up to `count` active tasks to kill, by killSelection. YoungestFirst walks the
   * launch order from the end, OldestFirst from the start: the victims sit at the
   * end they start from, so this is about O(count), not O(table).
   */
  victims(count: number, selection: KillSelection): ServiceTask[] {
    const out: ServiceTask[] = [];
    if (count <= 0) return out;
    let dead = 0;
    const visit = (id: TaskId): boolean => {
      const task = this.state.tasks.get(id);
      if (task && task.condition === 'active') out.push(task);
      else if (!task || task.condition === 'doomed') dead += 1;
      return out.length >= count;
    };
    if (selection === 'YoungestFirst') {
      for (let i = this.order.length - 1; i >= 0; i -= 1) if (visit(this.order[i] as TaskId)) break;
    } else {
      for (const id of this.order) if (visit(id)) break;
    }
    // A burst of returns dooms one victim per walk, and the next walk would skip them
    // all again: drop doomed and removed ids (a doomed task is never a victim again).
    if (dead > 32 + 2 * count) {
      this.order = this.order.filter((id) => {
        const condition = this.state.tasks.get(id)?.condition;
        return condition !== undefined && condition !== 'doomed';
      });
    }
    return out;
  }

  private isRunning(task: ServiceTask): boolean {
    return task.condition === 'active' && task.state === 'TASK_RUNNING';
  }
}
