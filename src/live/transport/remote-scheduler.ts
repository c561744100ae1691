/**
 * One core scheduler actor (src/schedulers: service, batch, execute) run in
 * this process against a live master over the WebSocket transport, as a
 * scheduler node: `faultline run --live` hosts its frameworks with it.
 *
 * The actor runs on its own NodeHost (wall clock). Its sends to the master go
 * on its ClientTransport; what the master sends comes back as from the master
 * node id the transport's welcome named. Who leads is the transport's to say:
 * the actor is built with REMOTE_SCHEDULER_LEADER, a coordinator source whose
 * coordinator is answered here, from the connection: the welcomed master once
 * connected, no leader while it is not. So a lost connection makes the driver
 * stop its heartbeats at once and a new one (a reconnect, or `setMaster` to a
 * new leader) makes it subscribe again with its framework id at once, as a v1
 * HTTP scheduler resubscribes on every new connection, rather than after
 * three missed heartbeats.
 */
import type { Actor, ActorContext } from '../../core/actor.js';
import type { LeaderSource } from '../../core/detector.js';
import type { ClusterEvent } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import type { SchedulerMessage } from '../../core/messages.js';
import { NodeHost } from '../runtime/node-host.js';
import { ClientTransport } from './client-transport.js';

/** The node a hosted scheduler's detector asks who leads; it never leaves this process. */
export const REMOTE_LEADER_NODE: NodeId = 'ws-leader';

/** The leader source to build a hosted scheduler with (`frameworkNodesOf(workload, {leader, timing})`). */
export const REMOTE_SCHEDULER_LEADER: LeaderSource = { kind: 'coordinator', coordinator: REMOTE_LEADER_NODE };

/** How a remote scheduler is started. */
export interface RemoteSchedulerOptions<A extends Actor> {
  /** The (leading) master, HOST:PORT; `setMaster` moves it. */
  readonly master: string;
  /** The scheduler's node id (`scheduler-<name>`): the master knows the framework by it. */
  readonly node: NodeId;
  /** The master's shared secret (its --secret-file), or null. */
  readonly secret: string | null;
  /** Builds the actor; it must take REMOTE_SCHEDULER_LEADER as its leader source. Called once, at start. */
  readonly build: (ctx: ActorContext) => A;
  /** Every event the actor emits (scheduler notes, status.delivered/acknowledged). */
  readonly emit?: (node: NodeId, event: ClusterEvent) => void;
  /** One line about the connection (connected, refused, lost). */
  readonly log?: (line: string) => void;
  /** The actor's clock, ms (default Date.now: the live master's history is in epoch ms too). */
  readonly now?: () => number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** A scheduler actor running here, connected to a live master. */
export interface RemoteScheduler<A extends Actor> {
  readonly node: NodeId;
  readonly actor: A;
  readonly transport: ClientTransport<'scheduler'>;
  /** Follows a new leading master (HOST:PORT): the connection moves there and the scheduler resubscribes. */
  setMaster(master: string): void;
  /** Whether the master welcomed the connection now. */
  connected(): boolean;
  /** Resolves once connected, or false after `timeoutMs`. */
  waitConnected(timeoutMs: number): Promise<boolean>;
  /** Stops the actor and closes the connection (the master disconnects the framework; its failover timeout runs). */
  close(): void;
}

/** Starts the actor and its connection. */
export function startRemoteScheduler<A extends Actor>(options: RemoteSchedulerOptions<A>): RemoteScheduler<A> {
  const { node } = options;
  /** The welcomed master's node id; null while not connected. */
  let leader: NodeId | null = null;
  /** The newest master epoch seen: a leader notice must not be older, or the detector ignores it. */
  let epoch = 0;
  let transport: ClientTransport<'scheduler'> | null = null;

  const host = new NodeHost({
    now: options.now ?? (() => Date.now()),
    emit: options.emit ?? (() => undefined),
    remote: (_from, to, message) => {
      // Only the connected master is reachable; a send to another (a standby's redirect target, a
      // deposed leader) is lost, as on a network without that route: the driver retries on its backoff.
      if (to === leader) transport?.send(message as SchedulerMessage);
    },
  });
  const tellLeader = (): void => host.deliver(REMOTE_LEADER_NODE, node, { type: 'coordinator.leader', leader, epoch });
  host.route(node, REMOTE_LEADER_NODE, (_from, message) => {
    if (message.type === 'coordinator.watch_leader') tellLeader();
  });

  const liveTransport = new ClientTransport({
    master: options.master,
    node,
    role: 'scheduler',
    secret: options.secret,
    log: options.log,
    minBackoffMs: options.minBackoffMs,
    maxBackoffMs: options.maxBackoffMs,
    onMessage: (from, message) => {
      epoch = Math.max(epoch, message.epoch);
      host.deliver(from, node, message);
    },
    onWelcome: (master) => {
      leader = master;
      tellLeader();
    },
    onLost: () => {
      leader = null;
      tellLeader();
    },
  });
  transport = liveTransport;
  const actor = host.add(node, options.build);
  liveTransport.start();

  return {
    node,
    actor,
    transport: liveTransport,
    setMaster: (master) => liveTransport.setMaster(master),
    connected: () => liveTransport.connected(),
    waitConnected: (timeoutMs) => liveTransport.waitConnected(timeoutMs),
    close: () => {
      host.close();
      liveTransport.close();
    },
  };
}
