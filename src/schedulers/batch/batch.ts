/**
 * The `batch` framework: runs a job's M tasks to completion, relaunching a task
 * that fails or is gone up to maxRetries times, notes when the job completes or
 * gives up, and then suppresses offers.
 *
 * No attempt is relaunched before the scheduler is told it is gone: a terminal
 * state, a TASK_LOST that cannot come back, or (like a service's
 * unreachableStrategy) unreachable for `timing.inactiveAfterMs`, after which the
 * old attempt is killed if it ever comes back. A task killed for its launch
 * timeout is retried once its kill is confirmed. So an attempt runs beside a
 * copy of itself only while one of them is on an unreachable agent.
 */
import type { Actor, ActorContext } from '../../core/actor.js';
import type { LeaderSource } from '../../core/detector.js';
import { formatDuration } from '../../core/duration.js';
import { assertNever } from '../../core/errors.js';
import type { NodeId, TaskId } from '../../core/ids.js';
import type { Message, Offer, ReconcileTask, TaskInfo, TaskStatus } from '../../core/messages.js';
import type { Timing } from '../../core/timing.js';
import { DEFAULT_FAILOVER_TIMEOUT_MS, UNNEEDED_OFFER_REFUSE_MS, killRetryMsOf, taskLaunchTimeoutMsOf } from '../defaults.js';
import { mintTaskId, type SchedulerDisk } from '../disk.js';
import { Fifo } from '../../core/fifo.js';
import { createDriver, type SchedulerDriver } from '../driver.js';
import { OfferInterest } from '../offer-interest.js';
import { answerOffers, fitCount, type OfferPlan } from '../offers.js';
import { classifyStatus, describeStatus } from '../status.js';
import { isBatchState, newBatchState, type BatchJob, type BatchProgress, type BatchSlot, type BatchState, type SlotStatus } from './job.js';

/** Options of a batch scheduler. */
export interface BatchOptions {
  readonly job: BatchJob;
  readonly timing: Timing;
  readonly leader: LeaderSource;
  readonly disk: SchedulerDisk;
}

/** A batch scheduler: an Actor plus its progress. */
export interface BatchActor extends Actor {
  readonly kind: 'batch';
  progress(): BatchProgress;
}

/** Builds the scheduler actor of one batch job. */
export function createBatchScheduler(ctx: ActorContext, options: BatchOptions): BatchActor {
  return new BatchScheduler(ctx, options);
}

const REVIVE_TIMER = 'batch.revive';
const STAGE_TIMER = 'batch.stage:';
const KILL_TIMER = 'batch.kill:';
const INACTIVE_TIMER = 'batch.inactive:';

/** The batch actor behind an `unknown` (as a runtime hands scheduler actors out), or null. */
export function asBatchActor(actor: unknown): BatchActor | null {
  return actor instanceof BatchScheduler ? actor : null;
}

class BatchScheduler implements BatchActor {
  readonly kind = 'batch' as const;
  private readonly job: BatchJob;
  private readonly driver: SchedulerDriver;
  private readonly interest: OfferInterest;
  private readonly state: BatchState;
  private readonly counts: Record<SlotStatus, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  /** Pending slot indexes, first come first launched. */
  private readonly pending = new Fifo<number>();
  private readonly launchTimeoutMs: number;

