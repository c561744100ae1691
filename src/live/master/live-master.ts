/**
 * `faultline master` as a library: the core master actor (node `master-1`) on
 * the wall-clock node host, its registry durable in the work directory, the
 * Mesos HTTP API, state endpoints and web view served over a ServedWorld whose
 * state is folded from the master's own history, and the agents' WebSocket
 * transport on the same port. HTTP frameworks' proxies run in this process
 * next to the master; agents are other processes, reached through the
 * transport; operator clients may use the transport too (the same answers as
 * `POST /api/v1`). With chaos allowed, FAULTLINE_INJECT_FAULT acts on real
 * processes: kill-task and kill-agent are carried out by the agent process,
 * a partition isolates agents in the transport until heal.
 *
 * With `zk` it is the core HA master instead (a node id of its own), its
 * coordinator messages routed to this process's ZooKeeper endpoint
 * (src/live/zookeeper), the registry in ZooKeeper, and the API's standby
 * answers a 307 to the leader named in ZooKeeper.
 *
 * With `eventLog` every event of this process's history (its core actors',
 * and the `node.started` and `fault.injected` it records itself) is also
 * appended to that file as a JSON line (src/live/history), so a live runner
 * can merge it with the agents' logs into one history.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { ClusterProjection } from '../../core/projection.js';
import { createDrfAllocator } from '../../core/allocator/drf.js';
import { err, ok, type Result } from '../../core/errors.js';
import type { ClusterEvent } from '../../core/events.js';
import { describeFault, type Fault } from '../../core/faults.js';
import type { NodeId } from '../../core/ids.js';
import { createHaMaster, createMaster, type MasterActor } from '../../core/master/index.js';
import type { ClusterState } from '../../core/state.js';
import type { Timing } from '../../core/timing.js';
import { HistoryLog } from '../../cluster/history-log.js';
import type { ChaosHook } from '../http/faultline-endpoint.js';
import { serveMesosApi, type ServedApi } from '../http/server.js';
import type { ServedWorld } from '../http/world.js';
import { createFileRegistry, readRegistryFile, registryPathOf } from '../runtime/file-registry.js';
import { NodeHost } from '../runtime/node-host.js';
import { localAddressOf } from '../runtime/local-address.js';
import { MasterTransport } from '../transport/master-transport.js';
import { linkChangesOf } from './link-chaos.js';
import { openEventLogWriter, type EventLogWriter } from '../history/index.js';
import { parseNodeId } from '../runtime/node-id.js';
import { createZooKeeperCoordinator, type ZkUrl, type ZooKeeperCoordinator } from '../zookeeper/index.js';

/**
 * The master's node id as agents know it: the transport carries no master id,
 * so an agent talks to `master-1` whichever process leads (a ZooKeeper HA
 * master has a node id of its own; agents fence it by epoch).
 */
export const LIVE_MASTER_NODE: NodeId = 'master-1';

/** The coordinator node a ZooKeeper HA master talks to: this process's own ZooKeeper endpoint. */
export const LIVE_COORDINATOR_NODE: NodeId = 'coordinator';

/** Election and registry through ZooKeeper (`faultline master --zk`). */
export interface LiveMasterZk {
  readonly url: ZkUrl;
  readonly sessionTimeoutMs: number;
  /** MasterInfo `version`. */
  readonly version: string;
  /** One line for each notable ZooKeeper change (sessions, leaders, refused writes). */
  readonly log?: (line: string) => void;
}

