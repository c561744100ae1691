/**
 * The live daemons' figures (issue 13): real `faultline master` / `faultline
 * agent` processes on loopback (test/helpers/live-daemons.ts starts and always
 * stops them).
 *
 * - ws-bytes-per-agent: the master process's memory growth per connected
 *   agent, 1,000 protocol-speaking agents (register, answer every 1 s ping)
 *   over real WebSockets from this process. The master runs with the
 *   inspector on a free loopback port; before each sample the bench forces a
 *   full GC through it (HeapProfiler.collectGarbage) and reads
 *   process.memoryUsage() there, so the figure is live memory (V8 heap used
 *   + external + array buffers), not heap slack. RSS (from /proc) is logged
 *   beside it. Each side is the median of 5 samples 1 s apart.
 * - live-reschedule-ms: a service of 4 on 2 agents (fast profile); SIGKILL
 *   one agent process; the time until 4 tasks run again on the other. The
 *   phases (detection, first offer, RUNNING) go to stderr.
 * - ws-updates-per-s: see measureWsUpdates.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Socket } from 'node:net';
import { TRANSPORT_PATH } from '../src/live/transport/protocol.js';
import { TurnCork } from '../src/live/transport/turn-cork.js';
import { freePort, getJson, LiveDaemons, until } from '../test/helpers/live-daemons.js';
import { LiveService } from '../test/helpers/live-service.js';

/** A CDP session with the master's inspector. */
class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const reply = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (reply.id !== undefined) this.pending.get(reply.id)?.(reply.result);
    });
  }

  static async open(url: string): Promise<Inspector> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((done, fail) => {
      ws.once('open', () => done());
      ws.once('error', fail);
    });
    return new Inspector(ws);
  }

  call(method: string, params: object = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((done) => {
      this.pending.set(id, done);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Live bytes after a full GC: V8 heap used + external (array buffers included in external). */
  async liveBytes(): Promise<{ heapUsed: number; external: number; rss: number }> {
    await this.call('HeapProfiler.collectGarbage');
    const result = (await this.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as { result: { value: string } };
    const m = JSON.parse(result.result.value) as { heapUsed: number; external: number; rss: number };
    return { heapUsed: m.heapUsed, external: m.external, rss: m.rss };
  }

  close(): void {
    this.ws.terminate();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The median of `n` samples 1 s apart, each after a forced full GC. */
async function sampleLive(inspector: Inspector, pid: number, n: number): Promise<{ live: number; heapUsed: number; external: number; rss: number }> {
  const live: number[] = [];
  const heap: number[] = [];
  const ext: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < n; i += 1) {
    if (i > 0) await new Promise((r) => setTimeout(r, 1000));
    const m = await inspector.liveBytes();
    live.push(m.heapUsed + m.external);
    heap.push(m.heapUsed);
    ext.push(m.external);
    rss.push(rssBytesOf(pid));
  }
  return { live: median(live), heapUsed: median(heap), external: median(ext), rss: median(rss) };
}

function rssBytesOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? 'VmRSS: 0 kB';
  return Number(line.replace(/[^0-9]/g, '')) * 1024;
}

/** One fake agent: hello, register, pong every ping. */
function fakeAgent(port: number, i: number): WebSocket {
  const node = `bench-agent-${i}`;
  const ws = new WebSocket(`ws://127.0.0.1:${port}${TRANSPORT_PATH}`, { perMessageDeflate: false });
  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; message?: { type: string; agentId?: string; epoch?: number } };
    if (frame.type === 'challenge') ws.send(JSON.stringify({ v: 1, type: 'hello', node, role: 'agent', listen: { ip: '127.0.0.1', port: 1 } }));
    else if (frame.type === 'welcome') ws.send(JSON.stringify({ v: 1, type: 'message', message: { type: 'agent.register', host: node, resources: { cpus: 4, mem: 8192, disk: 10000, gpus: 0, ports: [] }, attributes: {}, bootId: `b${i}` } }));
    else if (frame.type === 'message' && frame.message?.type === 'master.ping') ws.send(JSON.stringify({ v: 1, type: 'message', message: { type: 'agent.pong', agentId: frame.message.agentId, epoch: frame.message.epoch } }));
  });
  return ws;
}

