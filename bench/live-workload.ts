/**
 * The live daemons' figures (issue 13): real `faultline master` / `faultline
 * agent` processes on loopback (test/helpers/live-daemons.ts starts and always
 * stops them).
 *
 * - ws-bytes-per-agent: the master process's RSS growth per connected agent,
 *   1,000 protocol-speaking agents (register, answer every 1 s ping) over
 *   real WebSockets from this process, read from /proc after 10 s of pings.
 * - live-reschedule-ms: a service of 4 on 2 agents (fast profile); SIGKILL
 *   one agent process; the time until 4 tasks run again on the other.
 * - ws-updates-per-s: see measureWsUpdates.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { TRANSPORT_PATH } from '../src/live/transport/protocol.js';
import { freePort, getJson, LiveDaemons, until } from '../test/helpers/live-daemons.js';
import { LiveService } from '../test/helpers/live-service.js';

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
    const master = await daemons.master();
    const pid = master.daemon.child.pid ?? 0;
    await new Promise((r) => setTimeout(r, 2000));
    const before = rssBytesOf(pid);
    for (let i = 0; i < options.agents; i += 1) {
      sockets.push(fakeAgent(master.port, i));
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 50));
    }
    await until(`${options.agents} agents registered`, async () => ((await getJson(master.port, '/master/state')) as { activated_slaves: number }).activated_slaves === options.agents, 60_000);
    await new Promise((r) => setTimeout(r, options.settleMs));
    const after = rssBytesOf(pid);
    process.stderr.write(`master RSS ${(before / 1e6).toFixed(1)} MB -> ${(after / 1e6).toFixed(1)} MB with ${options.agents} agents\n`);
    return Math.round((after - before) / options.agents);
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
    const svc = new LiveService({ master: master.address, instances: 4, maxPerAgent: 2, command: 'exec /bin/sleep 600' });
    service = svc;
    svc.start();
    await until('4 running', () => svc.running().length === 4, 60_000);
    daemons.noteTasks();
    svc.maxPerAgent = 4;
    const slaves = ((await getJson(master.port, '/master/state')) as { slaves: Array<{ id: string; port: number }> }).slaves;
    const agentIdOfA = slaves.find((s) => s.port === a.port)?.id;
    const onA = new Set(svc.running().filter((t) => t.agentId === agentIdOfA).map((t) => t.taskId));
    const startMs = performance.now();
    a.daemon.child.kill('SIGKILL');
    await until('4 running elsewhere', () => svc.running().length === 4 && svc.running().every((t) => !onA.has(t.taskId)) && [...onA].every((id) => svc.tasks.get(id)?.state !== 'TASK_RUNNING'), 60_000);
    return Math.round(performance.now() - startMs);
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
function updatingAgent(port: number, i: number, onAck: () => void): WebSocket {
  const node = `bench-agent-${i}`;
  let agentId = '';
  let nextUuid = 0;
  const ws = new WebSocket(`ws://127.0.0.1:${port}${TRANSPORT_PATH}`, { perMessageDeflate: false });
  const send = (message: unknown): void => ws.send(JSON.stringify({ v: 1, type: 'message', message }));
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

/**
 * Status updates per second through a live master: `agents` protocol agents
 * over real WebSockets from this process, the acknowledging v1 framework of
 * api-updates-per-s in its own process (bench/api-updates-client.mjs: it
 * launches 0.1-cpu tasks on every offer, so 40 per agent, and POSTs an
 * ACKNOWLEDGE for every UPDATE). The figure: acks relayed back to the agents
 * per wall second over `windowMs`, after `warmupMs`.
 */
export async function measureWsUpdates(options: { agents: number; warmupMs: number; windowMs: number }): Promise<number> {
  const daemons = new LiveDaemons();
  try {
    const master = await daemons.master();
    return await driveWsUpdates(master.port, options);
  } finally {
    await daemons.stopAll();
  }
}

/** The agents and the framework of ws-updates-per-s against a master already on `port` (also for profiling one by hand). */
export async function driveWsUpdates(port: number, options: { agents: number; warmupMs: number; windowMs: number }): Promise<number> {
  const sockets: WebSocket[] = [];
  let client: ChildProcess | null = null;
  let acks = 0;
  try {
    for (let i = 0; i < options.agents; i += 1) sockets.push(updatingAgent(port, i, () => (acks += 1)));
    await until(`${options.agents} agents registered`, async () => ((await getJson(port, '/master/state')) as { activated_slaves: number }).activated_slaves === options.agents, 60_000);
    const framework = fork(join(import.meta.dirname, 'api-updates-client.mjs'), [String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    client = framework;
    let clientExit: number | null = null;
    framework.on('exit', (code) => (clientExit = code ?? 1));
    await new Promise((r) => setTimeout(r, options.warmupMs));
    const startAcks = acks;
    const startMs = performance.now();
    await new Promise((r) => setTimeout(r, options.windowMs));
    const rate = ((acks - startAcks) * 1000) / (performance.now() - startMs);
    if (clientExit !== null) throw new Error(`the framework exited with ${String(clientExit)}`);
    process.stderr.write(`ws-updates: ${acks - startAcks} acks in ${options.windowMs} ms, ${options.agents} agents\n`);
    return Math.round(rate);
  } finally {
    client?.kill('SIGKILL');
    for (const ws of sockets) ws.terminate();
  }
}