/** How a live master is started. */
export interface LiveMasterOptions {
  readonly host: string;
  /** 0: a free port. */
  readonly port: number;
  readonly workDir: string;
  readonly secret: string | null;
  readonly allowChaos: boolean;
  readonly timing: Timing;
  /** The operator stream's HEARTBEAT interval. */
  readonly heartbeatIntervalMs: number;
  readonly webDir?: string;
  /** With ZooKeeper: the core HA master, elected there, its registry there (the work directory is not used for it). */
  readonly zk?: LiveMasterZk;
  /** The master actor's node id (default `master-1`, with ZooKeeper `master-<hex>`); with ZooKeeper also its MasterInfo `id`. */
  readonly nodeId?: NodeId;
  /** A file to append every event of this process's history to, one JSON line each (src/live/history). */
  readonly eventLog?: string;
  /** One line for what goes wrong after the start (an event log that stops being writable). */
  readonly log?: (line: string) => void;
}

/** A running live master. */
export interface LiveMaster {
  readonly ip: string;
  readonly port: number;
  /** This master's node id (`nodeId`, else `master-1`, or a unique `master-<hex>` with ZooKeeper). */
  readonly node: NodeId;
  readonly transport: MasterTransport;
  /** The master now (with ZooKeeper: the HA master's current inner master, replaced on every abort). */
  master(): MasterActor;
  state(): ClusterState;
  close(): Promise<void>;
}