/** Master RSS bytes per connected agent. */
export async function measureBytesPerAgent(options: { agents: number; settleMs: number }): Promise<number> {
  const daemons = new LiveDaemons();
  const sockets: WebSocket[] = [];
  try {
    const master = await daemons.master([], undefined, ['--inspect=127.0.0.1:0']);
    const pid = master.daemon.child.pid ?? 0;
    const url = /Debugger listening on (ws:\/\/\S+)/.exec(master.daemon.output())?.[1];
    if (url === undefined) throw new Error(`no inspector address in the master's output:\n${master.daemon.output()}`);
    const inspector = await Inspector.open(url);
    await new Promise((r) => setTimeout(r, 2000));
    const before = await sampleLive(inspector, pid, 5);
    for (let i = 0; i < options.agents; i += 1) {
      sockets.push(fakeAgent(master.port, i));
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 50));
    }
    await until(`${options.agents} agents registered`, async () => ((await getJson(master.port, '/master/state')) as { activated_slaves: number }).activated_slaves === options.agents, 60_000);
    await new Promise((r) => setTimeout(r, options.settleMs));
    const after = await sampleLive(inspector, pid, 5);
    inspector.close();
    const per = (a: number, b: number): number => Math.round((b - a) / options.agents);
    process.stderr.write(
      `master with ${options.agents} agents, per agent after a full GC: live ${per(before.live, after.live)} B (heap used ${per(before.heapUsed, after.heapUsed)}, external ${per(before.external, after.external)}); ` +
        `RSS ${(before.rss / 1e6).toFixed(1)} MB -> ${(after.rss / 1e6).toFixed(1)} MB = ${per(before.rss, after.rss)} B\n`,
    );
    return per(before.live, after.live);
  } finally {
    for (const ws of sockets) ws.terminate();
    await daemons.stopAll();
  }
}

/** SIGKILL of an agent process to every task running elsewhere, ms. */
export async function measureReschedule(): Promise<number> {
  const daemons = new LiveDaemons();
  let service: LiveService | null = null;
  try {
    const master = await daemons.master();
    const a = await daemons.agent(master.address, { port: await freePort() });
    await daemons.agent(master.address);
    let startMs = 0;
    const trace: string[] = [];
    const svc = new LiveService({ master: master.address, instances: 4, maxPerAgent: 2, command: 'exec /bin/sleep 600', trace: (what) => startMs > 0 && trace.push(`${Math.round(performance.now() - startMs)} ms ${what}`) });
    service = svc;
    svc.start();
    await until('4 running', () => svc.running().length === 4, 60_000);
    daemons.noteTasks();
    svc.maxPerAgent = 4;
    const slaves = ((await getJson(master.port, '/master/state')) as { slaves: Array<{ id: string; port: number }> }).slaves;
    const agentIdOfA = slaves.find((s) => s.port === a.port)?.id;
    const onA = new Set(svc.running().filter((t) => t.agentId === agentIdOfA).map((t) => t.taskId));
    startMs = performance.now();
    a.daemon.child.kill('SIGKILL');
    await until('4 running elsewhere', () => svc.running().length === 4 && svc.running().every((t) => !onA.has(t.taskId)) && [...onA].every((id) => svc.tasks.get(id)?.state !== 'TASK_RUNNING'), 60_000);
    const tookMs = Math.round(performance.now() - startMs);
    process.stderr.write(`after the SIGKILL:\n  ${trace.filter((t) => !t.includes('HEARTBEAT')).join('\n  ')}\n`);
    return tookMs;
  } finally {
    service?.stop();
    await daemons.stopAll();
  }
}

/**
 * One protocol-speaking agent for ws-updates-per-s: registers, answers pings,
 * takes every launched task and reports it TASK_RUNNING, and after each ack of
 * a task's update sends that task's next update (a fresh uuid), as a Mesos
 * agent's status update stream does: one unacknowledged update per task.
 */
function updatingAgent(port: number, i: number, cork: TurnCork, onAck: () => void): WebSocket {
  const node = `bench-agent-${i}`;
  let agentId = '';
  let nextUuid = 0;
  const ws = new WebSocket(`ws://127.0.0.1:${port}${TRANSPORT_PATH}`, { perMessageDeflate: false });
  // As the agent's ClientTransport does: what it sends in one turn leaves in one write.
  let raw: Socket | null = null;
  ws.on('upgrade', (res) => (raw = res.socket));
  const send = (message: unknown): void => {
    if (raw !== null) cork.cork(raw);
    ws.send(JSON.stringify({ v: 1, type: 'message', message }));
  };
  const update = (frameworkId: string, taskId: string): void => {
    nextUuid += 1;
    const uuid = (i * 0x1_0000_0000 + nextUuid).toString(16).padStart(16, '0');
    const status = { taskId, frameworkId, agentId, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid, timestampMs: Date.now() };
    send({ type: 'agent.status_update', agentId, update: { frameworkId, status, latestState: 'TASK_RUNNING' } });
  };
  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; message?: { type: string; agentId?: string; epoch?: number; framework?: { frameworkId: string }; task?: { taskId: string }; frameworkId?: string; taskId?: string } };
    if (frame.type === 'challenge') ws.send(JSON.stringify({ v: 1, type: 'hello', node, role: 'agent', listen: { ip: '127.0.0.1', port: 1 } }));
    else if (frame.type === 'welcome') send({ type: 'agent.register', host: node, resources: { cpus: 4, mem: 8192, disk: 10000, gpus: 0, ports: [] }, attributes: {}, bootId: `b${i}` });
    else if (frame.type === 'message') {
      const m = frame.message;
      if (m === undefined) return;
      if (m.type === 'master.agent_registered') agentId = m.agentId ?? '';
      else if (m.type === 'master.ping') send({ type: 'agent.pong', agentId: m.agentId, epoch: m.epoch });
      else if (m.type === 'master.run_task' && m.framework && m.task) update(m.framework.frameworkId, m.task.taskId);
      else if (m.type === 'master.status_update_ack' && m.frameworkId && m.taskId) {
        onAck();
        update(m.frameworkId, m.taskId);
      }
    }
  });
  return ws;
}

