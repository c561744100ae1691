/**
 * Master high availability: a master process that contends for leadership
 * through the coordinator (Mesos's MasterContender over ZooKeeper). It keeps a
 * session alive with heartbeats, joins the election, and leads when the
 * coordinator names it with its own sequence number as the epoch. Losing the
 * session, being superseded, or a failed registry write aborts the process
 * (fail fast) and a supervisor restarts it: here, a fresh inner master with
 * empty memory that rejoins as a standby. Standbys answer leader-only requests
 * with a redirect to the leader they know.
 */
import type { Actor, ActorContext } from '../actor.js';
import type { Allocator } from '../allocator/types.js';
import type { NodeId } from '../ids.js';
import type { Message } from '../messages.js';
import type { Timing } from '../timing.js';
import { createCoordinatorRegistry, type CoordinatorRegistry } from './coordinator-registry.js';
import { createMaster } from './master.js';
import type { MasterActor } from './types.js';

const HEARTBEAT_TIMER = 'ha.heartbeat';
const SESSION_DEADLINE_TIMER = 'ha.session-deadline';

/** What an HA master is built with. */
export interface HaMasterOptions {
  readonly timing: Timing;
  readonly coordinator: NodeId;
  /** A fresh allocator for each incarnation of the inner master. */
  readonly newAllocator: () => Allocator;
  readonly weights?: Readonly<Record<string, number>>;
}

/** An HA master: the contender around an inner master. */
export interface HaMasterActor extends Actor {
  /** The current inner master (replaced on every abort). */
  inner(): MasterActor;
  /** The leader this master believes in, and its epoch. */
  knownLeader(): { readonly leader: NodeId | null; readonly epoch: number };
}

