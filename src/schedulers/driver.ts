/**
 * The scheduler driver shared by the built-in frameworks (Mesos's v1 scheduler
 * library, plus what Marathon adds around it): detects the leading master,
 * subscribes and resubscribes with the framework id kept on disk, heartbeats,
 * fences stale masters by epoch, acknowledges status updates after the concrete
 * scheduler has handled them, and runs reconciliation after every subscribe.
 */
import type { ActorContext } from '../core/actor.js';
import { createDetector, type LeaderSource, type MasterDetector } from '../core/detector.js';
import { formatDuration } from '../core/duration.js';
import type { AgentId, FrameworkId, NodeId, OfferId, TaskId } from '../core/ids.js';
import { assertNever } from '../core/errors.js';
import type {
  MasterRedirectMessage,
  MasterToSchedulerMessage,
  Message,
  Offer,
  ReconcileTask,
  SchedulerMessage,
  TaskInfo,
  TaskStatus,
} from '../core/messages.js';
import type { Timing } from '../core/timing.js';
import type { SchedulerDisk } from './disk.js';
import { Reconciler } from './reconciler.js';

/** What a concrete scheduler (service, batch, execute) handles. */
export interface DriverHandler {
  /** Subscribed; `changed` when the master minted a new framework id (every task of the old one is gone). */
  subscribed(event: { readonly frameworkId: FrameworkId; readonly changed: boolean }): void;
  offers(offers: readonly Offer[]): void;
  rescinded(offerId: OfferId): void;
  /** A status update; the driver acknowledges it (when it has a uuid) after this returns. */
  update(status: TaskStatus): void;
  failure(agentId: AgentId): void;
  /** A fatal master error: the framework was removed; the driver subscribes anew. */
  error(message: string): void;
  /** Non-terminal tasks to reconcile explicitly after a (re)subscribe. */
  reconcileTasks(): ReconcileTask[];
}

/** The FrameworkInfo fields a built-in framework chooses. */
export interface FrameworkSpec {
  readonly name: string;
  readonly roles: readonly string[];
  readonly partitionAware: boolean;
  readonly failoverTimeoutMs: number;
}

/** Options of the driver. */
export interface DriverOptions {
  readonly ctx: ActorContext;
  readonly framework: FrameworkSpec;
  readonly timing: Timing;
  readonly leader: LeaderSource;
  readonly disk: SchedulerDisk;
  readonly handler: DriverHandler;
}

/** Where the driver is in its subscription. */
export type DriverPhase = 'idle' | 'subscribing' | 'subscribed' | 'stopped';

/** Timer keys the driver owns (concrete schedulers use other prefixes). */
export const DRIVER_TIMERS = { subscribe: 'driver.subscribe', heartbeat: 'driver.heartbeat', watchdog: 'driver.watchdog' } as const;

/** Missed master heartbeats before the scheduler resubscribes (PROTOCOL.md). */
export const MISSED_HEARTBEATS = 3;
/** How many times the subscribe backoff doubles before it stops growing. */
const MAX_SUBSCRIBE_DOUBLINGS = 4;

/** The calls a concrete scheduler makes, and the hooks its actor forwards. */
export interface SchedulerDriver {
  start(): void;
  /** Handles a message; false when it is not for the driver. */
  receive(from: NodeId, message: Message): boolean;
  /** Handles a timer; false when the key is not the driver's. */
  timer(key: string): boolean;
  /** Stops for good (after teardown): no resubscribe, no heartbeats, master messages ignored. */
  stop(): void;
  phase(): DriverPhase;
  frameworkId(): FrameworkId | null;
  accept(offerId: OfferId, tasks: readonly TaskInfo[], refuseMs: number): void;
  decline(offerIds: readonly OfferId[], refuseMs: number): void;
  suppress(): void;
  revive(): void;
  kill(taskId: TaskId, agentId: AgentId | undefined): void;
  teardown(): void;
  /** Emits a `scheduler.note` for a human reading the history. */
  note(app: string, note: string): void;
}

