/**
 * `faultline master` as a library: the core master actor (node `master-1`) on
 * the wall-clock node host, its registry durable in the work directory, the
 * Mesos HTTP API, state endpoints and web view served over a ServedWorld whose
 * state is folded from the master's own history, and the agents' WebSocket
 * transport on the same port. HTTP frameworks' proxies run in this process
 * next to the master; agents are other processes, reached through the
 * transport. With chaos allowed, FAULTLINE_INJECT_FAULT acts on real
 * processes: kill-task and kill-agent are carried out by the agent process,
 * a partition isolates agents in the transport until heal.
 */
import { mkdirSync } from 'node:fs';
import { ClusterProjection } from '../../core/projection.js';
import { createDrfAllocator } from '../../core/allocator/drf.js';
import { err, ok, type Result } from '../../core/errors.js';
import type { ClusterEvent } from '../../core/events.js';
import { describeFault, type Fault } from '../../core/faults.js';
import type { NodeId } from '../../core/ids.js';
import { createMaster, type MasterActor } from '../../core/master/index.js';
import type { ClusterState } from '../../core/state.js';
import type { Timing } from '../../core/timing.js';
import { HistoryLog } from '../../cluster/history-log.js';
import type { ChaosHook } from '../http/faultline-endpoint.js';
import { serveMesosApi, type ServedApi } from '../http/server.js';
import type { ServedWorld } from '../http/world.js';
import { createFileRegistry, readRegistryFile, registryPathOf } from '../runtime/file-registry.js';
import { NodeHost } from '../runtime/node-host.js';
import { MasterTransport } from '../transport/master-transport.js';

/** The live master's node id (one master; HA goes through ZooKeeper, not here). */
export const LIVE_MASTER_NODE: NodeId = 'master-1';

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
}

/** A running live master. */
export interface LiveMaster {
  readonly ip: string;
  readonly port: number;
  readonly transport: MasterTransport;
  readonly master: MasterActor;
  state(): ClusterState;
  close(): Promise<void>;
}

/** Starts a live master; an error when the work directory or the port cannot be used. */
export async function startLiveMaster(options: LiveMasterOptions): Promise<Result<LiveMaster>> {
  try {
    mkdirSync(options.workDir, { recursive: true });
  } catch (error) {
    return err('IO', `cannot create the work directory ${options.workDir}: ${error instanceof Error ? error.message : String(error)}`, '--work-dir');
  }
  const registryPath = registryPathOf(options.workDir);
  const seed = readRegistryFile(registryPath);
  if (!seed.ok) return seed;

  // Wall-clock epoch milliseconds: timestamps in the API are then real times, across restarts too.
  const now = (): number => Date.now();
  const history = new HistoryLog({ now, limit: 0 });
  const projection = new ClusterProjection();
  history.onRecord((record) => projection.apply(record));
  const emit = (event: ClusterEvent): void => history.emit(event);

  let transport: MasterTransport | null = null;
  const host = new NodeHost({ now, emit: (_node, event) => emit(event), remote: (_from, to, message) => transport?.send(to, message) });
  transport = new MasterTransport({ master: LIVE_MASTER_NODE, secret: options.secret, onMessage: (from, message) => host.deliver(from, LIVE_MASTER_NODE, message) });
  const liveTransport = transport;

  emit({ type: 'node.started', node: LIVE_MASTER_NODE, role: 'master' });
  const master = host.add(LIVE_MASTER_NODE, (ctx) =>
    createMaster(ctx, { timing: options.timing, allocator: createDrfAllocator(), registry: createFileRegistry(registryPath, seed.value) }),
  );

  const world: ServedWorld = {
    state: () => projection.snapshot(),
    onRecord: (listener) => history.onRecord(listener),
    masters: () => [LIVE_MASTER_NODE],
    masterRunning: () => true,
    addFrameworkNode: (node, factory) => {
      emit({ type: 'node.started', node, role: 'scheduler' });
      host.add(node, factory);
    },
  };
  const chaos: ChaosHook | null = options.allowChaos ? { inject: (fault) => injectLive(fault, { transport: liveTransport, state: () => projection.snapshot(), emit }) } : null;

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
      agentAddress: (node) => {
        const endpoint = liveTransport.endpointOf(node);
        return endpoint === null ? null : { hostname: endpoint.ip, ip: endpoint.ip, port: endpoint.port };
      },
    });
  } catch (error) {
    host.close();
    await liveTransport.close();
    return err('IO', `cannot listen on ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)}`, '--listen');
  }
  const address = api.masters[0]?.address;
  return ok({
    ip: address?.ip ?? options.host,
    port: address?.port ?? options.port,
    transport: liveTransport,
    master,
    state: () => projection.snapshot(),
    close: async () => {
      // The WebSockets first: upgraded sockets are not the HTTP server's to close, and it waits for them.
      await liveTransport.close();
      await api.close();
      host.close();
    },
  });
}

interface ChaosDeps {
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
  const byHostname = transport.connected().filter((node) => transport.endpointOf(node)?.ip === name);
  if (byHostname.length === 1 && byHostname[0] !== undefined) return ok(byHostname[0]);
  if (byHostname.length > 1) return err('UNKNOWN_TARGET', `${byHostname.length} agents run on ${name}: name one by agent id or node (${byHostname.join(', ')})`);
  return ok(name);
}

function applyLive(fault: Fault, { transport, state }: ChaosDeps): Result<string> {
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
    case 'partition': {
      // Live, only the links to the master exist: isolate every agent in a group without the master.
      const named = fault.groups.filter((group) => !group.includes(LIVE_MASTER_NODE)).flat();
      const isolated = named.flatMap((name) => {
        const node = agentNodeOf(name, { transport, state });
        return node.ok && transport.endpointOf(node.value) !== null ? [node.value] : [];
      });
      if (isolated.length === 0) return err('UNKNOWN_TARGET', 'no connected agent in a group apart from the master');
      for (const node of isolated) transport.isolate(node);
      return ok(`isolated ${isolated.join(', ')} in the transport until heal`);
    }
    case 'heal': {
      const healed = transport.healAll();
      return ok(healed.length === 0 ? 'nothing to heal' : `healed ${healed.join(', ')}`);
    }
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent':
    case 'link':
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
      return err('FAULT_INVALID', 'not supported on a live master (kill-task, kill-agent, partition and heal are)');
    default: {
      const never: never = fault;
      return err('FAULT_INVALID', `unknown fault ${String(never)}`);
    }
  }
}
