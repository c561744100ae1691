/**
 * live-failover-s (issue 14): real processes on 127.0.0.1, a private
 * ZooKeeper on a free port (test/helpers/zookeeper.ts: Debian's
 * ZooKeeperServerMain, tickTime 500 ms), 3 `faultline master --zk` processes
 * (fast profile, `--zk-session-timeout` as given) and `agents` `faultline
 * agent --master zk://` processes. Each run SIGKILLs the leading master and
 * polls every survivor's /master/state every 50 ms until one of them lists
 * every agent active; the killed master is started again (a standby) before
 * the next run. The figure is the median over the runs, in seconds.
 *
 * Where the time goes: the dead leader's election node stays until ZooKeeper
 * expires its session (the session timeout, rounded up to ZooKeeper's tick);
 * then the next member is elected, reads the registry, and the agents, whose
 * detectors see the same change, reconnect and reregister. Each run logs the
 * moment a survivor first named itself leader and the moment all agents were
 * back.
 */
import { freePort, LiveDaemons, type Daemon } from '../test/helpers/live-daemons.js';
import { startZooKeeper, type TestZooKeeper } from '../test/helpers/zookeeper.js';

/** What the bench is built with. */
export interface FailoverSpec {
  readonly agents: number;
  readonly runs: number;
  readonly sessionTimeoutMs: number;
  /** Agents started at once (their start-up is CPU-bound on a small machine). */
  readonly startBatch?: number;
}

interface MasterProcess {
  daemon: Daemon;
  readonly port: number;
}

const POLL_MS = 50;
const GIVE_UP_MS = 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Active agents on `port`'s /master/state (0 when it does not answer). */
async function activeAgents(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/master/state`, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
    if (res.status !== 200) {
      await res.arrayBuffer();
      return 0;
    }
    const state = (await res.json()) as { slaves?: Array<{ active: boolean }> };
    return (state.slaves ?? []).filter((s) => s.active).length;
  } catch {
    return 0;
  }
}

/** The port `/master/redirect` on `port` names, or null. */
async function redirectOf(port: number): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/master/redirect`, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    const location = res.headers.get('location');
    return res.status === 307 && location !== null ? Number(new URL(`http:${location}`).port) : null;
  } catch {
    return null;
  }
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`live-failover: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** The leader every master names (and which names itself), or null. */
async function agreedLeader(masters: readonly MasterProcess[]): Promise<MasterProcess | null> {
  const named = await Promise.all(masters.map((m) => redirectOf(m.port)));
  const first = named[0];
  if (first === null || first === undefined || !named.every((p) => p === first)) return null;
  return masters.find((m) => m.port === first) ?? null;
}

/** Runs the failovers; the median seconds from SIGKILL to every agent active on the new leader. */
export async function measureLiveFailover(spec: FailoverSpec): Promise<number> {
  const daemons = new LiveDaemons();
  let zk: TestZooKeeper | null = null;
  try {
    zk = await startZooKeeper({ tickTimeMs: 500 });
    const zkUrl = `zk://${zk.connectString}/faultline-bench-failover`;
    const masterArgs = (port: number, run: number): string[] => [
      'master', '--listen', `127.0.0.1:${port}`, '--work-dir', `${daemons.dir}/master-${port}-${run}`, '--timing', 'fast', '--zk', zkUrl, '--zk-session-timeout', `${spec.sessionTimeoutMs}ms`,
    ];
    const masters: MasterProcess[] = [];
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      masters.push({ daemon: await daemons.start(masterArgs(port, 0), /listening on/), port });
    }
    const batch = spec.startBatch ?? 10;
    const startedAtMs = performance.now();
    for (let i = 0; i < spec.agents; i += batch) {
      await Promise.all(Array.from({ length: Math.min(batch, spec.agents - i) }, () => daemons.agent(zkUrl, { resources: 'cpus:4;mem:4096;disk:1000' })));
    }
    process.stderr.write(`  ${spec.agents} agent processes started in ${Math.round((performance.now() - startedAtMs) / 1000)} s\n`);
    const samples: number[] = [];
    for (let run = 1; run <= spec.runs; run += 1) {
      let leader: MasterProcess | null = null;
      await waitFor('one leader with every agent', async () => (leader = await agreedLeader(masters)) !== null && (await activeAgents(leader.port)) === spec.agents, GIVE_UP_MS);
      // Settled: every agent has pinged the leader a few times, the standbys watch it.
      await sleep(3_000);
      const killed = leader as unknown as MasterProcess;
      const survivors = masters.filter((m) => m !== killed);
      const killedAtMs = performance.now();
      killed.daemon.child.kill('SIGKILL');
      let electedMs: number | null = null;
      let backMs: number | null = null;
      while (backMs === null) {
        const elapsedMs = performance.now() - killedAtMs;
        if (elapsedMs > GIVE_UP_MS) throw new Error(`live-failover run ${run}: the agents were not all back on a new leader within ${GIVE_UP_MS} ms`);
        const [named, active] = await Promise.all([Promise.all(survivors.map((m) => redirectOf(m.port))), Promise.all(survivors.map((m) => activeAgents(m.port)))]);
        const nowMs = performance.now() - killedAtMs;
        if (electedMs === null && survivors.some((m, i) => named[i] === m.port)) electedMs = nowMs;
        if (active.some((n) => n === spec.agents)) backMs = nowMs;
        else await sleep(POLL_MS);
      }
      samples.push(backMs / 1000);
      process.stderr.write(`  run ${run}: a survivor named itself leader ${electedMs === null ? '(not seen)' : `${Math.round(electedMs)} ms`} after the SIGKILL, all ${spec.agents} agents active on it after ${Math.round(backMs)} ms\n`);
      await killed.daemon.exited;
      // The killed master comes back as a standby, so every run has 3 masters.
      killed.daemon = await daemons.start(masterArgs(killed.port, run), /listening on/);
      await waitFor('the restarted master joined', async () => /joined as json\.info_/.test(killed.daemon.output()), GIVE_UP_MS);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[sorted.length >>> 1] as number;
    process.stderr.write(`  ${samples.length} failovers, session timeout ${spec.sessionTimeoutMs} ms: ${samples.map((s) => s.toFixed(2)).join(', ')} s; median ${median.toFixed(2)} s\n`);
    return Math.round(median * 100) / 100;
  } finally {
    await daemons.stopAll();
    await zk?.close();
  }
}
