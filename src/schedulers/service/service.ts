/**
 * The `service` framework (Marathon-like): keeps `instances` tasks of an app
 * running. Launches on offers that fit, declines the rest, SUPPRESSes when it
 * needs nothing and REVIVEs the moment it needs something; replaces tasks that
 * end; applies the unreachableStrategy to unreachable tasks; kills the surplus by
 * killSelection when an unreachable task comes back; kills tasks stuck in launch.
 */
import type { Actor, ActorContext } from '../../core/actor.js';
import type { LeaderSource } from '../../core/detector.js';
import { err, ok, type Result } from '../../core/errors.js';
import type { NodeId } from '../../core/ids.js';
import type { Message, Offer, TaskInfo, TaskStatus } from '../../core/messages.js';
import type { Timing } from '../../core/timing.js';
import { MAX_INSTANCES, UNNEEDED_OFFER_REFUSE_MS } from '../defaults.js';
import { mintTaskId, type SchedulerDisk } from '../disk.js';
import { createDriver, type SchedulerDriver } from '../driver.js';
import { OfferInterest } from '../offer-interest.js';
import { answerOffers, fitCount, type OfferPlan } from '../offers.js';
import { describeStatus } from '../status.js';
import type { ServiceApp, ServiceBugs } from './app.js';
import { ServiceLifecycle } from './lifecycle.js';
import { isServiceState, ServiceTaskTable, type ServiceState, type ServiceTask } from './tasks.js';

/** Options of a service scheduler. */
export interface ServiceOptions {
  readonly app: ServiceApp;
  readonly timing: Timing;
  readonly leader: LeaderSource;
  readonly disk: SchedulerDisk;
  readonly bugs?: ServiceBugs;
}

/** Counts for the TUI and tests. */
export interface ServiceStatus {
  readonly name: string;
  readonly instances: number;
  /** Active tasks in TASK_RUNNING. */
  readonly running: number;
  /** Tasks that count toward `instances` (active + unreachable not yet inactive). */
  readonly counted: number;
  readonly active: number;
  readonly unreachable: number;
  readonly inactive: number;
  /** Killed by the scheduler, not yet confirmed dead. */
  readonly killing: number;
}

/** A service scheduler: an Actor plus scaling and inspection. */
export interface ServiceActor extends Actor {
  readonly kind: 'service';
  /** Changes the target instance count (the TUI's scale command). */
  setInstances(instances: number): Result<number>;
  status(): ServiceStatus;
  /** The instance records (a read-only view for tests and the describe pane). */
  tasks(): readonly Readonly<ServiceTask>[];
}

/** Builds the scheduler actor of one service app. */
export function createServiceScheduler(ctx: ActorContext, options: ServiceOptions): ServiceActor {
  return new ServiceScheduler(ctx, options);
}

const REVIVE_TIMER = 'svc.revive';

/** The service actor behind an `unknown` (as a runtime hands scheduler actors out), or null. */
export function asServiceActor(actor: unknown): ServiceActor | null {
  return actor instanceof ServiceScheduler ? actor : null;
}

class ServiceScheduler implements ServiceActor {
  readonly kind = 'service' as const;
  private readonly app: ServiceApp;
  private readonly driver: SchedulerDriver;
  private readonly table: ServiceTaskTable;
  private readonly lifecycle: ServiceLifecycle;
  private readonly interest: OfferInterest;
  /** Whether the "N/N running" note was written since the count last dropped. */
  private steadyNoted = false;

  constructor(
    private readonly ctx: ActorContext,
    private readonly options: ServiceOptions,
  ) {
    this.app = options.app;
    this.driver = createDriver({
      ctx,
      framework: { name: this.app.name, roles: [this.app.role], partitionAware: this.app.partitionAware, failoverTimeoutMs: this.app.failoverTimeoutMs },
      timing: options.timing,
      leader: options.leader,
      disk: options.disk,
      handler: {
        subscribed: (event) => this.subscribed(event.changed),
        offers: (offers) => this.offers(offers),
        rescinded: () => undefined, // offers are answered at once, never held
        update: (status) => this.update(status),
        failure: () => undefined, // the per-task updates say everything
        error: () => this.forgetAll('the framework was removed'),
        reconcileTasks: () => [...this.table.values()].map((t) => ({ taskId: t.taskId, agentId: t.agentId })),
      },
    });
    this.interest = new OfferInterest(ctx, this.driver, options.timing, REVIVE_TIMER);
    this.table = new ServiceTaskTable(this.loadState());
    this.lifecycle = this.newLifecycle();
  }

  private loadState(): ServiceState {
    const disk = this.options.disk;
    if (isServiceState(disk.state, this.app.name)) return disk.state;
    const state: ServiceState = { kind: 'service', app: this.app.name, instances: this.app.instances, tasks: new Map() };
    disk.state = state;
    return state;
  }

  private newLifecycle(): ServiceLifecycle {
    return new ServiceLifecycle({
      ctx: this.ctx,
      app: this.app,
      timing: this.options.timing,
      bugs: this.options.bugs ?? {},
      table: this.table,
      driver: this.driver,
      note: (text) => this.note(text),
    });
  }

