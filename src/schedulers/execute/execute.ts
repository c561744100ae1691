/**
 * The `execute` framework, like `mesos-execute`: launches one command on the
 * first offer that fits (declining the others), reports every update (a note
 * event and a callback), and on a terminal state tears the framework down and
 * stops. Terminal here is Mesos's `isTerminalState`, which includes TASK_LOST.
 */
import type { Actor, ActorContext } from '../../core/actor.js';
import type { LeaderSource } from '../../core/detector.js';
import { formatDuration } from '../../core/duration.js';
import type { NodeId, TaskId } from '../../core/ids.js';
import type { Message, Offer, TaskStatus } from '../../core/messages.js';
import { fits, type Resources } from '../../core/resources.js';
import { isTerminal, type TaskState } from '../../core/task-state.js';
import type { Timing } from '../../core/timing.js';
import { DEFAULT_FAILOVER_TIMEOUT_MS, DEFAULT_ROLE, DEFAULT_TASK_RESOURCES, UNNEEDED_OFFER_REFUSE_MS, taskLaunchTimeoutMsOf } from '../defaults.js';
import { mintTaskId, type SchedulerDisk } from '../disk.js';
import { createDriver, type SchedulerDriver } from '../driver.js';
import { OfferInterest } from '../offer-interest.js';
import { answerOffers } from '../offers.js';
import { describeStatus } from '../status.js';

/** One command to run once (mesos-execute's --name/--command/--resources). */
export interface ExecuteCommand {
  readonly name: string;
  readonly command: string;
  readonly resources: Resources;
  readonly role: string;
  /** Simulated run time (null/unset: until killed). */
  readonly durationMs?: number | null;
  readonly failureProbability?: number;
  /** mesos-execute's --partition_aware (default true). */
  readonly partitionAware?: boolean;
  /** Default one week (mesos-execute leaves Mesos's 0). */
  readonly failoverTimeoutMs?: number;
  /** A task not RUNNING this long after launch is killed (default from timing). */
  readonly taskLaunchTimeoutMs?: number;
}

/** Completes a partial command with mesos-execute's defaults (`cpus:1;mem:128`, role `*`). */
export function executeCommandOf(input: Partial<ExecuteCommand> & { readonly name: string; readonly command: string }, timing: Timing): ExecuteCommand {
  return {
    name: input.name,
    command: input.command,
    resources: input.resources ?? DEFAULT_TASK_RESOURCES,
    role: input.role ?? DEFAULT_ROLE,
    durationMs: input.durationMs ?? null,
    failureProbability: input.failureProbability ?? 0,
    partitionAware: input.partitionAware ?? true,
    failoverTimeoutMs: input.failoverTimeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS,
    taskLaunchTimeoutMs: input.taskLaunchTimeoutMs ?? taskLaunchTimeoutMsOf(timing),
  };
}

/** Where the run is. */
export type ExecutePhase = 'waiting' | 'launched' | 'done';

/** The durable part of an execute scheduler (lives on `SchedulerDisk.state`). */
export interface ExecuteState {
  readonly kind: 'execute';
  readonly name: string;
  phase: ExecutePhase;
  taskId: TaskId | null;
  launchedAtMs: number;
  lastState: TaskState | null;
  /** The terminal state it ended with. */
  finalState: TaskState | null;
}

/** Options of an execute scheduler. */
export interface ExecuteOptions {
  readonly command: ExecuteCommand;
  readonly timing: Timing;
  readonly leader: LeaderSource;
  readonly disk: SchedulerDisk;
  /** Called with every status update of the task. */
  readonly onUpdate?: (status: TaskStatus) => void;
}

/** An execute scheduler: an Actor plus its outcome. */
export interface ExecuteActor extends Actor {
  readonly kind: 'execute';
  result(): Readonly<ExecuteState>;
}

/** Builds the scheduler actor of one command. */
export function createExecuteScheduler(ctx: ActorContext, options: ExecuteOptions): ExecuteActor {
  return new ExecuteScheduler(ctx, options);
}

const TIMERS = { revive: 'exec.revive', stage: 'exec.stage', teardown: 'exec.teardown' } as const;

/** The execute actor behind an `unknown` (as a runtime hands scheduler actors out), or null. */
export function asExecuteActor(actor: unknown): ExecuteActor | null {
  return actor instanceof ExecuteScheduler ? actor : null;
}

class ExecuteScheduler implements ExecuteActor {
  readonly kind = 'execute' as const;
  private readonly command: ExecuteCommand;
  private readonly driver: SchedulerDriver;
  private readonly interest: OfferInterest;
  private readonly state: ExecuteState;

