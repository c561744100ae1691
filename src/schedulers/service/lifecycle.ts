/**
 * What a service does to each instance as its status changes: the launch
 * timeout, the unreachableStrategy (inactive, then expunged), coming back, the
 * surplus kill by killSelection, and kills retried until confirmed. Timers are
 * per task (`svc.stage:<id>`, `svc.inactive:<id>`, `svc.expunge:<id>`,
 * `svc.kill:<id>`) so nothing scans the table on a timer.
 */
import type { ActorContext } from '../../core/actor.js';
import { assertNever } from '../../core/errors.js';
import { formatDuration } from '../../core/duration.js';
import type { Offer, TaskStatus } from '../../core/messages.js';
import type { Timing } from '../../core/timing.js';
import { killRetryMsOf } from '../defaults.js';
import type { SchedulerDriver } from '../driver.js';
import { classifyStatus, describeStatus } from '../status.js';
import type { ServiceApp, ServiceBugs } from './app.js';
import type { ServiceTask, ServiceTaskTable } from './tasks.js';

/** What the lifecycle works with. */
export interface LifecycleOptions {
  readonly ctx: ActorContext;
  readonly app: ServiceApp;
  readonly timing: Timing;
  readonly bugs: ServiceBugs;
  readonly table: ServiceTaskTable;
  readonly driver: SchedulerDriver;
  readonly note: (text: string) => void;
}

const TIMER = { stage: 'svc.stage:', inactive: 'svc.inactive:', expunge: 'svc.expunge:', kill: 'svc.kill:' } as const;

/** Per-instance failure handling of one service. */
export class ServiceLifecycle {
  private readonly ctx: ActorContext;
  private readonly table: ServiceTaskTable;
  /** Tasks that stopped counting and are not replaced yet, oldest first: for the notes only. */
  private readonly awaitingReplacement: string[] = [];

  constructor(private readonly o: LifecycleOptions) {
    this.ctx = o.ctx;
    this.table = o.table;
  }

  /** Re-arms every timer from the records (after a scheduler restart). */
  rearm(): void {
    const now = this.ctx.now();
    for (const task of this.table.values()) {
      if (isBeingKilled(task)) this.armKillRetry(task);
      if (task.condition === 'active' && isLaunching(task)) this.ctx.setTimer(TIMER.stage + task.taskId, Math.max(0, task.launchedAtMs + this.o.app.taskLaunchTimeoutMs - now));
      if (task.unreachableSinceMs !== null) this.armUnreachable(task, task.unreachableSinceMs);
    }
  }

  /**
   * After a (re)subscription: kills still unconfirmed are sent again now, with
   * a fresh backoff. Sent while disconnected, or to a master that has since
   * gone, they were most likely dropped, and the backoff may have grown to
   * tens of seconds: meanwhile the task runs beside its replacement.
   */
  resendKills(): void {
    for (const task of this.table.values()) {
      if (!isBeingKilled(task)) continue;
      this.o.driver.kill(task.taskId, task.agentId);
      task.killsSent = 1;
      this.armKillRetry(task);
    }
  }

  /** Cancels every per-task timer (the records are about to be dropped). */
  cancelAll(): void {
    for (const task of this.table.values()) this.cancelTimers(task);
  }

  /** A task was just launched on `offer`. */
  launched(task: ServiceTask, offer: Offer): void {
    this.ctx.setTimer(TIMER.stage + task.taskId, this.o.app.taskLaunchTimeoutMs);
    const replaced = this.awaitingReplacement.shift();
    if (replaced !== undefined) this.o.note(`launched ${task.taskId} on ${offer.agentId} (${offer.host}) replacing ${replaced}`);
  }

  /** A status update about a known task. */
  update(task: ServiceTask, status: TaskStatus): void {
    if (this.o.bugs.ignoreUnreachable && (status.state === 'TASK_LOST' || status.state === 'TASK_UNREACHABLE')) {
      this.unreachable(task, status); // the bug: counted forever, never replaced (armUnreachable does nothing)
      return;
    }
    const statusClass = classifyStatus(status);
    switch (statusClass) {
      case 'alive':
        this.alive(task, status);
        return;
      case 'unreachable':
        this.unreachable(task, status);
        return;
      case 'gone':
        this.gone(task, status);
        return;
      default:
        assertNever(statusClass, 'status class');
    }
  }