/** Builds an HA master bound to its context. */
export function createHaMaster(ctx: ActorContext, options: HaMasterOptions): HaMasterActor {
  const { timing, coordinator } = options;
  let sessionId: string | null = null;
  /** Sessions given up by an abort: a late (or duplicated) answer about one must not revive it. */
  const abandoned = new Set<string>();
  let sequence: number | null = null;
  /** When the heartbeat the coordinator last answered was sent: the leader's lease runs sessionTimeoutMs from here. */
  let lastConfirmedMs = 0;
  let leadingEpoch: number | null = null;
  let known: { leader: NodeId | null; epoch: number } = { leader: null, epoch: 0 };
  let registry: CoordinatorRegistry = newRegistry();
  let master: MasterActor = newMaster();

  function newRegistry(): CoordinatorRegistry {
    // A write must land within a few session timeouts or the leader steps down (Mesos: registry_store_timeout).
    return createCoordinatorRegistry(ctx, { coordinator, epoch: () => leadingEpoch ?? 0, timeoutMs: timing.sessionTimeoutMs * 2 });
  }

  function newMaster(): MasterActor {
    const m = createMaster(ctx, { timing, allocator: options.newAllocator(), weights: options.weights, leadership: 'external', registry });
    m.start();
    return m;
  }

  function heartbeat(): void {
    ctx.send(coordinator, { type: 'coordinator.heartbeat', sessionId, timeoutMs: timing.sessionTimeoutMs, sentMs: ctx.now() });
    ctx.setTimer(HEARTBEAT_TIMER, Math.max(1, Math.floor(timing.sessionTimeoutMs / 3)));
  }

  /** Fail fast, then come back as a fresh standby (the supervisor's restart). */
  function abort(reason: string): void {
    if (leadingEpoch !== null && master.status() !== 'standby') master.stepDown(reason);
    registry.reset();
    leadingEpoch = null;
    if (sessionId !== null) {
      abandoned.add(sessionId);
      ctx.send(coordinator, { type: 'coordinator.close', sessionId });
    }
    sessionId = null;
    sequence = null;
    registry = newRegistry();
    master = newMaster();
    ctx.cancelTimer(SESSION_DEADLINE_TIMER);
    heartbeat();
    ctx.send(coordinator, { type: 'coordinator.watch_leader' });
  }

  function onLeader(leader: NodeId | null, epoch: number): void {
    if (epoch < known.epoch) return;
    known = { leader, epoch };
    if (leadingEpoch !== null) {
      if (leader !== ctx.self || epoch !== leadingEpoch) abort(`superseded by ${leader ?? 'nobody'} at epoch ${epoch}`);
      return;
    }
    if (leader === ctx.self && sequence !== null && epoch === sequence) {
      leadingEpoch = epoch;
      master.becomeLeader(epoch);
    }
  }

  function onCoordinator(from: NodeId, message: Message): void {
    switch (message.type) {
      case 'coordinator.session':
        if (message.expired) {
          if (message.sessionId === sessionId) abort('the coordinator session expired');
          return;
        }
        if (abandoned.has(message.sessionId)) return;
        sessionId = message.sessionId;
        // The lease runs from when the answered heartbeat was sent: the coordinator heard it no earlier, so
        // it cannot expire the session (and elect another leader) before this lease ends. Timing it from the
        // answer's arrival would stretch the lease by however long the answer was held (a paused master
        // woke up to a stale answer and acted for a whole timeout after its successor was elected).
        lastConfirmedMs = Math.max(lastConfirmedMs, message.sentMs ?? ctx.now());
        ctx.setTimer(SESSION_DEADLINE_TIMER, Math.max(0, lastConfirmedMs + timing.sessionTimeoutMs - ctx.now()));
        // Messages can be lost: until it leads, a master re-joins (idempotent per session) and
        // re-watches on every heartbeat answer, so a lost `joined` or a lost leader push cannot
        // leave the coordinator naming a leader that never acts.
        if (sequence === null) ctx.send(coordinator, { type: 'coordinator.join', sessionId: message.sessionId });
        if (leadingEpoch === null) ctx.send(coordinator, { type: 'coordinator.watch_leader' });
        return;
      case 'coordinator.joined':
        if (message.sessionId !== sessionId) return;
        sequence = message.sequence;
        onLeader(known.leader, known.epoch);
        return;
      case 'coordinator.leader':
        onLeader(message.leader, message.epoch);
        return;
      default:
        // A request meant for the coordinator itself: logged, never dropped silently.
        ctx.emit({ type: 'master.unhandled', node: ctx.self, from, message: message.type });
        return;
    }
  }

  function redirect(from: NodeId, message: Message): void {
    const leaderOnly = message.type === 'scheduler.subscribe' || message.type === 'agent.register' || message.type === 'agent.reregister';
    if (leaderOnly && known.leader !== ctx.self) ctx.send(from, { type: 'master.redirect', epoch: known.epoch, leader: known.leader });
  }

  /**
   * A leader acts only while its lease holds: a master that was paused (or slow)
   * past its session timeout may have been replaced, so it aborts before it
   * handles anything else, whatever order its overdue work comes in.
   */
  function leaseHolds(): boolean {
    if (leadingEpoch === null || ctx.now() - lastConfirmedMs <= timing.sessionTimeoutMs) return true;
    abort('the coordinator session lease ran out');
    return false;
  }

  /** The inner master may have stepped down by itself (a failed registry write): abort and rejoin. */
  function checkInner(): void {
    if (leadingEpoch !== null && master.status() === 'standby') abort('the master stepped down');
  }

  return {
    inner: () => master,
    knownLeader: () => known,
    start() {
      heartbeat();
      ctx.send(coordinator, { type: 'coordinator.watch_leader' });
    },
    receive(from, message) {
      if (message.type.startsWith('coordinator.')) {
        if (from !== coordinator) return;
        if (!registry.receive(message)) onCoordinator(from, message);
        checkInner();
        return;
      }
      if (!leaseHolds()) return;
      if (master.status() === 'leading') {
        master.receive(from, message);
        checkInner();
      } else redirect(from, message);
    },
    timer(key) {
      if (key === HEARTBEAT_TIMER) heartbeat();
      else if (key === SESSION_DEADLINE_TIMER) abort('no word from the coordinator within the session timeout');
      else if (!leaseHolds()) return;
      else if (registry.timer(key)) checkInner();
      else {
        master.timer(key);
        checkInner();
      }
    },
  };
}
