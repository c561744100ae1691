/**
 * The Mesos HTTP API figures (issue 12):
 *
 * - `api-updates-per-s`: a served 1-master cluster, driven as fast as it goes
 *   (not paced), and one v1 framework over real sockets on 127.0.0.1 that
 *   launches short tasks (`sleep 1`) on every offer and acknowledges every
 *   UPDATE on its own keep-alive connections. The figure is acknowledged
 *   updates per wall second over the measuring window. Virtual time moves on
 *   only while fewer than MAX_UNACKED updates wait for their ack, so the
 *   agents' retries (1 s virtual) do not flood the stream.
 * - `api-state-ms`: 5,000 agents and 50,000 running tasks in steady state;
 *   wall ms of one `GET /master/state` plus one operator GET_STATE, each read
 *   to its last byte by a client (the median of 5 rounds).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAST_TIMING, timingOf } from '../src/core/timing.js';
import { resources } from '../src/core/resources.js';
import { serveMesosApi } from '../src/live/http/server.js';
import { StateJsonCache } from '../src/api/json-cache.js';
import { answerOperatorQueryChunks, masterStateChunks } from '../src/api/state-text.js';
import { servedWorldOf } from '../src/cli/served-cluster.js';
import { SimCluster } from '../src/sim/cluster.js';
import { uniformAgents } from '../src/cluster/spec.js';
import { bigCluster, MemoryPeak, rampToSteady } from './sim-workload.js';

const CLIENT = join(import.meta.dirname, 'api-updates-client.mjs');
const STATE_CLIENT = join(import.meta.dirname, 'api-state-client.mjs');
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const MAX_UNACKED = 2_000;

/** Acknowledged status updates per wall second (the framework runs in a child process: bench/api-updates-client.mjs). */
export async function measureUpdates(options: { agents: number; warmupMs: number; measureMs: number }): Promise<number> {
  const created = SimCluster.create({
    seed: 'api-bench',
    // The simulation runs here as fast as the acks let it, up to ~100x the wall clock: an offer
    // timeout of 10 virtual seconds would rescind offers while the framework's ACCEPT is on the wire.
    // Mesos has no offer timeout by default; neither does this bench.
    timing: { ...FAST_TIMING, offerTimeoutMs: 0 },
    masters: 1,
    agents: uniformAgents(options.agents, resources({ cpus: 8, mem: 8192, disk: 1024, ports: [{ begin: 31000, end: 32000 }] })),
    historyLimit: 0,
  });
  if (!created.ok) throw new Error(created.error.message);
  const cluster = created.value;
  let delivered = 0;
  let acked = 0;
  cluster.onRecord((r) => {
    if (r.type === 'status.delivered' && r.uuid !== null) delivered += 1;
    else if (r.type === 'status.acknowledged') acked += 1;
  });
  const api = await serveMesosApi({ world: servedWorldOf(cluster), host: '127.0.0.1', port: 0, heartbeatIntervalMs: 15_000 });
  const port = api.masters[0]?.address.port as number;
  const client = spawn(process.execPath, [CLIENT, String(port)], { stdio: ['ignore', 'inherit', 'inherit'] });
  let stop = false;
  let clientExit: number | null = null;
  client.on('exit', (code) => {
    if (!stop) clientExit = code ?? -1;
  });
  const drive = (async () => {
    while (!stop) {
      if (delivered - acked < MAX_UNACKED) cluster.runFor(10);
      await new Promise((r) => setImmediate(r));
    }
  })();
  await new Promise((r) => setTimeout(r, options.warmupMs));
  const startAcked = acked;
  const start = performance.now();
  const serverCpu = process.cpuUsage();
  const clientCpu = cpuMsOf(client.pid);
  await new Promise((r) => setTimeout(r, options.measureMs));
  const rate = ((acked - startAcked) * 1000) / (performance.now() - start);
  const used = process.cpuUsage(serverCpu);
  const clientUsed = clientCpu === null ? null : (cpuMsOf(client.pid) ?? clientCpu) - clientCpu;
  log(
    `  ${acked - startAcked} updates acknowledged in ${options.measureMs} ms wall (${Math.round(cluster.now() / 1000)} s simulated); CPU: server ${((used.user + used.system) / 1000).toFixed(0)} ms, client ${clientUsed === null ? '?' : clientUsed.toFixed(0)} ms`,
  );
  stop = true;
  await drive;
  client.kill('SIGKILL');
  await api.close();
  // A client that failed (a call not answered 202, a broken stream) is a failed bench, not a slow one.
  if (clientExit !== null) throw new Error(`the framework client exited with ${clientExit}`);
  return rate;
}

