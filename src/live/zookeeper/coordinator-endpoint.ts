/**
 * The coordinator for the live runtime: a local endpoint that answers the
 * core HA master's `coordinator.*` messages (and a detector's
 * `coordinator.watch_leader`) by doing ZooKeeper operations, so the core HA
 * master (src/core/master/ha.ts) runs unchanged on a real ZooKeeper. The
 * runtime routes every message its actors send to the coordinator node to
 * `receive`, and delivers what this endpoint hands to `deliver` as messages
 * from the coordinator node.
 *
 * - heartbeat: a ZooKeeper session per master (its own client), answered
 *   after a round trip to ZooKeeper; the local session timer
 *   (member-session.ts) ends it when ZooKeeper stops answering;
 * - join: `PATH/json.info_` EPHEMERAL_SEQUENTIAL with the master's MasterInfo;
 *   `joined` carries the sequence;
 * - leader: the smallest `json.info_<seq>` child, named by its MasterInfo
 *   `id` (the master's node id), its sequence the epoch; pushed to watchers;
 *   (ZooKeeper numbers sequential nodes from 0, the core's coordinator from 1,
 *   epoch 0 meaning no leader yet: the core sees sequence + 1, so a scenario's
 *   `leader epoch >= 2` means the same on both runtimes);
 * - registry: `PATH/registry`, every write fenced by the writer's own
 *   election node (registry-znode.ts);
 * - close: closes the session (its election node goes at once).
 */
import type { Client } from 'node-zookeeper-client';
import type { NodeId } from '../../core/ids.js';
import type { CoordinatorMessage, Message, RegistryOp } from '../../core/messages.js';
import { assertNever } from '../../core/errors.js';
import { realTimers, type Timers } from '../scheduler-client/timers.js';
import { watchLeader, type LeaderSnapshot, type LeaderWatch } from './leader-watch.js';
import { epochOfSequence, MEMBER_PREFIX, masterInfoOf, memberSequence, sequenceOfEpoch, type MasterAddress } from './master-info.js';
import { closeClient, MemberSession } from './member-session.js';
import { readRegistry, writeRegistryFenced } from './registry-znode.js';
import type { ZkUrl } from './url.js';
import { CREATE_MODE, newZkClient, ZK_EVENT, zkChildren, zkCreate, zkExists, zkMkdirp } from './zk-ops.js';

/** What the endpoint is built with. */
export interface ZooKeeperCoordinatorOptions {
  readonly url: ZkUrl;
  /** The address a joining master advertises (its HTTP API); written into its MasterInfo, whose `id` is the node id. */
  readonly addressOf: (node: NodeId) => MasterAddress;
  /** MasterInfo `version` (faultline's version). */
  readonly version: string;
  /** Hands an answer to actor `to`; the runtime delivers it as a message from the coordinator node. Never called inside `receive`. */
  readonly deliver: (to: NodeId, message: CoordinatorMessage) => void;
  /** One line for each notable change (sessions lost, members joined, leaders, refused writes). */
  readonly log?: (line: string) => void;
  readonly timers?: Timers;
  /** The session of the endpoint's own leader watch. Default 10 s. */
  readonly watchSessionTimeoutMs?: number;
  /** The ZooKeeper client's pause between rounds of connection attempts. Default 250 ms. */
  readonly spinDelayMs?: number;
  /** The local address ZooKeeper connections leave from (a live run's iptables rules match on it). */
  readonly localAddress?: string;
}

/** The leader as the endpoint last read it. */
export interface CoordinatorLeader {
  readonly leader: NodeId | null;
  readonly epoch: number;
}

/** The ZooKeeper coordinator endpoint. */
export interface ZooKeeperCoordinator {
  /** Handles a message sent to the coordinator node (others are ignored). */
  receive(from: NodeId, message: Message): void;
  /** The leader as last read from ZooKeeper. */
  leaderNow(): CoordinatorLeader;
  /** Where the leader's HTTP API is, from its MasterInfo (for a standby's 307), or null. */
  leaderAddress(): { readonly host: string; readonly port: number } | null;
  /** Closes every session of `node` now (an operator forcing a failover: NodeControl.expireSessions). False when it had none. */
  expireSessions(node: NodeId): boolean;
  /** Closes every session and the watch; the endpoint answers nothing afterwards. */
  close(): Promise<void>;
}

