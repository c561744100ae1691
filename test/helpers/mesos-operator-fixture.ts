/**
 * A recorded Mesos 1.11 master's operator API, replayed: the shapes of
 * master.proto as a real master writes them in JSON (agent pids, TimeInfo
 * nanoseconds, resources with `scalar`/`ranges`, statuses with `uuid` and
 * `source`), served on 127.0.0.1 with the browser view's files on the same
 * origin. SUBSCRIBE answers SUBSCRIBED, then replays TASK_ADDED and
 * TASK_UPDATED records when `next()` is called; faultline's extension calls get
 * the 400 a Mesos master gives an unknown call type. For `faultline top`'s
 * client: GET_AGENTS, `/master/redirect` (307 to itself, as every Mesos master
 * answers), HEARTBEATs every `heartbeatEveryMs` until `mute()`, and a standby
 * mode (`standbyOf`) that answers 307 to the leader as a non-elected master does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isWebAsset, sendWebAsset, DEFAULT_WEB_DIR } from '../../src/live/http/web-assets.js';

const FRAMEWORK_ID = '9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f-0000';
const AGENT_IDS = ['9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f-S0', '9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f-S1'];
const HOSTS = ['mesos-agent-a.example', 'mesos-agent-b.example'];

function scalar(name: string, value: number): Record<string, unknown> {
  return { name, type: 'SCALAR', scalar: { value } };
}

function agentResources(): Record<string, unknown>[] {
  return [scalar('cpus', 8), scalar('mem', 15360), scalar('disk', 100000), { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } }];
}

function agent(i: number): Record<string, unknown> {
  return {
    agent_info: { hostname: HOSTS[i], port: 5051, resources: agentResources(), id: { value: AGENT_IDS[i] } },
    active: true,
    deactivated: false,
    version: '1.11.0',
    pid: `slave(1)@10.0.0.${11 + i}:5051`,
    registered_time: { nanoseconds: 1733100000000000000 + i },
    total_resources: agentResources(),
    allocated_resources: [],
    offered_resources: [],
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'HIERARCHICAL_ROLE' }, { type: 'RESERVATION_REFINEMENT' }, { type: 'RESOURCE_PROVIDER' }],
  };
}

function taskResources(): Record<string, unknown>[] {
  return [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, allocation_info: { role: '*' } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 128 }, allocation_info: { role: '*' } },
  ];
}

function status(taskId: string, agentIndex: number, state: string, timestamp: number): Record<string, unknown> {
  return {
    task_id: { value: taskId },
    state,
    source: 'SOURCE_EXECUTOR',
    agent_id: { value: AGENT_IDS[agentIndex] },
    executor_id: { value: taskId },
    timestamp,
    uuid: 'c2FtcGxlLXV1aWQtMDAwMQ==',
    container_status: { network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: `10.0.0.${11 + agentIndex}` }] }] },
  };
}

function task(taskId: string, agentIndex: number, state: string, statuses: Record<string, unknown>[]): Record<string, unknown> {
  return {
    name: taskId.split('.')[0],
    task_id: { value: taskId },
    framework_id: { value: FRAMEWORK_ID },
    executor_id: { value: taskId },
    agent_id: { value: AGENT_IDS[agentIndex] },
    state,
    resources: taskResources(),
    statuses,
    status_update_state: state,
    status_update_uuid: 'c2FtcGxlLXV1aWQtMDAwMQ==',
    container: { type: 'MESOS', mesos: {} },
  };
}

const FRAMEWORK = {
  framework_info: { user: 'root', name: 'marathon', id: { value: FRAMEWORK_ID }, failover_timeout: 604800, checkpoint: true, hostname: 'marathon-1.example', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }] },
  active: true,
  connected: true,
  recovered: false,
  registered_time: { nanoseconds: 1733100001000000000 },
  offers: [{ id: { value: '9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f-O7' }, framework_id: { value: FRAMEWORK_ID }, agent_id: { value: AGENT_IDS[1] }, hostname: HOSTS[1], resources: [scalar('cpus', 7.5), scalar('mem', 15232)] }],
  inverse_offers: [],
  allocated_resources: taskResources(),
  offered_resources: [scalar('cpus', 7.5), scalar('mem', 15232)],
};

/** The recorded GET_STATE: two agents, one framework, one running task. */
export function recordedState(): Record<string, unknown> {
  return {
    get_tasks: { tasks: [task('nginx.1a2b', 0, 'TASK_RUNNING', [status('nginx.1a2b', 0, 'TASK_STARTING', 1733100002.1), status('nginx.1a2b', 0, 'TASK_RUNNING', 1733100002.4)])], completed_tasks: [] },
    get_executors: { executors: [] },
    get_frameworks: { frameworks: [FRAMEWORK], completed_frameworks: [] },
    get_agents: { agents: [agent(0), agent(1)], recovered_agents: [] },
  };
}

/** The records replayed after SUBSCRIBED, one per `next()`. */
export const REPLAYED_EVENTS: readonly Record<string, unknown>[] = [
  { type: 'TASK_ADDED', task_added: { task: task('redis.3c4d', 1, 'TASK_STAGING', []) } },
  { type: 'TASK_UPDATED', task_updated: { framework_id: { value: FRAMEWORK_ID }, status: status('redis.3c4d', 1, 'TASK_STARTING', 1733100010.2), state: 'TASK_STARTING' } },
  { type: 'TASK_UPDATED', task_updated: { framework_id: { value: FRAMEWORK_ID }, status: status('redis.3c4d', 1, 'TASK_RUNNING', 1733100010.9), state: 'TASK_RUNNING' } },
];