/** A child's CPU ms so far from /proc (Linux), or null. */
function cpuMsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; clock ticks of 10 ms on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

interface Read {
  readonly ms: number;
  readonly bytes: number;
  readonly status: number;
}

/** One round of the state client (bench/api-state-client.mjs): both answers read in its own process. */
function readBoth(client: ChildProcess, port: number): Promise<{ state: Read; operator: Read; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    client.once('message', (m) => resolve(m as { state: Read; operator: Read; cpuMs: number }));
    client.once('exit', () => reject(new Error('the state client exited')));
    client.send({ port });
  });
}

/** Median wall ms of GET /master/state + operator GET_STATE at 5,000 agents / 50,000 tasks. */
export async function measureState(options: { agents: number; tasks: number; rounds: number }): Promise<number> {
  const timing = timingOf('fast', {});
  if (!timing.ok) throw new Error(timing.error.message);
  const cluster = bigCluster({ seed: 'api-state', timing: timing.value, masters: 1, agents: options.agents, tasks: options.tasks, services: 10 });
  const ramp = rampToSteady(cluster, { tasks: options.tasks, maxSimMs: 600_000, maxWallMs: 600_000, memory: new MemoryPeak(), log });
  if (!ramp.steady) throw new Error(`only ${ramp.running} of ${options.tasks} tasks running`);
  const api = await serveMesosApi({ world: servedWorldOf(cluster), host: '127.0.0.1', port: 0, heartbeatIntervalMs: 15_000 });
  const port = api.masters[0]?.address.port as number;
  const totals: number[] = [];
  const buildCache = new StateJsonCache();
  // The client runs in its own process, as any real reader does: in this one its reading would take turns with the server's writing.
  const client = fork(STATE_CLIENT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  for (let i = 0; i < options.rounds; i += 1) {
    cluster.runFor(1_000); // a fresh snapshot each round
    const cpu = process.cpuUsage();
    const { state, operator, cpuMs: clientCpuMs } = await readBoth(client, port);
    const used = process.cpuUsage(cpu);
    const serverCpuMs = (used.user + used.system) / 1000;
    if (state.status !== 200 || operator.status !== 200) throw new Error(`answers ${state.status} and ${operator.status}`);
    const t0 = performance.now();
    masterStateChunks({ state: cluster.state(), addresses: api.addresses, self: 'master-1', startedAtMs: 0 }, buildCache).finish();
    const t1 = performance.now();
    answerOperatorQueryChunks('GET_STATE', { state: cluster.state(), addresses: api.addresses, self: 'master-1', startedAtMs: 0 }, buildCache).finish();
    const t2 = performance.now();
    log(
      `  round ${i + 1}: /master/state ${state.ms.toFixed(1)} ms (${(state.bytes / 1e6).toFixed(1)} MB; text built in ${(t1 - t0).toFixed(1)} ms), GET_STATE ${operator.ms.toFixed(1)} ms (${(operator.bytes / 1e6).toFixed(1)} MB; ${(t2 - t1).toFixed(1)} ms); CPU: server ${serverCpuMs.toFixed(0)} ms, client ${clientCpuMs.toFixed(0)} ms`,
    );
    totals.push(state.ms + operator.ms);
  }
  client.disconnect();
  await api.close();
  totals.sort((a, b) => a - b);
  return totals[Math.floor(totals.length / 2)] as number;
}
