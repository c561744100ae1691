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
 */
import { readFileSync } from 'node:fs';
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
