/**
 * The `batch` framework: runs a job's M tasks to completion, relaunching a task
 * that fails or is lost up to maxRetries times, notes when the job completes or
 * gives up, and then suppresses offers.
 */
import type { Actor, ActorContext } from '../../core/actor.js';
import type { LeaderSource } from '../../core/detector.js';
import { formatDuration } from '../../core/duration.js';
import type { NodeId, TaskId } from '../../core/ids.js';
import type { Message, Offer, TaskInfo, TaskStatus } from '../../core/messages.js';
import type { Timing } from '../../core/timing.js';
import { DEFAULT_FAILOVER_TIMEOUT_MS, UNNEEDED_OFFER_REFUSE_MS, taskLaunchTimeoutMsOf } from '../defaults.js';
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
        reconcileTasks: () => [...this.state.attempts.keys()].map((taskId) => ({ taskId })),
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
      if (slot.status === 'running' && slot.taskId !== null) this.ctx.setTimer(STAGE_TIMER + slot.taskId, Math.max(0, slot.launchedAtMs + this.launchTimeoutMs - now));
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
      const slot = this.state.slots[index];
      if (slot) this.setStatus(slot, 'pending');
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
    } else if (classifyStatus(status) === 'alive') {
      slot.agentId = status.agentId;
      if (status.state === 'TASK_RUNNING') this.ctx.cancelTimer(STAGE_TIMER + status.taskId);
      return;
    } else {
      // Failed, killed, lost or unreachable: a batch task is retried at once (a lost one that returns is killed).
      this.detach(status.taskId);
      this.failed(slot, `${status.taskId} ${describeStatus(status)}`);
    }
    this.afterChange();
  }

  private launchTimeout(taskId: TaskId): void {
    const slot = this.slotOf(taskId);
    if (slot === undefined) return;
    this.detach(taskId);
    this.driver.kill(taskId, slot.agentId ?? undefined);
    this.failed(slot, `${taskId} not running after ${formatDuration(this.launchTimeoutMs)} (killed)`);
    this.afterChange();
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
    this.state.attempts.delete(taskId);
    this.ctx.cancelTimer(STAGE_TIMER + taskId);
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