/** Builds a driver bound to its actor's context. */
export function createDriver(options: DriverOptions): SchedulerDriver {
  return new Driver(options);
}

class Driver implements SchedulerDriver {
  private readonly ctx: ActorContext;
  private readonly detector: MasterDetector;
  private readonly reconciler: Reconciler;
  private state: DriverPhase = 'idle';
  /** The master we subscribe to / subscribed with; calls go there. */
  private target: NodeId | null = null;
  private heartbeatMs: number;
  private subscribeBackoffMs: number;
  private readonly subscribeBaseMs: number;
  private readonly subscribeMaxMs: number;
  private subscribeSends = 0;

  constructor(private readonly options: DriverOptions) {
    this.ctx = options.ctx;
    this.heartbeatMs = Math.max(options.timing.heartbeatIntervalMs, 1);
    this.subscribeBaseMs = Math.max(options.timing.allocationIntervalMs, 1);
    // Mesos's scheduler library backs off up to ~15 s; a shorter heartbeat (fast profile) caps it sooner.
    this.subscribeMaxMs = Math.max(this.subscribeBaseMs, Math.min(this.subscribeBaseMs * 2 ** MAX_SUBSCRIBE_DOUBLINGS, 5 * this.heartbeatMs));
    this.subscribeBackoffMs = this.subscribeBaseMs;
    this.detector = createDetector(this.ctx, options.leader, (leader) => this.leaderChanged(leader));
    this.reconciler = new Reconciler({
      ctx: this.ctx,
      timing: options.timing,
      send: (message) => this.send(message),
      frameworkId: () => this.options.disk.frameworkId,
    });
  }

  start(): void {
    this.state = 'idle';
    this.detector.start();
    // No leader known yet (coordinator source): keep asking on the subscribe backoff. The first
    // answer can be lost (a partition at start): without this the scheduler waited forever.
    if (this.state === 'idle' && this.detector.leader() === null) this.waitAndRetry();
  }

  phase(): DriverPhase {
    return this.state;
  }

  frameworkId(): FrameworkId | null {
    return this.options.disk.frameworkId;
  }

  receive(from: NodeId, message: Message): boolean {
    if (this.detector.receive(from, message)) return true;
    switch (message.type) {
      case 'master.subscribed':
      case 'master.offers':
      case 'master.rescind':
      case 'master.update':
      case 'master.failure':
      case 'master.error':
      case 'master.heartbeat':
      case 'master.redirect':
        // A deposed leader is fenced off by its older epoch.
        if (!this.detector.accept(message.epoch) || this.state === 'stopped') return true;
        this.fromMaster(from, message);
        return true;
      default:
        return false;
    }
  }

  private fromMaster(from: NodeId, message: MasterToSchedulerMessage | MasterRedirectMessage): void {
    if (this.state === 'subscribed' && from === this.target) this.armWatchdog();
    const handler = this.options.handler;
    switch (message.type) {
      case 'master.subscribed':
        this.subscribed(from, message.frameworkId, message.heartbeatIntervalMs);
        return;
      case 'master.offers':
        if (this.options.disk.frameworkId !== null) handler.offers(message.offers);
        return;
      case 'master.rescind':
        handler.rescinded(message.offerId);
        return;
      case 'master.update':
        this.update(from, message.status, message.epoch);
        return;
      case 'master.failure':
        handler.failure(message.agentId);
        this.reconcileAgent(message.agentId);
        return;
      case 'master.error':
        // Only the master we talk to can end our subscription.
        if (from === this.target) this.fatalError(message.message);
        return;
      case 'master.heartbeat':
        return;
      case 'master.redirect':
        // A standby answered us: go to the leader it names, or ask the detector again later.
        if (from === this.target) {
          if (message.leader !== null && message.leader !== from) this.subscribe(message.leader);
          else this.waitAndRetry();
        }
        return;
      default:
        assertNever(message, 'master message');
    }
  }