  private alive(task: ServiceTask, status: TaskStatus): void {
    task.agentId = status.agentId;
    this.table.setState(task, status.state);
    if (!isLaunching(task)) this.ctx.cancelTimer(TIMER.stage + task.taskId);
    if (isBeingKilled(task)) {
      // Our kill has not landed (the agent was away, or the kill was lost): say it again.
      if (status.state !== 'TASK_KILLING' && status.reason === 'REASON_AGENT_REREGISTERED') this.o.driver.kill(task.taskId, task.agentId);
      return;
    }
    if (task.condition === 'unreachable' || task.condition === 'inactive') {
      const away = task.unreachableSinceMs === null ? '' : ` after ${formatDuration(this.ctx.now() - task.unreachableSinceMs)} away`;
      this.o.note(`${task.taskId} came back ${describeStatus(status)} on ${task.agentId}${away}`);
      this.ctx.cancelTimer(TIMER.inactive + task.taskId);
      this.ctx.cancelTimer(TIMER.expunge + task.taskId);
      task.unreachableSinceMs = null;
      this.table.setCondition(task, 'active');
      // Still not running after it came back (it was overdue when it went away): the launch timeout applies again.
      if (isLaunching(task)) this.ctx.setTimer(TIMER.stage + task.taskId, this.o.app.taskLaunchTimeoutMs);
    }
  }

  private unreachable(task: ServiceTask, status: TaskStatus): void {
    this.table.setState(task, status.state);
    this.ctx.cancelTimer(TIMER.stage + task.taskId);
    if (task.condition === 'doomed') {
      // A kill we sent was answered "lost" by reconciliation (the master does not know
      // the task): it is as good as dead. Otherwise keep retrying until it returns or expires.
      if (status.reason === 'REASON_RECONCILIATION' && status.state === 'TASK_LOST') {
        this.forget(task);
      } else if (task.unreachableSinceMs === null) {
        task.unreachableSinceMs = sinceOf(status, this.ctx.now());
        this.armUnreachable(task, task.unreachableSinceMs);
      }
      return;
    }
    if (task.condition === 'overdue') {
      // Its kill cannot land while the agent is away: it counts as an unreachable instance now (the
      // unreachableStrategy replaces it in time), and the launch timeout applies again if it returns.
      this.ctx.cancelTimer(TIMER.kill + task.taskId);
      task.unreachableSinceMs = null;
      this.table.setCondition(task, 'unreachable');
    }
    if (task.unreachableSinceMs !== null) return; // already counted as away; keep the first time
    const since = sinceOf(status, this.ctx.now());
    task.unreachableSinceMs = since;
    this.table.setCondition(task, 'unreachable');
    this.armUnreachable(task, since);
  }

  /** Schedules inactive and expunge for a task away since `since` (or applies them at once when due). */
  private armUnreachable(task: ServiceTask, since: number): void {
    const strategy = this.o.app.unreachableStrategy;
    if (strategy === 'disabled' || this.o.bugs.ignoreUnreachable) return;
    const now = this.ctx.now();
    if (task.condition === 'unreachable') {
      const inactiveInMs = since + strategy.inactiveAfterMs - now;
      if (inactiveInMs <= 0) this.goInactive(task);
      else this.ctx.setTimer(TIMER.inactive + task.taskId, inactiveInMs);
    }
    this.ctx.setTimer(TIMER.expunge + task.taskId, Math.max(0, since + strategy.expungeAfterMs - now));
  }

  private goInactive(task: ServiceTask): void {
    this.table.setCondition(task, 'inactive');
    this.awaitReplacement(task);
    this.o.note(`${task.taskId} inactive: unreachable on ${task.agentId} for ${formatDuration(this.ctx.now() - (task.unreachableSinceMs ?? this.ctx.now()))}; starting a replacement`);
  }

  private gone(task: ServiceTask, status: TaskStatus): void {
    const wasCounted = task.condition === 'active' || task.condition === 'unreachable' || task.condition === 'overdue';
    this.forget(task);
    if (!wasCounted) return; // doomed (we killed it) or inactive (already replaced)
    this.awaitReplacement(task);
    this.o.note(`${task.taskId} ${describeStatus(status)} on ${task.agentId}: starting a replacement`);
  }