  constructor(
    private readonly ctx: ActorContext,
    private readonly options: ExecuteOptions,
  ) {
    this.command = options.command;
    this.driver = createDriver({
      ctx,
      framework: {
        name: this.command.name,
        roles: [this.command.role],
        partitionAware: this.command.partitionAware ?? true,
        failoverTimeoutMs: this.command.failoverTimeoutMs ?? DEFAULT_FAILOVER_TIMEOUT_MS,
      },
      timing: options.timing,
      leader: options.leader,
      disk: options.disk,
      handler: {
        subscribed: () => this.subscribed(),
        offers: (offers) => this.offers(offers),
        rescinded: () => undefined,
        update: (status) => this.update(status),
        failure: () => undefined,
        error: (message) => this.finish('TASK_LOST', `framework removed: ${message}`),
        reconcileTasks: () => (this.state.phase === 'launched' && this.state.taskId !== null ? [{ taskId: this.state.taskId }] : []),
      },
    });
    this.interest = new OfferInterest(ctx, this.driver, options.timing, TIMERS.revive);
    const disk = options.disk;
    const saved = disk.state as Partial<ExecuteState> | undefined;
    if (saved?.kind !== 'execute' || saved.name !== this.command.name) {
      disk.state = { kind: 'execute', name: this.command.name, phase: 'waiting', taskId: null, launchedAtMs: 0, lastState: null, finalState: null } satisfies ExecuteState;
    }
    this.state = disk.state as ExecuteState;
  }

  start(): void {
    if (this.state.phase === 'done') return; // finished before a restart: nothing left to do
    this.interest.reset();
    if (this.state.phase === 'launched' && this.state.lastState !== 'TASK_RUNNING') {
      this.ctx.setTimer(TIMERS.stage, Math.max(0, this.state.launchedAtMs + this.launchTimeoutMs() - this.ctx.now()));
    }
    this.driver.start();
  }

  receive(from: NodeId, message: Message): void {
    this.driver.receive(from, message);
  }

  timer(key: string): void {
    if (this.driver.timer(key)) return;
    switch (key) {
      case TIMERS.revive:
        this.interest.timer(this.state.phase === 'waiting');
        return;
      case TIMERS.stage:
        if (this.state.phase === 'launched' && this.state.taskId !== null && this.state.lastState !== 'TASK_RUNNING') {
          this.note(`${this.state.taskId} not running after ${formatDuration(this.launchTimeoutMs())}: killing it`);
          this.driver.kill(this.state.taskId, undefined);
        }
        return;
      case TIMERS.teardown:
        // After the terminal update was acknowledged (the driver acks once the handler returns).
        this.driver.teardown();
        this.driver.stop();
        this.ctx.cancelTimer(TIMERS.revive);
        return;
      default:
        return;
    }
  }

  result(): Readonly<ExecuteState> {
    return { ...this.state };
  }

  private launchTimeoutMs(): number {
    return this.command.taskLaunchTimeoutMs ?? taskLaunchTimeoutMsOf(this.options.timing);
  }

  private note(text: string): void {
    this.driver.note(this.command.name, text);
  }

  private subscribed(): void {
    this.interest.reset();
    this.interest.sync(this.state.phase === 'waiting');
  }

  private offers(offers: readonly Offer[]): void {
    this.interest.offersReceived();
    answerOffers(this.driver, offers, (offer) => {
      if (this.state.phase !== 'waiting' || !fits(this.command.resources, offer.resources)) return { tasks: [], refuseMs: UNNEEDED_OFFER_REFUSE_MS };
      const { taskId } = mintTaskId(this.options.disk, this.command.name);
      this.state.phase = 'launched';
      this.state.taskId = taskId;
      this.state.launchedAtMs = this.ctx.now();
      this.ctx.setTimer(TIMERS.stage, this.launchTimeoutMs());
      this.note(`launching ${taskId} on ${offer.agentId} (${offer.host})`);
      const task = {
        taskId,
        name: this.command.name,
        agentId: offer.agentId,
        resources: this.command.resources,
        command: this.command.command,
        durationMs: this.command.durationMs ?? null,
        failureProbability: this.command.failureProbability ?? 0,
      };
      return { tasks: [task], refuseMs: UNNEEDED_OFFER_REFUSE_MS };
    });
    this.interest.sync(this.state.phase === 'waiting');
  }

  private update(status: TaskStatus): void {
    if (status.taskId !== this.state.taskId || this.state.phase !== 'launched') return;
    this.state.lastState = status.state;
    if (status.state === 'TASK_RUNNING') this.ctx.cancelTimer(TIMERS.stage);
    const message = status.message === undefined ? '' : `: ${status.message}`;
    this.note(`${status.taskId} ${describeStatus(status)} from ${status.source}${message}`);
    this.options.onUpdate?.(status);
    if (isTerminal(status.state) || status.state === 'TASK_LOST') this.finish(status.state, 'terminal state');
  }

  private finish(state: TaskState, why: string): void {
    if (this.state.phase === 'done') return;
    this.state.phase = 'done';
    this.state.finalState = state;
    this.ctx.cancelTimer(TIMERS.stage);
    this.note(`finished with ${state} (${why}); tearing down`);
    this.ctx.setTimer(TIMERS.teardown, 0);
  }
}
