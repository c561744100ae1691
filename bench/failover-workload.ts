/**
 * Master failover at scale (issue 3): 3 masters, `agents` agents and `tasks`
 * service tasks in steady state; the leader is killed, and the bench measures,
 * in simulated and in wall time, from the kill until every agent host has
 * reregistered with the new leader (the `master.failover_completed` record is
 * logged too). Three failovers per cluster (the killed master comes back as a
 * standby, then the new leader is killed); the figures are the medians.
 *
 * Timing: the mesos profile with a 2 s coordinator session timeout instead of
 * ZooKeeper's 10 s (the standbys learn of the dead leader when its session
 * expires; a shorter session is a common production choice and the only
 * figure changed).
 *
 * Both figures come from one run: the first failover bench of an `npm run
 * bench` process writes its measurement to a file named after that process,
 * and the second reads it back instead of building a 40k cluster again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timingOf, type Timing } from '../src/core/timing.js';
import type { SimCluster } from '../src/sim/cluster.js';
import { bigCluster, duplicateRegistrations, MemoryPeak, rampToSteady } from './sim-workload.js';

/** The cluster to fail over. */
export interface FailoverSpec {
  readonly agents: number;
  readonly tasks: number;
  readonly services: number;
}

/** What one failover took. */
export interface FailoverResult {
  /** Kill to every agent host reregistered, simulated seconds. */
  readonly simS: number;
  /** The same in wall seconds. */
  readonly wallS: number;
}

const SESSION_TIMEOUT_MS = 2_000;
/** Longest simulated wait after the kill. */
const GIVE_UP_MS = 120_000;
/** Failovers per cluster: the killed master restarts as a standby and the new leader is killed in turn. */
const FAILOVERS = 3;
/** A cached result older than this is measured again. */
const CACHE_MAX_AGE_MS = 3_600_000;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The mesos profile with a 2 s coordinator session. */
export function failoverTiming(): Timing {
  const timing = timingOf('mesos', { sessionTimeoutMs: SESSION_TIMEOUT_MS });
  if (!timing.ok) throw new Error(timing.error.message);
  return timing.value;
}

function cacheFile(spec: FailoverSpec): string {
  // The parent is the `npm run bench` process that runs both failover benches one after the other.
  return join(tmpdir(), `faultline-bench-failover-${spec.agents}-${process.ppid}.json`);
}

/** Measures once per `npm run bench` process (see the file comment). */
export function measureFailover(spec: FailoverSpec): FailoverResult {
  const file = cacheFile(spec);
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as FailoverResult & { measuredAtMs: number };
    if (Date.now() - cached.measuredAtMs < CACHE_MAX_AGE_MS) {
      log(`  the failover measured by the other failover bench of this run: ${cached.simS.toFixed(2)} s simulated, ${cached.wallS.toFixed(2)} s wall`);
      return cached;
    }
  }
  const result = runFailover(spec);
  writeFileSync(file, JSON.stringify({ ...result, measuredAtMs: Date.now() }));
  return result;
}

function runFailover(spec: FailoverSpec): FailoverResult {
  const memory = new MemoryPeak();
  const buildStart = performance.now();
  const cluster = bigCluster({ seed: 'bench-failover', timing: failoverTiming(), masters: 3, agents: spec.agents, tasks: spec.tasks, services: spec.services });
  log(`  3 masters, ${spec.agents} agents, ${spec.tasks} tasks in ${spec.services} services; mesos timing, ${SESSION_TIMEOUT_MS / 1000} s session; built in ${Math.round(performance.now() - buildStart)} ms`);
  const ramp = rampToSteady(cluster, { tasks: spec.tasks, maxSimMs: 600_000, maxWallMs: 900_000, memory, log });
  log(
    `  ramp: ${ramp.steady ? 'steady' : 'NOT steady'} after ${ramp.simMs / 1000} s simulated, ${(ramp.wallMs / 1000).toFixed(1)} s wall; ` +
      `${ramp.running} of ${spec.tasks} tasks RUNNING; ${duplicateRegistrations(cluster)} agents removed by a duplicate registration; ${memory.describe()}`,
  );
  const samples: FailoverResult[] = [];
  for (let i = 0; i < FAILOVERS; i += 1) {
    // Steady first; from the second round on, the master killed last is back as a standby.
    cluster.runFor(10_000);
    samples.push(killLeader(cluster, memory));
    if (i + 1 < FAILOVERS) {
      const down = cluster.masters().find((m) => cluster.runtime.status(m) === 'stopped');
      if (down !== undefined) cluster.inject({ kind: 'restart-master', node: down });
    }
  }
  const simS = median(samples.map((s) => s.simS));
  const wallS = median(samples.map((s) => s.wallS));
  log(`  ${FAILOVERS} failovers: median ${simS.toFixed(2)} s simulated, ${wallS.toFixed(2)} s wall; ${memory.describe()}`);
  return { simS, wallS };
}

/** Kills the leader and measures until every agent host has reregistered with its successor. */
function killLeader(cluster: SimCluster, memory: MemoryPeak): FailoverResult {
  const leader = cluster.leader();
  if (leader === null) throw new Error('no leader in steady state');
  const hosts = new Set(cluster.agents());
  const back = new Set<string>();
  let electedAtMs: number | null = null;
  let completed: { atMs: number; durationMs: number } | null = null;
  let allBackAtMs: number | null = null;
  let allBackWallMs: number | null = null;
  const unsubscribe = cluster.onRecord((record) => {
    if (record.type === 'master.elected' && electedAtMs === null) electedAtMs = record.atMs;
    if (record.type === 'master.failover_completed' && completed === null) completed = { atMs: record.atMs, durationMs: record.durationMs };
    if (record.type === 'agent.reregistered' && hosts.has(record.host) && !back.has(record.host)) {
      back.add(record.host);
      if (back.size === hosts.size) {
        allBackAtMs = record.atMs;
        allBackWallMs = performance.now();
      }
    }
  });
  const killedAtMs = cluster.now();
  const wallStart = performance.now();
  const killed = cluster.inject({ kind: 'kill-master', node: leader });
  if (!killed.ok) throw new Error(killed.error.message);
  while (allBackAtMs === null && cluster.now() - killedAtMs < GIVE_UP_MS) cluster.runFor(100);
  const wallEnd = performance.now();
  memory.sample();
  unsubscribe();
  if (allBackAtMs === null || allBackWallMs === null) throw new Error(`only ${back.size} of ${hosts.size} agent hosts reregistered within ${GIVE_UP_MS / 1000} s of the kill`);
  const simS = ((allBackAtMs as number) - killedAtMs) / 1000;
  const wallS = ((allBackWallMs as number) - wallStart) / 1000;
  const done = completed as { atMs: number; durationMs: number } | null;
  log(
    `  killed ${leader} at ${(killedAtMs / 1000).toFixed(1)} s: new leader elected after ${electedAtMs === null ? '-' : (((electedAtMs as number) - killedAtMs) / 1000).toFixed(2)} s, ` +
      `every agent host reregistered after ${simS.toFixed(2)} s simulated / ${wallS.toFixed(2)} s wall (the run loop stopped at ${((wallEnd - wallStart) / 1000).toFixed(2)} s wall); ` +
      `master.failover_completed ${done === null ? `not within ${((cluster.now() - killedAtMs) / 1000).toFixed(1)} s` : `after ${((done.atMs - killedAtMs) / 1000).toFixed(2)} s (durationMs ${Math.round(done.durationMs)})`}`,
  );
  return { simS, wallS };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