  start(): void {
    // A restart: the records come back from disk, the timers do not.
    this.interest.reset();
    this.lifecycle.rearm();
    this.driver.start();
  }

  receive(_from: NodeId, message: Message): void {
    this.driver.receive(_from, message);
  }

  timer(key: string): void {
    if (this.driver.timer(key)) return;
    if (key === REVIVE_TIMER) {
      this.interest.timer(this.need() > 0);
      return;
    }
    if (this.lifecycle.timer(key)) this.afterChange();
  }

  private note(text: string): void {
    this.driver.note(this.app.name, text);
  }

  private need(): number {
    return this.table.state.instances - this.table.counted();
  }

  private subscribed(changed: boolean): void {
    if (changed) this.forgetAll('the master gave this framework a new id');
    else this.lifecycle.resendKills();
    this.interest.reset();
    this.afterChange();
  }

  private forgetAll(why: string): void {
    if (this.table.size > 0) this.note(`${why}: forgetting ${this.table.size} task(s)`);
    this.lifecycle.cancelAll();
    this.table.clear();
  }

  private offers(offers: readonly Offer[]): void {
    this.interest.offersReceived();
    answerOffers(this.driver, offers, (offer) => this.plan(offer));
    this.afterChange();
  }

  private plan(offer: Offer): OfferPlan {
    const need = this.need();
    if (need <= 0) return { tasks: [], refuseMs: UNNEEDED_OFFER_REFUSE_MS };
    const count = fitCount(offer.resources, this.app.resources, need);
    const tasks: TaskInfo[] = [];
    for (let i = 0; i < count; i += 1) tasks.push(this.launch(offer));
    // What is left of this offer cannot hold another task: keep it away for a default refuse.
    const stillNeeded = this.need() > 0;
    return { tasks, refuseMs: stillNeeded ? this.options.timing.defaultRefuseMs : UNNEEDED_OFFER_REFUSE_MS };
  }

  private launch(offer: Offer): TaskInfo {
    const { taskId, seq } = mintTaskId(this.options.disk, this.app.name);
    const task: ServiceTask = {
      taskId,
      seq,
      agentId: offer.agentId,
      state: 'TASK_STAGING',
      launchedAtMs: this.ctx.now(),
      condition: 'active',
      unreachableSinceMs: null,
      killsSent: 0,
    };
    this.table.add(task);
    this.lifecycle.launched(task, offer);
    return {
      taskId,
      name: this.app.name,
      agentId: offer.agentId,
      resources: this.app.resources,
      command: this.app.command,
      durationMs: this.app.durationMs ?? null,
      failureProbability: this.app.failureProbability ?? 0,
    };
  }

  private update(status: TaskStatus): void {
    const task = this.table.get(status.taskId);
    if (task === undefined) this.unknownTask(status);
    else this.lifecycle.update(task, status);
    this.afterChange();
  }

  /** A task this app has no record of: expunged, or left from before. Marathon kills it. */
  private unknownTask(status: TaskStatus): void {
    if (status.state !== 'TASK_STAGING' && status.state !== 'TASK_STARTING' && status.state !== 'TASK_RUNNING') return;
    this.note(`killing ${status.taskId}: ${describeStatus(status)} but unknown to the app (expunged or stale)`);
    this.driver.kill(status.taskId, status.agentId);
  }

  /** After anything that may change the count: kill a surplus, then ask for offers or stop asking. */
  private afterChange(): void {
    this.lifecycle.killSurplus('an unreachable task came back');
    this.syncOfferInterest();
    this.noteSteady();
  }

  private syncOfferInterest(): void {
    this.interest.sync(this.need() > 0);
  }

  private noteSteady(): void {
    const { instances } = this.table.state;
    const running = this.table.runningCount();
    if (running >= instances && this.table.counted() === instances) {
      if (!this.steadyNoted && instances > 0) this.note(`${running}/${instances} running`);
      this.steadyNoted = true;
    } else if (running < instances) {
      this.steadyNoted = false;
    }
  }

  setInstances(instances: number): Result<number> {
    if (!Number.isInteger(instances) || instances < 0 || instances > MAX_INSTANCES) {
      return err('SPEC_INVALID', `${instances} is not a whole number between 0 and ${MAX_INSTANCES}`, `${this.app.name}.instances`);
    }
    const before = this.table.state.instances;
    this.table.state.instances = instances;
    if (before !== instances) this.note(`scaled from ${before} to ${instances} instances`);
    this.lifecycle.killSurplus('scaled down', { scaling: true });
    this.syncOfferInterest();
    this.noteSteady();
    return ok(instances);
  }

  status(): ServiceStatus {
    const t = this.table;
    return {
      name: this.app.name,
      instances: t.state.instances,
      running: t.runningCount(),
      counted: t.counted(),
      active: t.count('active'),
      unreachable: t.count('unreachable'),
      inactive: t.count('inactive'),
      killing: t.count('doomed') + t.count('overdue'),
    };
  }

  tasks(): readonly Readonly<ServiceTask>[] {
    return [...this.table.values()];
  }
}