  constructor(
    private readonly ctx: ActorContext,
    private readonly options: BatchOptions,
  ) {
    this.job = options.job;
    this.launchTimeoutMs = this.job.taskLaunchTimeoutMs ?? taskLaunchTimeoutMsOf(options.timing);
    this.driver = createDriver({
      ctx,
      framework: {
        name: this.job.name,
        roles: [this.job.role],
        partitionAware: this.job.partitionAware ?? true,
        failoverTimeoutMs: this.job.failoverTimeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS,
      },
      timing: options.timing,
      leader: options.leader,
      disk: options.disk,
      handler: {
        subscribed: (event) => this.subscribed(event.changed),
        offers: (offers) => this.offers(offers),
        rescinded: () => undefined,
        update: (status) => this.update(status),
        failure: () => undefined,
        error: () => this.restartRunning('the framework was removed'),
        reconcileTasks: () => this.reconcileTasks(),
      },
    });
    this.interest = new OfferInterest(ctx, this.driver, options.timing, REVIVE_TIMER);
    const disk = options.disk;
    if (!isBatchState(disk.state, this.job.name)) disk.state = newBatchState(this.job);
    this.state = disk.state as BatchState;
    for (const slot of this.state.slots) {
      this.counts[slot.status] += 1;
      if (slot.status === 'pending') this.pending.push(slot.index);
    }
  }

  start(): void {
    this.interest.reset();
    const now = this.ctx.now();
    for (const slot of this.state.slots) {
      if (slot.status !== 'running' || slot.taskId === null) continue;
      if (slot.unreachableSinceMs !== null) this.armInactive(slot.taskId, slot.unreachableSinceMs);
      else if (slot.killing) this.ctx.setTimer(KILL_TIMER + slot.taskId, killRetryMsOf(this.options.timing));
      else this.ctx.setTimer(STAGE_TIMER + slot.taskId, Math.max(0, slot.launchedAtMs + this.launchTimeoutMs - now));
    }
    this.driver.start();
  }

  receive(from: NodeId, message: Message): void {
    this.driver.receive(from, message);
  }

  timer(key: string): void {
    if (this.driver.timer(key)) return;
    if (key === REVIVE_TIMER) this.interest.timer(this.pending.length > 0);
    else if (key.startsWith(STAGE_TIMER)) this.launchTimeout(key.slice(STAGE_TIMER.length));
    else if (key.startsWith(KILL_TIMER)) this.retryKill(key.slice(KILL_TIMER.length));
    else if (key.startsWith(INACTIVE_TIMER)) this.inactive(key.slice(INACTIVE_TIMER.length));
  }

  /**
   * Every current attempt with the agent it was launched on or last heard from:
   * with the agent id the master answers from where the task is (and says nothing
   * while that agent is still to reregister after a failover), never TASK_LOST
   * for a task that still runs.
   */
  private reconcileTasks(): ReconcileTask[] {
    const out: ReconcileTask[] = [];
    for (const [taskId, index] of this.state.attempts) {
      const agentId = this.state.slots[index]?.agentId ?? null;
      out.push(agentId === null ? { taskId } : { taskId, agentId });
    }
    return out;
  }

  progress(): BatchProgress {
    const c = this.counts;
    return { total: this.state.slots.length, pending: c.pending, running: c.running, done: c.done, failed: c.failed, complete: c.done + c.failed === this.state.slots.length };
  }

  private note(text: string): void {
    this.driver.note(this.job.name, text);
  }

  private subscribed(changed: boolean): void {
    if (changed) this.restartRunning('the master gave this framework a new id');
    this.interest.reset();
    this.afterChange();
  }

  /** The framework was replaced: its running attempts are gone; run them again (no retry is charged). */
  private restartRunning(why: string): void {
    if (this.state.attempts.size > 0) this.note(`${why}: relaunching ${this.state.attempts.size} running task(s)`);
    for (const [taskId, index] of this.state.attempts) {
      this.ctx.cancelTimer(STAGE_TIMER + taskId);
      this.ctx.cancelTimer(KILL_TIMER + taskId);
      this.ctx.cancelTimer(INACTIVE_TIMER + taskId);
      const slot = this.state.slots[index];
      if (slot) {
        slot.killing = false;
        slot.unreachableSinceMs = null;
        this.setStatus(slot, 'pending');
      }
    }
    this.state.attempts.clear();
  }

  private offers(offers: readonly Offer[]): void {
    this.interest.offersReceived();
    answerOffers(this.driver, offers, (offer) => this.plan(offer));
    this.afterChange();
  }

