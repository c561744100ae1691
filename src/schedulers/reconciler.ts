/**
 * Task reconciliation as the Mesos docs recommend it: after every (re)subscribe,
 * explicit reconciliation of every task the scheduler knows, resent with
 * truncated exponential backoff until each task has been answered (any update
 * about it counts), then one implicit reconciliation; and an implicit one every
 * reconcileIntervalMs after that. One implicit reconciliation also goes out at
 * the start of the round: the explicit answers about tasks on agents still to
 * reregister may take many backoffs, and only an implicit one tells the
 * scheduler about tasks it does not know (expunged ones a reregistering agent
 * brought back), which it must kill before they overlap their replacements.
 */
import type { ActorContext } from '../core/actor.js';
import type { AgentId, FrameworkId, TaskId } from '../core/ids.js';
import type { ReconcileTask, SchedulerMessage } from '../core/messages.js';
import type { Timing } from '../core/timing.js';

/** Timer keys the reconciler owns. */
export const RECONCILE_TIMERS = { explicit: 'driver.reconcile-explicit', implicit: 'driver.reconcile-implicit' } as const;

/** How many times the explicit backoff doubles before it stops growing. */
const MAX_BACKOFF_DOUBLINGS = 3;

/** Options of the reconciler. */
export interface ReconcilerOptions {
  readonly ctx: ActorContext;
  readonly timing: Timing;
  /** Sends a call to the master the driver talks to (dropped while there is none). */
  readonly send: (message: SchedulerMessage) => void;
  /** The framework id the calls carry (null: not subscribed yet, nothing is sent). */
  readonly frameworkId: () => FrameworkId | null;
}

/** Explicit-then-implicit reconciliation with backoff. */
export class Reconciler {
  private readonly pending = new Map<TaskId, AgentId | undefined>();
  private backoffMs: number;
  private readonly baseMs: number;

  constructor(private readonly options: ReconcilerOptions) {
    // One heartbeat is long enough for the master to answer a live task; the
    // ones that stay silent (agents not yet reregistered) are asked again later.
    this.baseMs = Math.max(options.timing.heartbeatIntervalMs, options.timing.allocationIntervalMs, 1);
    this.backoffMs = this.baseMs;
  }

  /** Tasks not yet answered in the current explicit round. */
  pendingCount(): number {
    return this.pending.size;
  }

  /** Starts a round after a (re)subscribe: explicit for `tasks`, implicit once they are all answered. */
  begin(tasks: readonly ReconcileTask[]): void {
    this.stop();
    for (const t of tasks) this.pending.set(t.taskId, t.agentId);
    if (this.pending.size === 0) {
      this.implicit();
      return;
    }
    this.backoffMs = this.baseMs;
    this.sendExplicit();
    const frameworkId = this.options.frameworkId();
    if (frameworkId !== null) this.options.send({ type: 'scheduler.reconcile', frameworkId, tasks: [] });
  }

  /** An update about `taskId` arrived: it is answered. */
  answered(taskId: TaskId): void {
    if (!this.pending.delete(taskId)) return;
    if (this.pending.size === 0) {
      this.options.ctx.cancelTimer(RECONCILE_TIMERS.explicit);
      this.implicit();
    }
  }

  /** Cancels everything (lost the master, or stopped). */
  stop(): void {
    this.pending.clear();
    this.options.ctx.cancelTimer(RECONCILE_TIMERS.explicit);
    this.options.ctx.cancelTimer(RECONCILE_TIMERS.implicit);
  }

  /** Handles a reconciler timer; false when the key is not one of its own. */
  timer(key: string): boolean {
    if (key === RECONCILE_TIMERS.explicit) {
      if (this.pending.size === 0) return true;
      this.backoffMs = Math.min(this.backoffMs * 2, this.baseMs * 2 ** MAX_BACKOFF_DOUBLINGS);
      this.sendExplicit();
      return true;
    }
    if (key === RECONCILE_TIMERS.implicit) {
      this.implicit();
      return true;
    }
    return false;
  }

  private sendExplicit(): void {
    const frameworkId = this.options.frameworkId();
    if (frameworkId !== null) {
      const tasks: ReconcileTask[] = [];
      for (const [taskId, agentId] of this.pending) tasks.push(agentId === undefined ? { taskId } : { taskId, agentId });
      this.options.send({ type: 'scheduler.reconcile', frameworkId, tasks });
    }
    this.options.ctx.setTimer(RECONCILE_TIMERS.explicit, this.backoffMs);
  }

  private implicit(): void {
    const frameworkId = this.options.frameworkId();
    if (frameworkId !== null) this.options.send({ type: 'scheduler.reconcile', frameworkId, tasks: [] });
    this.options.ctx.setTimer(RECONCILE_TIMERS.implicit, Math.max(this.options.timing.reconcileIntervalMs, 1));
  }
}