  private subscribed(from: NodeId, frameworkId: FrameworkId, heartbeatIntervalMs: number): void {
    const previous = this.options.disk.frameworkId;
    this.options.disk.frameworkId = frameworkId;
    this.state = 'subscribed';
    this.target = from;
    this.heartbeatMs = heartbeatIntervalMs > 0 ? heartbeatIntervalMs : Math.max(this.options.timing.heartbeatIntervalMs, 1);
    this.subscribeBackoffMs = this.subscribeBaseMs;
    this.ctx.cancelTimer(DRIVER_TIMERS.subscribe);
    this.ctx.setTimer(DRIVER_TIMERS.heartbeat, this.heartbeatMs);
    this.armWatchdog();
    this.options.handler.subscribed({ frameworkId, changed: previous !== null && previous !== frameworkId });
    this.reconciler.begin(this.options.handler.reconcileTasks());
  }

  private update(from: NodeId, status: TaskStatus, epoch: number): void {
    this.ctx.emit({
      type: 'status.delivered',
      frameworkId: status.frameworkId,
      taskId: status.taskId,
      state: status.state,
      reason: status.reason ?? null,
      uuid: status.uuid ?? null,
      epoch,
    });
    this.reconciler.answered(status.taskId);
    this.options.handler.update(status);
    // Master-generated updates (reconciliation, agent removal) have no uuid and are never acknowledged.
    if (status.uuid === undefined) return;
    // The master that forwarded the update is the one that relays the ack to the agent.
    this.ctx.send(from, {
      type: 'scheduler.acknowledge',
      frameworkId: status.frameworkId,
      agentId: status.agentId,
      taskId: status.taskId,
      uuid: status.uuid,
    });
    this.ctx.emit({ type: 'status.acknowledged', frameworkId: status.frameworkId, taskId: status.taskId, uuid: status.uuid });
  }

  private fatalError(message: string): void {
    // Mesos: "the subscriber should exit" on ERROR (framework removed, failed over
    // elsewhere). Marathon would crash and be restarted by its supervisor: forget
    // the removed id and subscribe as a new framework.
    this.note(this.options.framework.name, `master error: ${message}; subscribing as a new framework`);
    this.options.disk.frameworkId = null;
    this.disconnect();
    this.options.handler.error(message);
    this.waitAndRetry();
  }

  timer(key: string): boolean {
    if (this.reconciler.timer(key)) return true;
    switch (key) {
      case DRIVER_TIMERS.subscribe:
        if (this.state === 'subscribing' || this.state === 'idle') {
          this.subscribeBackoffMs = Math.min(this.subscribeBackoffMs * 2, this.subscribeMaxMs);
          this.redetectAndSubscribe();
        }
        return true;
      case DRIVER_TIMERS.heartbeat: {
        const frameworkId = this.options.disk.frameworkId;
        if (this.state !== 'subscribed' || frameworkId === null) return true;
        this.send({ type: 'scheduler.heartbeat', frameworkId });
        this.ctx.setTimer(DRIVER_TIMERS.heartbeat, this.heartbeatMs);
        return true;
      }
      case DRIVER_TIMERS.watchdog:
        if (this.state !== 'subscribed') return true;
        this.note(this.options.framework.name, `no word from ${this.target ?? 'the master'} for ${formatDuration(MISSED_HEARTBEATS * this.heartbeatMs)}: resubscribing`);
        this.disconnect();
        this.redetectAndSubscribe();
        return true;
      default:
        return false;
    }
  }

  stop(): void {
    this.disconnect();
    this.ctx.cancelTimer(DRIVER_TIMERS.subscribe);
    this.state = 'stopped';
  }

  private leaderChanged(leader: NodeId | null): void {
    if (this.state === 'stopped') return;
    if (leader === null) {
      this.disconnect();
      this.state = 'idle';
      this.target = null;
      // Keep asking on the subscribe backoff: the notice of the next leader can be lost (a lossy link
      // during the election), and without this the scheduler waited for it forever (fuzz seed 2079).
      this.ctx.setTimer(DRIVER_TIMERS.subscribe, this.subscribeBackoffMs);
      return;
    }
    this.subscribe(leader);
  }