function isCoordinatorMessage(message: Message): message is CoordinatorMessage {
  return message.type.startsWith('coordinator.');
}

/** Builds the endpoint and starts its leader watch. */
export function createZooKeeperCoordinator(options: ZooKeeperCoordinatorOptions): ZooKeeperCoordinator {
  const { url } = options;
  const timers = options.timers ?? realTimers;
  const log = options.log ?? (() => undefined);
  const spinDelayMs = options.spinDelayMs ?? 250;
  const watchSessionTimeoutMs = options.watchSessionTimeoutMs ?? 10_000;
  const path = url.path;
  const sessions = new Set<MemberSession>();
  const watchers = new Set<NodeId>();
  let closed = false;
  let announced: CoordinatorLeader = { leader: null, epoch: 0 };
  /** Registry reads and writes run one at a time, in the order they came. */
  let registryQueue: Promise<void> = Promise.resolve();

  // Answers leave after the current handler: the master must never be re-entered from its own send.
  const deliver = (to: NodeId, message: CoordinatorMessage): void => {
    queueMicrotask(() => {
      if (!closed) options.deliver(to, message);
    });
  };

  const fromSnapshot = (leader: LeaderSnapshot | null | undefined): CoordinatorLeader =>
    leader ? { leader: leader.info?.id ?? null, epoch: epochOfSequence(leader.sequence) } : { leader: null, epoch: announced.epoch };

  let leaderSnapshot: LeaderSnapshot | null = null;
  const onLeader = (leader: LeaderSnapshot | null): void => {
    leaderSnapshot = leader;
    const now = fromSnapshot(leader);
    if (now.leader === announced.leader && now.epoch === announced.epoch) return;
    announced = now;
    log(`leader: ${now.leader ?? 'none'} at epoch ${now.epoch}`);
    for (const watcher of watchers) deliver(watcher, { type: 'coordinator.leader', leader: now.leader, epoch: now.epoch });
  };

  // The endpoint's own session, for the leader watch (members come and go with their masters).
  let watchClient: Client;
  let watch: LeaderWatch;
  function startWatch(): void {
    watchClient = newZkClient(url.connectString, watchSessionTimeoutMs, spinDelayMs, timers, options.localAddress);
    watch = watchLeader(watchClient, path, onLeader);
    watchClient.once('expired', () => {
      if (closed) return;
      log('the leader watch session expired; watching with a new one');
      watch.stop();
      void closeClient(watchClient, timers);
      startWatch();
    });
    watchClient.connect();
  }
  startWatch();

  const sessionOf = (owner: NodeId, id: string): MemberSession | undefined => {
    for (const session of sessions) if (session.id === id && session.owner === owner && session.state === 'live') return session;
    return undefined;
  };
  const sayExpired = (to: NodeId, sessionId: string): void => deliver(to, { type: 'coordinator.session', sessionId, expired: true });

  function openSession(owner: NodeId, timeoutMs: number): void {
    for (const session of sessions) if (session.owner === owner && session.state === 'connecting') return; // answered once connected
    const session = new MemberSession({
      owner,
      connectString: url.connectString,
      timeoutMs,
      spinDelayMs,
      timers,
      log,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      onLive: (live) => {
        log(`${owner}: ZooKeeper session ${live.id ?? '?'}`);
        deliver(owner, { type: 'coordinator.session', sessionId: live.id ?? '', expired: false });
      },
      onExpired: (ended, reason) => {
        sessions.delete(ended);
        log(`${owner}: session ${ended.id ?? '?'} lost: ${reason}`);
        if (ended.id !== null) sayExpired(owner, ended.id);
      },
    });
    sessions.add(session);
  }

  function heartbeat(from: NodeId, sessionId: string | null, timeoutMs: number): void {
    if (sessionId === null) {
      openSession(from, timeoutMs);
      return;
    }
    const session = sessionOf(from, sessionId);
    if (!session) {
      sayExpired(from, sessionId);
      return;
    }
    // Answered only after ZooKeeper has, so a master's lease never starts before the server last heard it.
    void zkExists(session.client, path).then((answer) => {
      if (session.state !== 'live') return;
      if (answer.ok) {
        session.heard();
        deliver(from, { type: 'coordinator.session', sessionId, expired: false });
      }
    });
  }

  /** A member of this session left by a create whose answer was lost: adopt it rather than join twice. */
  async function ownMember(session: MemberSession): Promise<string | null> {
    const children = await zkChildren(session.client, path);
    if (!children.ok) return null;
    for (const child of children.value) {
      if (memberSequence(child) === null) continue;
      const stat = await zkExists(session.client, `${path}/${child}`);
      if (stat.ok && stat.value && stat.value.ephemeralOwner.toString('hex') === session.id) return child;
    }
    return null;
  }

  async function join(session: MemberSession): Promise<void> {
    const info = masterInfoOf(session.owner, options.addressOf(session.owner), options.version);
    if (!info.ok) {
      log(`${session.owner}: cannot join: ${info.error.message}`);
      return;
    }
    const made = await zkMkdirp(session.client, path);
    if (!made.ok && made.code !== 'NODE_EXISTS') return;
    let child = await ownMember(session);
    if (child === null) {
      const created = await zkCreate(session.client, `${path}/${MEMBER_PREFIX}`, JSON.stringify(info.value), CREATE_MODE.EPHEMERAL_SEQUENTIAL);
      if (!created.ok) {
        log(`${session.owner}: joining failed: ${created.message}`);
        return;
      }
      child = created.value.slice(created.value.lastIndexOf('/') + 1);
    }
    const sequence = memberSequence(child);
    if (sequence === null || session.state !== 'live') return;
    session.heard();
    const memberPath = `${path}/${child}`;
    session.membership = { path: memberPath, sequence };
    log(`${session.owner}: joined as ${child}`);
    deliver(session.owner, { type: 'coordinator.joined', sessionId: session.id ?? '', sequence: epochOfSequence(sequence) });
    // A member whose node is removed (an operator, removeElectionNodes) has lost its candidacy, as a Mesos
    // contender does: its session ends, so the master aborts and contends again rather than wait forever.
    const lost = (): void => session.lose(`its election node ${child} was removed`);
    const watched = await zkExists(session.client, memberPath, (event) => {
      if (event.getType() === ZK_EVENT.NODE_DELETED) lost();
    });
    if (watched.ok && watched.value === null) lost();
  }

  function onJoin(from: NodeId, sessionId: string): void {
    const session = sessionOf(from, sessionId);
    if (!session) {
      sayExpired(from, sessionId);
      return;
    }
    if (session.membership) {
      deliver(from, { type: 'coordinator.joined', sessionId, sequence: epochOfSequence(session.membership.sequence) });
      return;
    }
    if (session.joining) return;
    session.joining = true;
    void join(session).finally(() => {
      session.joining = false;
    });
  }

  /**
   * Runs registry work after the work before it. A request queued on a client that is closed meanwhile
   * is never answered, so each piece may hold the queue for two session timeouts at most; then its
   * owner's sessions are lost (its master aborts) and no later write of that epoch can follow it.
   */
  function enqueue(owner: NodeId, what: string, work: () => Promise<void>): void {
    const bounded = (): Promise<void> =>
      new Promise<void>((resolve) => {
        let limitMs = 2 * watchSessionTimeoutMs;
        for (const session of sessions) if (session.owner === owner && session.state === 'live') limitMs = 2 * session.timeoutMs;
        const timer = timers.setTimeout(() => {
          for (const session of [...sessions]) if (session.owner === owner) session.lose(`the ${what} got no answer from ZooKeeper within ${limitMs} ms`);
          resolve();
        }, limitMs);
        void work().finally(() => {
          timers.clearTimeout(timer);
          resolve();
        });
      });
    registryQueue = registryQueue.then(bounded);
  }

  function registryRead(from: NodeId, epoch: number): void {
    enqueue(from, 'registry read', async () => {
      let client = watchClient;
      for (const session of sessions) if (session.owner === from && session.state === 'live') client = session.client;
      const stored = await readRegistry(client, path);
      if (!stored.ok) {
        log(`${from}: the registry read failed: ${stored.message}`);
        return; // unanswered: the master's registry timeout makes it step down
      }
      deliver(from, { type: 'coordinator.registry', epoch, registry: stored.value.snapshot });
    });
  }

  function registryWrite(from: NodeId, epoch: number, requestId: number, ops: readonly RegistryOp[]): void {
    enqueue(from, 'registry write', async () => {
      let writer: MemberSession | undefined;
      for (const session of sessions) if (session.owner === from && session.state === 'live' && session.membership?.sequence === sequenceOfEpoch(epoch)) writer = session;
      const outcome = writer?.membership
        ? await writeRegistryFenced({ client: writer.client, path, memberPath: writer.membership.path, epoch: sequenceOfEpoch(epoch) }, ops)
        : { accepted: false as const, reason: `${from} has no live election node for epoch ${epoch}` };
      if (outcome.accepted) writer?.heard();
      else log(`${from}: registry write at epoch ${epoch} refused: ${outcome.reason}`);
      deliver(from, { type: 'coordinator.registry_written', epoch, requestId, accepted: outcome.accepted });
    });
  }

  function endSessionsOf(node: NodeId, sessionId: string | null): number {
    let ended = 0;
    for (const session of [...sessions]) {
      if (session.owner !== node || (sessionId !== null && session.id !== sessionId)) continue;
      sessions.delete(session);
      ended += 1;
      void session.end();
    }
    return ended;
  }

  function handle(from: NodeId, message: CoordinatorMessage): void {
    switch (message.type) {
      case 'coordinator.watch_leader':
        watchers.add(from);
        deliver(from, { type: 'coordinator.leader', leader: announced.leader, epoch: announced.epoch });
        return;
      case 'coordinator.heartbeat':
        heartbeat(from, message.sessionId, message.timeoutMs);
        return;
      case 'coordinator.join':
        onJoin(from, message.sessionId);
        return;
      case 'coordinator.close':
        endSessionsOf(from, message.sessionId);
        return;
      case 'coordinator.registry_read':
        registryRead(from, message.epoch);
        return;
      case 'coordinator.registry_write':
        registryWrite(from, message.epoch, message.requestId, message.ops);
        return;
      case 'coordinator.leader':
      case 'coordinator.session':
      case 'coordinator.joined':
      case 'coordinator.registry':
      case 'coordinator.registry_written':
        return; // the coordinator's own answers: not requests
      default:
        assertNever(message, 'coordinator message');
    }
  }

  return {
    receive(from, message) {
      if (closed || !isCoordinatorMessage(message)) return;
      handle(from, message);
    },
    leaderNow: () => announced,
    leaderAddress: () => (leaderSnapshot?.info ? { host: leaderSnapshot.info.host, port: leaderSnapshot.info.port } : null),
    expireSessions(node) {
      const ended = [...sessions].filter((s) => s.owner === node && s.state === 'live' && s.id !== null);
      endSessionsOf(node, null);
      for (const session of ended) {
        log(`${node}: session ${session.id ?? '?'} expired by the operator`);
        sayExpired(node, session.id ?? '');
      }
      return ended.length > 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      watch.stop();
      const ending = [...sessions].map((s) => s.end());
      sessions.clear();
      // Not the registry queue: a request queued on a closed client may never be answered.
      await Promise.all([...ending, closeClient(watchClient, timers)]);
    },
  };
}
