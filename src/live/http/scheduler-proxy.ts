/**
 * A framework connected over HTTP, as a node on the cluster's network: its v1
 * calls leave as core SchedulerMessages sent from this node at the current
 * (virtual) time, and what masters send to this node comes back to the HTTP
 * side, so partitions, loss, clogs and master failover reach the framework as
 * they would on a real network. While a subscription stream is open it keeps
 * the subscription alive with `scheduler.heartbeat` (what the open connection
 * is to a real master). Each call is noted in the history (`scheduler.note`,
 * app `http-api`).
 */
import type { Actor, ActorContext } from '../../core/actor.js';
import type { FrameworkId, NodeId } from '../../core/ids.js';
import type { MasterToSchedulerMessage, Message, SchedulerMessage } from '../../core/messages.js';

const KEEPALIVE_TIMER = 'keepalive';

/** What the proxy hands back to the HTTP side. */
export interface ProxySink {
  /** A master's message arrived at the proxy node. */
  deliver(from: NodeId, message: MasterToSchedulerMessage): void;
  /** A master answered with a redirect (it is not the leader). */
  redirected(from: NodeId, leader: NodeId | null): void;
}

/** The HTTP side's handle on a proxy node. */
export interface SchedulerProxy extends Actor {
  /** Sends a call to a master and notes it in the history. */
  call(master: NodeId, message: SchedulerMessage, callType: string, frameworkId: FrameworkId | null): void;
  /** Notes an accepted call the core does not model (MESSAGE, REQUEST, ...). */
  note(callType: string, frameworkId: FrameworkId | null, detail: string): void;
  /** Starts (or stops, with null) the keepalive towards `master` every `intervalMs`. */
  keepAlive(target: { readonly master: NodeId; readonly frameworkId: FrameworkId; readonly intervalMs: number } | null): void;
}

function isForScheduler(message: Message): message is MasterToSchedulerMessage {
  switch (message.type) {
    case 'master.subscribed':
    case 'master.offers':
    case 'master.rescind':
    case 'master.update':
    case 'master.failure':
    case 'master.error':
    case 'master.heartbeat':
      return true;
    default:
      return false;
  }
}

/** Builds the proxy actor of one HTTP framework. */
export function createSchedulerProxy(ctx: ActorContext, sink: ProxySink): SchedulerProxy {
  let keepalive: { readonly master: NodeId; readonly frameworkId: FrameworkId; readonly intervalMs: number } | null = null;
  const note = (frameworkId: FrameworkId | null, text: string): void => ctx.emit({ type: 'scheduler.note', frameworkId, node: ctx.self, app: 'http-api', note: text });
  return {
    start() {},
    receive(from, message) {
      if (isForScheduler(message)) sink.deliver(from, message);
      else if (message.type === 'master.redirect') sink.redirected(from, message.leader);
    },
    timer(key) {
      if (key !== KEEPALIVE_TIMER || keepalive === null) return;
      ctx.send(keepalive.master, { type: 'scheduler.heartbeat', frameworkId: keepalive.frameworkId });
      ctx.setTimer(KEEPALIVE_TIMER, keepalive.intervalMs);
    },
    call(master, message, callType, frameworkId) {
      note(frameworkId, `${callType} -> ${master}`);
      ctx.send(master, message);
    },
    note(callType, frameworkId, detail) {
      note(frameworkId, `${callType}: ${detail}`);
    },
    keepAlive(target) {
      keepalive = target;
      if (target === null) ctx.cancelTimer(KEEPALIVE_TIMER);
      else ctx.setTimer(KEEPALIVE_TIMER, target.intervalMs);
    },
  };
}
