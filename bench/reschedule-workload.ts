/**
 * Reschedule after detection: a small HA cluster (3 masters, fast profile,
 * inactiveAfter 0) runs a partition-aware service and a non-partition-aware
 * one; agents are killed one after another, and for each the bench takes the
 * simulated time from its `agent.unreachable` record to the first record after
 * which every service is at N tasks RUNNING on other hosts (the master's view,
 * as the projection has it), i.e. every task it lost is RUNNING elsewhere.
 */
import { resources } from '../src/core/resources.js';
import { FAST_TIMING } from '../src/core/timing.js';
import { frameworkNodesOf, serviceAppOf, type ServiceApp } from '../src/schedulers/workload.js';
import { SimCluster } from '../src/sim/cluster.js';
import { uniformAgents } from '../src/cluster/index.js';

/** Which runs to make. */
export interface RescheduleSpec {
  readonly seeds: readonly string[];
  readonly victimsPerSeed: number;
}

/** One killed agent. */
export interface RescheduleSample {
  readonly seed: string;
  readonly host: string;
  readonly tasksLost: number;
  /** Kill to `agent.unreachable`. */
  readonly detectMs: number;
  /** `agent.unreachable` to every lost task RUNNING elsewhere. */
  readonly rescheduleMs: number;
}

const AGENTS = 20;
const AGENT = resources({ cpus: 4, mem: 8192, disk: 10_240, ports: [{ begin: 31000, end: 32000 }] });
const SERVICES: readonly ServiceApp[] = [
  serviceAppOf({ name: 'web', instances: 40, resources: resources({ cpus: 0.5, mem: 256 }), partitionAware: true }, FAST_TIMING),
  serviceAppOf({ name: 'api', instances: 20, resources: resources({ cpus: 1, mem: 512 }), partitionAware: false }, FAST_TIMING),
];
/** Longest wait for detection plus rescheduling before a sample counts as failed. */
const GIVE_UP_MS = 60_000;

/** Tasks RUNNING per service name on hosts other than `except`. */
function runningByService(cluster: SimCluster, except: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const task of cluster.state().tasks.values()) {
    if (task.state !== 'TASK_RUNNING' || task.host === except) continue;
    out.set(task.name, (out.get(task.name) ?? 0) + 1);
  }
  return out;
}

function allAtN(cluster: SimCluster, except: string | null): boolean {
  const counts = runningByService(cluster, except);
  return SERVICES.every((s) => (counts.get(s.name) ?? 0) >= s.instances);
}

function buildCluster(seed: string): SimCluster {
  const created = SimCluster.create({
    seed,
    timing: FAST_TIMING,
    masters: 3,
    agents: uniformAgents(AGENTS, AGENT),
    frameworks: (leader) => frameworkNodesOf({ services: SERVICES, batch: [], execute: [] }, { timing: FAST_TIMING, leader }),
    historyLimit: 0,
  });
  if (!created.ok) throw new Error(`bench cluster: ${created.error.message}`);
  return created.value;
}

/** Kills one agent and measures; null when it ran no service task. */
function killAndMeasure(cluster: SimCluster, seed: string, host: string): RescheduleSample | null {
  let tasksLost = 0;
  for (const task of cluster.state().tasks.values()) if (task.state === 'TASK_RUNNING' && task.host === host) tasksLost += 1;
  if (tasksLost === 0) return null;
  const killedAtMs = cluster.now();
  let unreachableAtMs: number | null = null;
  let backAtMs: number | null = null;
  const unsubscribe = cluster.onRecord((record) => {
    if (record.type === 'agent.unreachable' && record.host === host && unreachableAtMs === null) unreachableAtMs = record.atMs;
    // The projection has applied this record already (it subscribed first), so the check sees its effect.
    if (unreachableAtMs !== null && backAtMs === null && (record.type === 'task.updated' || record.type === 'task.status') && allAtN(cluster, host)) backAtMs = record.atMs;
  });
  cluster.runUntilCondition(() => backAtMs !== null, { timeoutMs: GIVE_UP_MS, checkEveryMs: 50 });
  unsubscribe();
  if (unreachableAtMs === null || backAtMs === null) throw new Error(`seed ${seed}: ${host} killed at ${killedAtMs} ms was not ${unreachableAtMs === null ? 'detected' : 'made good'} within ${GIVE_UP_MS} ms`);
  return { seed, host, tasksLost, detectMs: (unreachableAtMs as number) - killedAtMs, rescheduleMs: (backAtMs as number) - (unreachableAtMs as number) };
}

/** Runs every seed; returns the samples and their maximum. */
export function measureReschedule(spec: RescheduleSpec): { maxMs: number; samples: RescheduleSample[] } {
  const samples: RescheduleSample[] = [];
  for (const seed of spec.seeds) {
    const cluster = buildCluster(seed);
    if (!cluster.runUntilCondition((c) => allAtN(c, null), { timeoutMs: 60_000, checkEveryMs: 500 })) throw new Error(`seed ${seed}: services never reached N`);
    cluster.runFor(10_000);
    const killed = new Set<string>();
    for (let v = 0; v < spec.victimsPerSeed; v += 1) {
      // The host with the most service tasks, a different one each time.
      const perHost = new Map<string, number>();
      for (const task of cluster.state().tasks.values()) if (task.state === 'TASK_RUNNING' && task.host !== null && !killed.has(task.host)) perHost.set(task.host, (perHost.get(task.host) ?? 0) + 1);
      const host = [...perHost].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
      if (host === undefined) break;
      killed.add(host);
      const result = cluster.inject({ kind: 'kill-agent', node: host });
      if (!result.ok) throw new Error(result.error.message);
      const sample = killAndMeasure(cluster, seed, host);
      if (sample) {
        samples.push(sample);
        process.stderr.write(`  seed ${seed}: ${host} (${sample.tasksLost} tasks) detected after ${Math.round(sample.detectMs)} ms, all RUNNING elsewhere ${Math.round(sample.rescheduleMs)} ms after that\n`);
      }
      cluster.runFor(5_000);
    }
  }
  if (samples.length === 0) throw new Error('no agent with service tasks was killed');
  const times = samples.map((s) => s.rescheduleMs).sort((a, b) => a - b);
  const maxMs = times[times.length - 1] as number;
  process.stderr.write(`  ${samples.length} agents killed: reschedule after detection median ${Math.round(times[times.length >>> 1] as number)} ms, max ${Math.round(maxMs)} ms\n`);
  return { maxMs, samples };
}