  private plan(offer: Offer): OfferPlan {
    const room = this.room();
    if (room === 0) return { tasks: [], refuseMs: UNNEEDED_OFFER_REFUSE_MS };
    const count = fitCount(offer.resources, this.job.resources, room);
    const tasks: TaskInfo[] = [];
    for (let i = 0; i < count; i += 1) {
      const slot = this.state.slots[this.pending.shift() ?? -1];
      if (slot) tasks.push(this.launch(slot, offer));
    }
    return { tasks, refuseMs: this.room() > 0 ? this.options.timing.defaultRefuseMs : UNNEEDED_OFFER_REFUSE_MS };
  }

  /** Tasks that may launch now: pending ones, within the job's parallelism. */
  private room(): number {
    const parallelism = this.job.parallelism ?? Infinity;
    return Math.max(0, Math.min(this.pending.length, parallelism - this.counts.running));
  }

  private launch(slot: BatchSlot, offer: Offer): TaskInfo {
    const { taskId } = mintTaskId(this.options.disk, this.job.name);
    slot.taskId = taskId;
    slot.agentId = offer.agentId;
    slot.launchedAtMs = this.ctx.now();
    slot.killing = false;
    this.setStatus(slot, 'running');
    this.state.attempts.set(taskId, slot.index);
    this.ctx.setTimer(STAGE_TIMER + taskId, this.launchTimeoutMs);
    return {
      taskId,
      name: this.job.name,
      agentId: offer.agentId,
      resources: this.job.resources,
      command: this.job.command,
      durationMs: this.job.durationMs,
      failureProbability: this.job.failureProbability,
      labels: { slot: String(slot.index), attempt: String(slot.failures + 1) },
    };
  }

  private update(status: TaskStatus): void {
    const slot = this.slotOf(status.taskId);
    if (slot === undefined) {
      // An attempt we gave up on (lost, then retried) came back: it must not run twice.
      if (status.state === 'TASK_STAGING' || status.state === 'TASK_STARTING' || status.state === 'TASK_RUNNING') {
        this.note(`killing ${status.taskId}: ${describeStatus(status)} but already retried`);
        this.driver.kill(status.taskId, status.agentId);
      }
      return;
    }
    if (status.state === 'TASK_FINISHED') {
      this.detach(status.taskId);
      this.setStatus(slot, 'done');
    } else {
      const seen = classifyStatus(status);
      switch (seen) {
        case 'alive':
          if (slot.unreachableSinceMs !== null) {
            this.note(`${status.taskId} came back ${describeStatus(status)} on ${status.agentId}`);
            slot.unreachableSinceMs = null;
            this.ctx.cancelTimer(INACTIVE_TIMER + status.taskId);
            if (slot.killing) this.ctx.setTimer(KILL_TIMER + status.taskId, killRetryMsOf(this.options.timing));
          }
          slot.agentId = status.agentId;
          if (status.state === 'TASK_RUNNING') this.ctx.cancelTimer(STAGE_TIMER + status.taskId);
          // Our kill has not landed (the agent was away): say it again now it is back.
          if (slot.killing && status.reason === 'REASON_AGENT_REREGISTERED') this.driver.kill(status.taskId, status.agentId);
          return;
        case 'unreachable':
          // It may still run (and finish) where it is: wait for it to come back, be declared gone, or go inactive.
          if (status.agentId !== '') slot.agentId = status.agentId;
          this.ctx.cancelTimer(STAGE_TIMER + status.taskId);
          this.ctx.cancelTimer(KILL_TIMER + status.taskId);
          if (slot.unreachableSinceMs === null) {
            slot.unreachableSinceMs = status.unreachableTimeMs ?? this.ctx.now();
            this.armInactive(status.taskId, slot.unreachableSinceMs);
          }
          return;
        case 'gone': {
          const killed = slot.killing;
          this.detach(status.taskId);
          this.failed(slot, killed ? `${status.taskId} ${describeStatus(status)} after its launch timeout` : `${status.taskId} ${describeStatus(status)}`);
          break;
        }
        default:
          assertNever(seen, 'status class');
      }
    }
    this.afterChange();
  }

