/**
 * The browser view's bench cluster: a synthetic operator API in Mesos's shapes
 * with AGENTS agents and TASKS tasks (GET_STATE, SUBSCRIBE, GET_FRAMEWORKS,
 * GET_MASTER; faultline's extension answered with Mesos's 400), the page's
 * files on the same origin, and `update()` writing one TASK_UPDATED to every
 * stream. Synthetic on purpose: the figures are the page's, not the simulator's.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_WEB_DIR, isWebAsset, sendWebAsset } from '../src/live/http/web-assets.js';

/** The bench cluster's size (issue 15). */
export const AGENTS = 5_000;
export const TASKS = 50_000;
const FRAMEWORKS = 20;

const resources = (cpus: number, mem: number) => [
  { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
  { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
];
const agentId = (i: number): string => `bench-S${i}`;
const frameworkId = (i: number): string => `bench-${String(i).padStart(4, '0')}`;

/** Task i's id (natural order: `app-7.000123`). */
export function taskId(i: number): string {
  return `app-${i % FRAMEWORKS}.${String(i).padStart(6, '0')}`;
}

function state(): Record<string, unknown> {
  const agents = [];
  for (let i = 0; i < AGENTS; i++) {
    agents.push({
      agent_info: { hostname: `agent-${i + 1}`, port: 5051, resources: resources(32, 131072), id: { value: agentId(i) } },
      active: true,
      version: '1.11.0',
      pid: `slave(1)@10.1.${i >> 8}.${i & 255}:5051`,
      registered_time: { nanoseconds: 1e18 },
      total_resources: resources(32, 131072),
    });
  }
  const tasks = [];
  for (let i = 0; i < TASKS; i++) {
    const id = taskId(i);
    const agent = agentId(i % AGENTS);
    tasks.push({
      name: `app-${i % FRAMEWORKS}`,
      task_id: { value: id },
      framework_id: { value: frameworkId(i % FRAMEWORKS) },
      agent_id: { value: agent },
      state: 'TASK_RUNNING',
      resources: resources(0.5, 256),
      statuses: [{ task_id: { value: id }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', agent_id: { value: agent }, timestamp: 1733100000 + i / 1000 }],
    });
  }
  const frameworks = [];
  for (let i = 0; i < FRAMEWORKS; i++) frameworks.push({ framework_info: { user: 'root', name: `app-${i}`, id: { value: frameworkId(i) }, roles: ['*'], hostname: `sched-${i}` }, active: true, connected: true, offers: [] });
  return { get_tasks: { tasks, completed_tasks: [] }, get_executors: { executors: [] }, get_frameworks: { frameworks, completed_frameworks: [] }, get_agents: { agents, recovered_agents: [] } };
}

function record(text: string): string {
  return `${Buffer.byteLength(text)}\n${text}`;
}

/** The running bench server. */
export interface WebBenchServer {
  readonly url: string;
  /** Writes TASK_UPDATED for task `i` to every stream. */
  update(i: number, newState: string): void;
  /** Open SUBSCRIBE streams. */
  streams(): number;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 and a free port (the big answers are built once). */
export async function startWebBenchServer(): Promise<WebBenchServer> {
  const snapshot = state();
  const getState = JSON.stringify({ type: 'GET_STATE', get_state: snapshot });
  const subscribed = record(JSON.stringify({ type: 'SUBSCRIBED', subscribed: { get_state: snapshot, heartbeat_interval_seconds: 15 } }));
  const getFrameworks = JSON.stringify({ type: 'GET_FRAMEWORKS', get_frameworks: snapshot.get_frameworks });
  const getMaster = JSON.stringify({ type: 'GET_MASTER', get_master: { master_info: { id: 'bench', hostname: 'bench-master', port: 5050, version: '1.11.0' } } });
  const streams = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (isWebAsset(req.method ?? 'GET', path)) return void sendWebAsset(DEFAULT_WEB_DIR, req.method ?? 'GET', path, res);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const type = String((JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { type?: unknown }).type ?? '');
      const json = (text: string): void => void res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
      if (type === 'GET_STATE') return json(getState);
      if (type === 'GET_FRAMEWORKS') return json(getFrameworks);
      if (type === 'GET_MASTER') return json(getMaster);
      if (type === 'SUBSCRIBE') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(subscribed);
        streams.add(res);
        res.on('close', () => streams.delete(res));
        return;
      }
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`Failed to convert JSON into Call protobuf: Failed to find enum for '${type}'\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    update: (i, newState) => {
      const id = taskId(i);
      const event = { type: 'TASK_UPDATED', task_updated: { framework_id: { value: frameworkId(i % FRAMEWORKS) }, status: { task_id: { value: id }, state: newState, source: 'SOURCE_EXECUTOR', agent_id: { value: agentId(i % AGENTS) }, timestamp: 1733200000 }, state: newState } };
      const text = record(JSON.stringify(event));
      for (const s of streams) s.write(text);
    },
    streams: () => streams.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