  private awaitReplacement(task: ServiceTask): void {
    this.awaitingReplacement.push(task.taskId);
    if (this.awaitingReplacement.length > this.table.state.instances) this.awaitingReplacement.shift();
  }

  private forget(task: ServiceTask): void {
    this.cancelTimers(task);
    this.table.remove(task);
  }

  /** Handles a lifecycle timer; false when the key is not one of them. */
  timer(key: string): boolean {
    const colon = key.indexOf(':');
    if (colon < 0 || !key.startsWith('svc.')) return false;
    const prefix = key.slice(0, colon + 1);
    const task = this.table.get(key.slice(colon + 1));
    if (task === undefined) return true;
    switch (prefix) {
      case TIMER.stage:
        if (task.condition === 'active' && isLaunching(task)) {
          // Replaced only once its kill is confirmed: an agent cut off from us may still start it.
          this.kill(task, 'overdue', `${task.state} for longer than ${formatDuration(this.o.app.taskLaunchTimeoutMs)} (taskLaunchTimeout); replaced once the kill is confirmed`);
        }
        return true;
      case TIMER.inactive:
        if (task.condition === 'unreachable') this.goInactive(task);
        return true;
      case TIMER.expunge:
        if (task.unreachableSinceMs === null) return true;
        this.o.note(`expunged ${task.taskId}: unreachable for ${formatDuration(this.ctx.now() - task.unreachableSinceMs)}; killed if it comes back`);
        if (task.condition === 'unreachable') this.awaitReplacement(task);
        this.forget(task);
        return true;
      case TIMER.kill:
        if (!isBeingKilled(task)) return true;
        this.o.driver.kill(task.taskId, task.agentId);
        task.killsSent += 1;
        this.armKillRetry(task);
        return true;
      default:
        return false;
    }
  }

  /**
   * Kills tasks beyond the target, chosen by killSelection among the active ones.
   * `scaling` marks an operator's scale-down, which the neverKillSurplus bug leaves alone.
   */
  killSurplus(why: string, options: { readonly scaling?: boolean } = {}): void {
    const excess = this.table.counted() - this.table.state.instances;
    if (excess <= 0) return;
    if (this.o.bugs.neverKillSurplus && options.scaling !== true) return;
    for (const task of this.table.victims(excess, this.o.app.killSelection)) {
      this.kill(task, 'doomed', `surplus (${why}; ${this.table.counted()} > ${this.table.state.instances}, ${this.o.app.killSelection})`);
    }
  }

  private kill(task: ServiceTask, condition: 'overdue' | 'doomed', why: string): void {
    this.ctx.cancelTimer(TIMER.stage + task.taskId);
    this.ctx.cancelTimer(TIMER.inactive + task.taskId);
    this.table.setCondition(task, condition);
    this.o.note(`killing ${task.taskId} on ${task.agentId}: ${why}`);
    this.o.driver.kill(task.taskId, task.agentId);
    task.killsSent = 1;
    this.armKillRetry(task);
  }

  /** Kills are retried at a constant interval until confirmed, like Marathon's `--kill_retry_timeout`. */
  private armKillRetry(task: ServiceTask): void {
    this.ctx.setTimer(TIMER.kill + task.taskId, killRetryMsOf(this.o.timing));
  }

  private cancelTimers(task: ServiceTask): void {
    for (const prefix of Object.values(TIMER)) this.ctx.cancelTimer(prefix + task.taskId);
  }
}

/** Whether the scheduler is killing the task (its kill is retried until confirmed). */
function isBeingKilled(task: ServiceTask): boolean {
  return task.condition === 'doomed' || task.condition === 'overdue';
}

/** Whether the task has not reached TASK_RUNNING yet (the launch timeout applies). */
function isLaunching(task: ServiceTask): boolean {
  return task.state === 'TASK_STAGING' || task.state === 'TASK_STARTING';
}

/** When the task's agent was marked unreachable: the master's figure when it gives one. */
function sinceOf(status: TaskStatus, nowMs: number): number {
  return status.unreachableTimeMs ?? nowMs;
}