/** Options of the fixture (all off by default, as the browser tests use it). */
export interface MesosOperatorFixtureOptions {
  /** `heartbeat_interval_seconds` in SUBSCRIBED. Default 15. */
  readonly heartbeatIntervalSeconds?: number;
  /** Writes HEARTBEAT on every open stream this often (until `mute()`). */
  readonly heartbeatEveryMs?: number;
  /** Be a standby of this leader (`http://127.0.0.1:PORT/`): every operator call answers 307 to it. */
  readonly standbyOf?: string;
  /** As a standby: answer /master/redirect with 404 instead of 307 (so the client meets the 307 on SUBSCRIBE). */
  readonly noRedirectEndpoint?: boolean;
}

/** The running fixture. */
export interface MesosOperatorFixture {
  readonly url: string;
  readonly port: number;
  /** SUBSCRIBE requests answered with a stream (not redirected). */
  readonly subscribes: () => number;
  /** Every operator call type received, in order (redirected ones too). */
  readonly calls: string[];
  /** Stops the heartbeats: the streams stay open but fall silent, as behind a dead network. */
  mute(): void;
  /** Agents' hostnames and the tasks' ids, for assertions. */
  readonly hosts: readonly string[];
  /** Writes the next replayed record to every open stream; false when none is left. */
  next(): boolean;
  close(): Promise<void>;
}

function record(value: unknown): string {
  const text = JSON.stringify(value);
  return `${Buffer.byteLength(text)}\n${text}`;
}

/** Starts the fixture on 127.0.0.1 and a free port. */
export async function startMesosOperatorFixture(options: MesosOperatorFixtureOptions = {}): Promise<MesosOperatorFixture> {
  const streams = new Set<ServerResponse>();
  let replayed = 0;
  let subscribes = 0;
  let muted = false;
  const calls: string[] = [];
  const leader = options.standbyOf === undefined ? null : new URL(options.standbyOf);
  let selfPort = 0;
  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/master/redirect') {
      // Mesos answers a protocol-relative Location, the leader included (it points at itself).
      if (leader !== null && options.noRedirectEndpoint === true) return void res.writeHead(404).end();
      res.writeHead(307, { Location: leader === null ? `//127.0.0.1:${selfPort}` : `//${leader.host}` }).end();
      return;
    }
    if (isWebAsset(req.method ?? 'GET', path)) return void sendWebAsset(DEFAULT_WEB_DIR, req.method ?? 'GET', path, res);
    if (req.method !== 'POST' || (path !== '/api/v1' && path !== '/master/api/v1')) {
      res.writeHead(404).end();
      return;
    }
    let type = '';
    try {
      type = String((JSON.parse(body) as { type?: unknown }).type ?? '');
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Failed to parse body into JSON\n');
      return;
    }
    calls.push(type);
    if (leader !== null) {
      res.writeHead(307, { Location: `//${leader.host}${path}` }).end();
      return;
    }
    const json = (value: unknown): void => {
      const text = JSON.stringify(value);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
    };
    switch (type) {
      case 'GET_STATE':
        return json({ type, get_state: recordedState() });
      case 'GET_AGENTS':
        return json({ type, get_agents: recordedState().get_agents });
      case 'GET_FRAMEWORKS':
        return json({ type, get_frameworks: recordedState().get_frameworks });
      case 'GET_MASTER':
        return json({ type, get_master: { master_info: { id: '9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f', ip: 16777343, port: 5050, pid: 'master@10.0.0.2:5050', hostname: 'mesos-master-1.example', version: '1.11.0', address: { hostname: 'mesos-master-1.example', ip: '10.0.0.2', port: 5050 } }, start_time: 1733099990.5, elected_time: 1733099991.2 } });
      case 'SUBSCRIBE':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        subscribes += 1;
        res.write(record({ type: 'SUBSCRIBED', subscribed: { get_state: recordedState(), heartbeat_interval_seconds: options.heartbeatIntervalSeconds ?? 15 } }));
        for (const event of REPLAYED_EVENTS.slice(0, replayed)) res.write(record(event));
        streams.add(res);
        res.on('close', () => streams.delete(res));
        return;
      default:
        // A Mesos master parses the call into protobuf: an unknown enum value fails the conversion.
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`Failed to convert JSON into Call protobuf: Failed to find enum for '${type}'\n`);
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  selfPort = port;
  const heartbeat =
    options.heartbeatEveryMs === undefined
      ? null
      : setInterval(() => {
          if (!muted) for (const s of streams) s.write(record({ type: 'HEARTBEAT' }));
        }, options.heartbeatEveryMs);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    subscribes: () => subscribes,
    calls,
    mute: () => {
      muted = true;
    },
    hosts: HOSTS,
    next: () => {
      const event = REPLAYED_EVENTS[replayed];
      if (event === undefined) return false;
      replayed += 1;
      for (const s of streams) s.write(record(event));
      return true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (heartbeat !== null) clearInterval(heartbeat);
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