/** Which acknowledging framework ws-updates drives: a scheduler node on the WebSocket transport, or a v1 HTTP framework. */
export type UpdatesFramework = 'ws' | 'http';

/** How ws-updates runs. */
export interface WsUpdatesOptions {
  readonly agents: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly framework: UpdatesFramework;
}

/** The framework's program, its own process. */
const FRAMEWORK_CLIENT: Readonly<Record<UpdatesFramework, string>> = { ws: 'ws-scheduler-client.mjs', http: 'api-updates-client.mjs' };

/**
 * Status updates per second through a live master: `agents` protocol agents
 * over real WebSockets from this process, and an acknowledging framework in
 * its own process that launches 0.1-cpu tasks on every offer (so 40 per
 * agent) and acknowledges every update, one acknowledgement per update:
 * `ws`, a scheduler node on the transport (bench/ws-scheduler-client.mjs,
 * one scheduler.acknowledge message each); `http`, the v1 framework of
 * api-updates-per-s (bench/api-updates-client.mjs, one POST ACKNOWLEDGE
 * each). The figure: acks relayed back to the agents per wall second over
 * `windowMs`, after `warmupMs`. The master's CPU time over the window goes to
 * stderr beside it (per update: the master's own cost, whatever the load).
 */
export async function measureWsUpdates(options: WsUpdatesOptions): Promise<number> {
  const daemons = new LiveDaemons();
  try {
    const master = await daemons.master();
    return await driveWsUpdates(master.port, options, master.daemon.child.pid ?? null);
  } finally {
    await daemons.stopAll();
  }
}

/** The master process's CPU time so far, ms (user + system, from /proc). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The agents and the framework of ws-updates-per-s against a master already on `port` (its pid, when known, for its CPU time; also for profiling one by hand). */
export async function driveWsUpdates(port: number, options: WsUpdatesOptions, masterPid: number | null = null): Promise<number> {
  const sockets: WebSocket[] = [];
  let client: ChildProcess | null = null;
  let acks = 0;
  try {
    const cork = new TurnCork();
    for (let i = 0; i < options.agents; i += 1) sockets.push(updatingAgent(port, i, cork, () => (acks += 1)));
    await until(`${options.agents} agents registered`, async () => ((await getJson(port, '/master/state')) as { activated_slaves: number }).activated_slaves === options.agents, 60_000);
    const framework = fork(join(import.meta.dirname, FRAMEWORK_CLIENT[options.framework]), [String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    client = framework;
    let clientExit: number | null = null;
    framework.on('exit', (code) => (clientExit = code ?? 1));
    await new Promise((r) => setTimeout(r, options.warmupMs));
    const startAcks = acks;
    const startMs = performance.now();
    const startCpuMs = masterPid === null ? 0 : cpuMsOf(masterPid);
    await new Promise((r) => setTimeout(r, options.windowMs));
    const rate = ((acks - startAcks) * 1000) / (performance.now() - startMs);
    const cpuMs = masterPid === null ? null : cpuMsOf(masterPid) - startCpuMs;
    if (clientExit !== null) throw new Error(`the framework exited with ${String(clientExit)}`);
    const cpu = cpuMs === null ? '' : `; master CPU ${cpuMs} ms (${((cpuMs * 1000) / Math.max(1, acks - startAcks)).toFixed(1)} us per update)`;
    process.stderr.write(`ws-updates (${options.framework} framework): ${acks - startAcks} acks in ${options.windowMs} ms, ${options.agents} agents${cpu}\n`);
    return Math.round(rate);
  } finally {
    client?.kill('SIGKILL');
    for (const ws of sockets) ws.terminate();
  }
}
