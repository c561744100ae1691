/**
 * A ZooKeeper-like coordinator for master high availability, as an actor on
 * the network (so it can be partitioned and delayed like any node). It keeps
 * sessions that expire without heartbeats, the election members (ephemeral,
 * sequential: the lowest sequence leads and is the epoch), leader watchers,
 * and the durable registry, whose writes are fenced by the leader's epoch.
 * One process stands for a ZooKeeper ensemble plus the replicated log.
 */
import type { Actor, ActorContext } from '../actor.js';
import type { NodeId } from '../ids.js';
import type { Message } from '../messages.js';
import { RegistryStore } from './registry-store.js';

interface Session {
  readonly id: string;
  readonly owner: NodeId;
  readonly timeoutMs: number;
  lastHeardMs: number;
}

interface Member {
  readonly sequence: number;
  readonly sessionId: string;
  readonly node: NodeId;
}

/** How often the coordinator checks for expired sessions. */
const EXPIRY_CHECK_MS = 100;

/** The coordinator actor, with the operator's levers. */
export interface CoordinatorActor extends Actor {
  /** The leader now and its epoch. */
  leaderNow(): { leader: NodeId | null; epoch: number };
  /** Expires every session of `node` at once (an operator forcing a failover). Returns how many. */
  expireSessionsOf(node: NodeId): number;
}

/** Builds the coordinator actor. */
export function createCoordinator(ctx: ActorContext): CoordinatorActor {
  const sessions = new Map<string, Session>();
  /** Members in sequence order (they are appended with increasing sequence numbers). */
  let members: Member[] = [];
  const watchers = new Set<NodeId>();
  const registry = new RegistryStore();
  let nextSessionNumber = 1;
  let nextSequence = 1;
  let announced: { leader: NodeId | null; epoch: number } = { leader: null, epoch: 0 };

  const current = (): { leader: NodeId | null; epoch: number } => {
    const first = members[0];
    return first ? { leader: first.node, epoch: first.sequence } : { leader: null, epoch: announced.epoch };
  };

  const announce = (): void => {
    const now = current();
    if (now.leader === announced.leader && now.epoch === announced.epoch) return;
    announced = now;
    for (const watcher of watchers) ctx.send(watcher, { type: 'coordinator.leader', leader: now.leader, epoch: now.epoch });
  };

  const expire = (sessionId: string): void => {
    sessions.delete(sessionId);
    const before = members.length;
    members = members.filter((m) => m.sessionId !== sessionId);
    if (members.length !== before) announce();
  };

  return {
    leaderNow: current,
    expireSessionsOf(node) {
      const owned = [...sessions.values()].filter((session) => session.owner === node);
      for (const session of owned) expire(session.id);
      return owned.length;
    },
    start() {
      ctx.setTimer('expiry', EXPIRY_CHECK_MS);
    },
    timer(key) {
      if (key !== 'expiry') return;
      const now = ctx.now();
      for (const session of [...sessions.values()]) {
        if (now - session.lastHeardMs > session.timeoutMs) expire(session.id);
      }
      ctx.setTimer('expiry', EXPIRY_CHECK_MS);
    },
    receive(from: NodeId, message: Message) {
      switch (message.type) {
        case 'coordinator.watch_leader': {
          watchers.add(from);
          const now = current();
          ctx.send(from, { type: 'coordinator.leader', leader: now.leader, epoch: now.epoch });
          return;
        }
        case 'coordinator.heartbeat': {
          const known = message.sessionId === null ? undefined : sessions.get(message.sessionId);
          if (known && known.owner === from) {
            known.lastHeardMs = ctx.now();
            ctx.send(from, { type: 'coordinator.session', sessionId: known.id, expired: false, ...echo(message.sentMs) });
            return;
          }
          if (message.sessionId !== null) {
            // ZooKeeper's SESSION_EXPIRED: the client must start over (a leader steps down).
            ctx.send(from, { type: 'coordinator.session', sessionId: message.sessionId, expired: true });
            return;
          }
          const id = `s${nextSessionNumber}`;
          nextSessionNumber += 1;
          sessions.set(id, { id, owner: from, timeoutMs: message.timeoutMs, lastHeardMs: ctx.now() });
          ctx.send(from, { type: 'coordinator.session', sessionId: id, expired: false, ...echo(message.sentMs) });
          return;
        }
        case 'coordinator.join': {
          const session = sessions.get(message.sessionId);
          if (!session || session.owner !== from) {
            ctx.send(from, { type: 'coordinator.session', sessionId: message.sessionId, expired: true });
            return;
          }
          session.lastHeardMs = ctx.now();
          const existing = members.find((m) => m.sessionId === message.sessionId);
          const member = existing ?? { sequence: nextSequence, sessionId: message.sessionId, node: from };
          if (!existing) {
            nextSequence += 1;
            members.push(member);
          }
          ctx.send(from, { type: 'coordinator.joined', sessionId: message.sessionId, sequence: member.sequence });
          announce();
          return;
        }
        case 'coordinator.close': {
          const session = sessions.get(message.sessionId);
          if (session && session.owner === from) expire(session.id);
          return;
        }
        case 'coordinator.registry_read':
          ctx.send(from, { type: 'coordinator.registry', epoch: message.epoch, registry: registry.snapshot() });
          return;
        case 'coordinator.registry_write': {
          const leader = current();
          const accepted = leader.leader === from && leader.epoch === message.epoch;
          if (accepted) for (const op of message.ops) registry.apply(op);
          ctx.send(from, { type: 'coordinator.registry_written', epoch: message.epoch, requestId: message.requestId, accepted });
          return;
        }
        default:
          return; // not for the coordinator
      }
    },
  };
}

/** The heartbeat's send time, echoed in the answer (absent when the heartbeat had none). */
function echo(sentMs: number | undefined): { readonly sentMs?: number } {
  return sentMs === undefined ? {} : { sentMs };
}