/** Starts a live master; an error when the work directory or the port cannot be used. */
export async function startLiveMaster(options: LiveMasterOptions): Promise<Result<LiveMaster>> {
  const nodeId = options.nodeId === undefined ? ok(null) : parseNodeId(options.nodeId);
  if (!nodeId.ok) return nodeId;
  try {
    mkdirSync(options.workDir, { recursive: true });
  } catch (error) {
    return err('IO', `cannot create the work directory ${options.workDir}: ${error instanceof Error ? error.message : String(error)}`, '--work-dir');
  }
  const zk = options.zk;
  const self: NodeId = nodeId.value ?? (zk === undefined ? LIVE_MASTER_NODE : `master-${randomBytes(4).toString('hex')}`);
  const registryPath = registryPathOf(options.workDir);
  const seed = zk === undefined ? readRegistryFile(registryPath) : ok(null);
  if (!seed.ok) return seed;
  let eventLog: EventLogWriter | null = null;
  if (options.eventLog !== undefined) {
    const opened = openEventLogWriter({ path: options.eventLog, onError: options.log });
    if (!opened.ok) return opened;
    eventLog = opened.value;
  }

  // Wall-clock epoch milliseconds: timestamps in the API are then real times, across restarts too.
  const now = (): number => Date.now();
  const history = new HistoryLog({ now, limit: 0 });
  const projection = new ClusterProjection();
  history.onRecord((record) => projection.apply(record));
  /** One event of this process, from `node` (an actor's, or this process's own record about `node`). */
  const record = (node: NodeId, event: ClusterEvent): void => {
    history.emit(event);
    eventLog?.append(node, event);
  };
  const emit = (event: ClusterEvent): void => record(self, event);

  let transport: MasterTransport | null = null;
  const host = new NodeHost({ now, emit: record, remote: (_from, to, message) => transport?.send(to, message) });
  /** The served API once it listens: operator connections on the transport are answered by its operator calls. */
  let served: ServedApi | null = null;
  transport = new MasterTransport({
    master: self,
    secret: options.secret,
    onMessage: (from, message) => host.deliver(from, self, message),
    operator: () => served?.operatorCalls(self) ?? null,
    isLocalNode: (node) => host.has(node),
    // What a chaos link fault lost or duplicated is in the history, as in the simulation (faults-bite reads it).
    onImpaired: ({ effect, from, to, message }) =>
      record(self, effect === 'lost' ? { type: 'message.dropped', from, to, message, cause: 'loss' } : { type: 'message.duplicated', from, to, message }),
  });
  const liveTransport = transport;
  /** Where this master's API listens, once it does (its MasterInfo in ZooKeeper names it). */
  let listening = { ip: options.host, port: options.port };

  let endpoint: ZooKeeperCoordinator | null = null;
  let currentMaster: () => MasterActor;
  const startMaster = (): void => {
    emit({ type: 'node.started', node: self, role: 'master' });
    if (zk === undefined) {
      const registry = seed.value === null ? undefined : createFileRegistry(registryPath, seed.value);
      const master = host.add(self, (ctx) => createMaster(ctx, { timing: options.timing, allocator: createDrfAllocator(), registry }));
      currentMaster = () => master;
      return;
    }
    const zkEndpoint = createZooKeeperCoordinator({
      url: zk.url,
      addressOf: () => listening,
      version: zk.version,
      deliver: (to, message) => host.deliver(LIVE_COORDINATOR_NODE, to, message),
      log: zk.log,
      watchSessionTimeoutMs: zk.sessionTimeoutMs,
      ...(localAddressOf(options.host) === undefined ? {} : { localAddress: options.host }),
    });
    endpoint = zkEndpoint;
    host.route(self, LIVE_COORDINATOR_NODE, (from, message) => zkEndpoint.receive(from, message));
    // The HA master aborts on a lost session and contends again as a fresh standby: the restart loop is in there.
    const ha = host.add(self, (ctx) =>
      createHaMaster(ctx, { timing: { ...options.timing, sessionTimeoutMs: zk.sessionTimeoutMs }, coordinator: LIVE_COORDINATOR_NODE, newAllocator: () => createDrfAllocator() }),
    );
    currentMaster = () => ha.inner();
  };
  const world: ServedWorld = {
    state: () => projection.snapshot(),
    onRecord: (listener) => history.onRecord(listener),
    masters: () => [self],
    masterRunning: () => true,
    addFrameworkNode: (node, factory) => {
      record(node, { type: 'node.started', node, role: 'scheduler' });
      host.add(node, factory);
    },
  };
  const chaos: ChaosHook | null = options.allowChaos ? { inject: (fault) => injectLive(fault, { self, transport: liveTransport, state: () => projection.snapshot(), emit }) } : null;

  let api: ServedApi;
  try {
    api = await serveMesosApi({
      world,
      host: options.host,
      port: options.port,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      chaos,
      webDir: options.webDir,
      httpSecret: options.secret,
      agentsServeFiles: true,
      onUpgrade: (req, socket, head) => liveTransport.handleUpgrade(req, socket, head),
      remoteLeader:
        zk === undefined
          ? undefined
          : () => {
              const leader = endpoint?.leaderNow().leader ?? null;
              const address = endpoint?.leaderAddress() ?? null;
              return leader === null || leader === self || address === null ? null : { hostname: address.host, ip: address.host, port: address.port };
            },
      agentAddress: (node) => {
        const endpoint = liveTransport.endpointOf(node);
        return endpoint === null ? null : { hostname: endpoint.hostname, ip: endpoint.ip, port: endpoint.port };
      },
    });
  } catch (error) {
    host.close();
    await liveTransport.close();
    eventLog?.close();
    return err('IO', `cannot listen on ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)}`, '--listen');
  }
  served = api;
  const address = api.masters[0]?.address;
  listening = { ip: address?.ip ?? options.host, port: address?.port ?? options.port };
  // The master starts once its port is known: with ZooKeeper its MasterInfo advertises it, and the API
  // hears its node.started (the start_time of /master/state).
  startMaster();
  return ok({
    ip: listening.ip,
    port: listening.port,
    node: self,
    transport: liveTransport,
    master: () => currentMaster(),
    state: () => projection.snapshot(),
    close: async () => {
      // The WebSockets first: upgraded sockets are not the HTTP server's to close, and it waits for them.
      await liveTransport.close();
      await api.close();
      host.close();
      // Closing the session removes this master's election node at once: the next one leads without waiting.
      await endpoint?.close();
      eventLog?.close();
    },
  });
}

interface ChaosDeps {
  /** This master's node id (a partition's groups and a link's ends name it). */
  readonly self: NodeId;
  readonly transport: MasterTransport;
  readonly state: () => ClusterState;
  readonly emit: (event: ClusterEvent) => void;
}