  /** Not running in time: killed, and retried once the kill is confirmed (never beside a copy that may still start). */
  private launchTimeout(taskId: TaskId): void {
    const slot = this.slotOf(taskId);
    if (slot === undefined || slot.killing) return;
    slot.killing = true;
    this.note(`killing ${taskId}: not running after ${formatDuration(this.launchTimeoutMs)}; retried once the kill is confirmed`);
    this.driver.kill(taskId, slot.agentId ?? undefined);
    this.ctx.setTimer(KILL_TIMER + taskId, killRetryMsOf(this.options.timing));
  }

  private armInactive(taskId: TaskId, sinceMs: number): void {
    this.ctx.setTimer(INACTIVE_TIMER + taskId, Math.max(0, sinceMs + this.options.timing.inactiveAfterMs - this.ctx.now()));
  }

  /** Unreachable for inactiveAfter: relaunched; the old attempt is killed if it comes back (it is no longer an attempt). */
  private inactive(taskId: TaskId): void {
    const slot = this.slotOf(taskId);
    if (slot === undefined || slot.unreachableSinceMs === null) return;
    const awayMs = this.ctx.now() - slot.unreachableSinceMs;
    this.detach(taskId);
    this.failed(slot, `${taskId} unreachable on ${slot.agentId ?? 'an unknown agent'} for ${formatDuration(awayMs)}`);
    this.afterChange();
  }

  /** An unconfirmed kill is sent again at a constant interval (Marathon's `--kill_retry_timeout`). */
  private retryKill(taskId: TaskId): void {
    const slot = this.slotOf(taskId);
    if (slot === undefined || !slot.killing) return;
    this.driver.kill(taskId, slot.agentId ?? undefined);
    this.ctx.setTimer(KILL_TIMER + taskId, killRetryMsOf(this.options.timing));
  }

  private failed(slot: BatchSlot, what: string): void {
    slot.failures += 1;
    if (slot.failures > this.job.maxRetries) {
      this.setStatus(slot, 'failed');
      this.note(`${what}: task ${slot.index} gave up after ${slot.failures} attempt(s)`);
    } else {
      this.setStatus(slot, 'pending');
      this.note(`${what}: retrying task ${slot.index} (retry ${slot.failures} of ${this.job.maxRetries})`);
    }
  }

  private slotOf(taskId: TaskId): BatchSlot | undefined {
    const index = this.state.attempts.get(taskId);
    return index === undefined ? undefined : this.state.slots[index];
  }

  private detach(taskId: TaskId): void {
    const slot = this.slotOf(taskId);
    if (slot) {
      slot.killing = false;
      slot.unreachableSinceMs = null;
    }
    this.state.attempts.delete(taskId);
    this.ctx.cancelTimer(STAGE_TIMER + taskId);
    this.ctx.cancelTimer(KILL_TIMER + taskId);
    this.ctx.cancelTimer(INACTIVE_TIMER + taskId);
  }

  private setStatus(slot: BatchSlot, status: SlotStatus): void {
    this.counts[slot.status] -= 1;
    this.counts[status] += 1;
    slot.status = status;
    if (status !== 'running') slot.taskId = null;
    if (status === 'pending') this.pending.push(slot.index);
  }

  private afterChange(): void {
    this.interest.sync(this.room() > 0);
    const p = this.progress();
    if (p.complete && !this.state.completed) {
      this.state.completed = true;
      this.note(p.failed === 0 ? `job completed: ${p.done}/${p.total} tasks finished` : `job gave up: ${p.failed}/${p.total} tasks failed after ${this.job.maxRetries} retries, ${p.done} finished`);
    }
  }
}