  private subscribe(master: NodeId): void {
    this.disconnect();
    this.state = 'subscribing';
    this.target = master;
    this.subscribeSends += 1;
    const { name, roles, partitionAware, failoverTimeoutMs } = this.options.framework;
    const frameworkId = this.options.disk.frameworkId;
    this.ctx.send(master, {
      type: 'scheduler.subscribe',
      framework: {
        ...(frameworkId === null ? {} : { frameworkId }),
        name,
        roles,
        capabilities: { partitionAware },
        failoverTimeoutMs,
        checkpoint: true,
      },
    });
    this.ctx.setTimer(DRIVER_TIMERS.subscribe, this.subscribeBackoffMs);
  }

  /** Re-detects first; with a static or unchanged leader the detector says nothing, so subscribe to it directly. */
  private redetectAndSubscribe(): void {
    const before = this.subscribeSends;
    this.detector.redetect();
    if (this.subscribeSends !== before || this.state === 'stopped') return;
    const leader = this.detector.leader() ?? this.target;
    if (leader !== null) this.subscribe(leader);
    else this.waitAndRetry();
  }

  private waitAndRetry(): void {
    if (this.state !== 'stopped') this.state = 'subscribing';
    this.ctx.setTimer(DRIVER_TIMERS.subscribe, this.subscribeBackoffMs);
  }

  /** Leaves the subscribed phase: no heartbeats, no watchdog, no reconciliation. */
  private disconnect(): void {
    this.ctx.cancelTimer(DRIVER_TIMERS.heartbeat);
    this.ctx.cancelTimer(DRIVER_TIMERS.watchdog);
    this.reconciler.stop();
  }

  private armWatchdog(): void {
    this.ctx.setTimer(DRIVER_TIMERS.watchdog, MISSED_HEARTBEATS * this.heartbeatMs);
  }

  private send(message: SchedulerMessage): void {
    if (this.target !== null && this.state !== 'stopped') this.ctx.send(this.target, message);
  }

  private withFramework(build: (frameworkId: FrameworkId) => SchedulerMessage): void {
    const frameworkId = this.options.disk.frameworkId;
    if (frameworkId !== null) this.send(build(frameworkId));
  }

  /**
   * The agent is lost: ask about our tasks on it at once. A master that took
   * over after a failover and timed the agent out never knew those tasks, so
   * it sends no update about them (Mesos `slaveLost` alone); only this answer
   * (TASK_UNREACHABLE, from its registry) tells the scheduler they are away.
   */
  private reconcileAgent(agentId: AgentId): void {
    const tasks = this.options.handler.reconcileTasks().filter((t) => t.agentId === agentId);
    if (tasks.length > 0) this.withFramework((frameworkId) => ({ type: 'scheduler.reconcile', frameworkId, tasks }));
  }

  accept(offerId: OfferId, tasks: readonly TaskInfo[], refuseMs: number): void {
    this.withFramework((frameworkId) => ({ type: 'scheduler.accept', frameworkId, offerIds: [offerId], operations: [{ type: 'LAUNCH', tasks }], refuseMs }));
  }

  decline(offerIds: readonly OfferId[], refuseMs: number): void {
    if (offerIds.length === 0) return;
    this.withFramework((frameworkId) => ({ type: 'scheduler.decline', frameworkId, offerIds, refuseMs }));
  }

  suppress(): void {
    this.withFramework((frameworkId) => ({ type: 'scheduler.suppress', frameworkId }));
  }

  revive(): void {
    this.withFramework((frameworkId) => ({ type: 'scheduler.revive', frameworkId }));
  }

  kill(taskId: TaskId, agentId: AgentId | undefined): void {
    this.withFramework((frameworkId) => (agentId === undefined ? { type: 'scheduler.kill', frameworkId, taskId } : { type: 'scheduler.kill', frameworkId, taskId, agentId }));
  }

  teardown(): void {
    this.withFramework((frameworkId) => ({ type: 'scheduler.teardown', frameworkId }));
  }

  note(app: string, note: string): void {
    this.ctx.emit({ type: 'scheduler.note', frameworkId: this.options.disk.frameworkId, node: this.ctx.self, app, note });
  }
}