/** A fault on real processes: what the agent process or the transport does for it. */
function injectLive(fault: Fault, deps: ChaosDeps): Result<string> {
  const applied = applyLive(fault, deps);
  if (applied.ok) deps.emit({ type: 'fault.injected', fault, detail: applied.value });
  return applied;
}

/**
 * The node id (the agent's --listen address) of an agent named by its node
 * id, its agent id, or a host name only one connected agent has. Operator
 * clients know agents by agent id and hostname (what Mesos publishes), and on
 * one machine several agents share a hostname.
 */
function agentNodeOf(name: string, { transport, state }: Pick<ChaosDeps, 'transport' | 'state'>): Result<NodeId> {
  if (transport.endpointOf(name) !== null) return ok(name);
  const agents = [...state().agents.values()];
  const byId = agents.find((a) => a.agentId === name);
  if (byId !== undefined) return ok(byId.host);
  const byHostname = transport.connected().filter((node) => {
    const endpoint = transport.endpointOf(node);
    return endpoint?.ip === name || endpoint?.hostname === name;
  });
  if (byHostname.length === 1 && byHostname[0] !== undefined) return ok(byHostname[0]);
  if (byHostname.length > 1) return err('UNKNOWN_TARGET', `${byHostname.length} agents run on ${name}: name one by agent id or node (${byHostname.join(', ')})`);
  return ok(name);
}

function applyLive(fault: Fault, { self, transport, state }: ChaosDeps): Result<string> {
  switch (fault.kind) {
    case 'kill-task': {
      const task = state().tasks.get(fault.taskId);
      if (task === undefined) return err('UNKNOWN_TARGET', `no task ${fault.taskId}`);
      const agent = task.agentId === null ? undefined : state().agents.get(task.agentId);
      if (agent === undefined || !transport.killTask(agent.host, fault.taskId)) return err('UNKNOWN_TARGET', `the agent of ${fault.taskId} is not connected`);
      return ok(`${describeFault(fault)}: its agent ${agent.host} kills the process group`);
    }
    case 'kill-agent': {
      const node = agentNodeOf(fault.node, { transport, state });
      if (!node.ok) return node;
      if (!transport.kill(node.value)) return err('UNKNOWN_TARGET', `agent ${fault.node} is not connected`);
      return ok(`${describeFault(fault)}: the agent process ${node.value} SIGKILLs itself`);
    }
    case 'partition':
    case 'link': {
      // Live, only the links between this master and its clients exist; each direction is cut or degraded in the transport.
      const resolve = (name: NodeId): NodeId => {
        const node = agentNodeOf(name, { transport, state });
        return node.ok ? node.value : name;
      };
      const named: typeof fault =
        fault.kind === 'partition' ? { ...fault, groups: fault.groups.map((group) => group.map(resolve)) } : { ...fault, from: fault.from.map(resolve), to: fault.to.map(resolve) };
      const changes = linkChangesOf(self, named, transport.connected());
      for (const { node, direction, change } of changes) transport.links.impair(node, direction, change);
      if (changes.length === 0) return ok(`${describeFault(fault)}: no link of ${self} to a connected client is named`);
      return ok(`${describeFault(fault)}: ${changes.map((c) => `${c.direction === 'out' ? `${self}->${c.node}` : `${c.node}->${self}`}`).join(', ')} in the transport until heal`);
    }
    case 'heal': {
      const healed = transport.healAll();
      return ok(healed.length === 0 ? 'nothing to heal' : `healed ${healed.join(', ')}`);
    }
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent':
    case 'clog':
    case 'unclog':
    case 'swizzle-clog':
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'resume-master':
    case 'failover':
    case 'crash-framework':
    case 'restart-framework':
      return err('FAULT_INVALID', 'not supported on a live master (kill-task, kill-agent, partition, link and heal are)');
    default: {
      const never: never = fault;
      return err('FAULT_INVALID', `unknown fault ${String(never)}`);
    }
  }
}
