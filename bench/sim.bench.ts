/**
 * Simulation speed (BENCHMARKS.md, issue 2): simulated seconds per wall
 * second of a big cluster in steady state (every task RUNNING), with the mesos
 * profile's pings replaced by 1 s pings. Windows alternate between a bare run
 * and a run with a HistoryHasher attached (real runs hash every record); the
 * figure is the median of the hashed windows, and both are printed.
 */
import { HistoryHasher } from '../src/chaos/history/index.js';
import { timingOf, type Timing } from '../src/core/timing.js';
import type { SimCluster } from '../src/sim/cluster.js';
import { bigCluster, duplicateRegistrations, MemoryPeak, rampToSteady, SIM_GC_FLAGS } from './sim-workload.js';
import type { Bench } from './types.js';

/** One speed measurement. */
interface SpeedSpec {
  readonly agents: number;
  readonly tasks: number;
  readonly services: number;
  /** Simulated time run after the ramp before measuring (retry timers and watchdogs of the ramp drain). */
  readonly settleMs: number;
  readonly windowMs: number;
  /** Windows of each kind (bare, hashed), alternating. */
  readonly windows: number;
  readonly rampMaxWallMs: number;
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The mesos profile with 1 s pings (issue 2: "with 1 s pings"). */
export function oneSecondPings(): Timing {
  const timing = timingOf('mesos', { agentPingTimeoutMs: 1_000 });
  if (!timing.ok) throw new Error(timing.error.message);
  return timing.value;
}

interface Window {
  readonly wallX: number;
  readonly cpuX: number;
  readonly records: number;
  readonly items: number;
}

function measureWindow(cluster: SimCluster, windowMs: number, hashed: boolean, memory: MemoryPeak): Window {
  const hasher = new HistoryHasher();
  const unsubscribe = hashed ? cluster.onRecord((record) => hasher.add(record)) : () => true;
  let records = 0;
  const count = cluster.onRecord(() => {
    records += 1;
  });
  const itemsBefore = cluster.runtime.processedCount;
  const simStart = cluster.now();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  // One second at a time, so memory is sampled along the way (cheap next to a simulated second).
  while (cluster.now() < simStart + windowMs) {
    cluster.runFor(Math.min(1_000, simStart + windowMs - cluster.now()));
    memory.sample();
  }
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  unsubscribe();
  count();
  if (hashed && hasher.lines !== records) throw new Error(`hasher saw ${hasher.lines} records of ${records}`);
  return { wallX: windowMs / wallMs, cpuX: windowMs / ((cpu.user + cpu.system) / 1000), records, items: cluster.runtime.processedCount - itemsBefore };
}

async function measureSpeed(spec: SpeedSpec): Promise<number> {
  const memory = new MemoryPeak();
  const buildStart = performance.now();
  const cluster = bigCluster({ seed: 'bench-sim', timing: oneSecondPings(), masters: 1, agents: spec.agents, tasks: spec.tasks, services: spec.services });
  memory.sample();
  log(`  ${spec.agents} agents, ${spec.tasks} tasks in ${spec.services} services, mesos timing with 1 s pings; built in ${Math.round(performance.now() - buildStart)} ms`);
  const ramp = rampToSteady(cluster, { tasks: spec.tasks, maxSimMs: 600_000, maxWallMs: spec.rampMaxWallMs, memory, log });
  log(
    `  ramp: ${ramp.steady ? 'steady' : 'NOT steady'} after ${ramp.simMs / 1000} s simulated, ${(ramp.wallMs / 1000).toFixed(1)} s wall; ` +
      `${ramp.running} of ${spec.tasks} tasks RUNNING; ${duplicateRegistrations(cluster)} agents removed by a duplicate registration`,
  );
  const settleStart = performance.now();
  cluster.runFor(spec.settleMs);
  memory.sample();
  log(`  settled for ${spec.settleMs / 1000} s simulated (${((performance.now() - settleStart) / 1000).toFixed(1)} s wall); ${memory.describe()}`);
  const bare: Window[] = [];
  const hashed: Window[] = [];
  for (let i = 0; i < spec.windows; i += 1) {
    for (const withHash of [false, true]) {
      const w = measureWindow(cluster, spec.windowMs, withHash, memory);
      (withHash ? hashed : bare).push(w);
      log(
        `  window ${spec.windowMs / 1000} s ${withHash ? 'hashed' : 'bare  '}: ${w.wallX.toFixed(2)}x wall, ${w.cpuX.toFixed(2)}x per CPU second; ` +
          `${Math.round(w.items / (spec.windowMs / 1000))} queue items and ${Math.round(w.records / (spec.windowMs / 1000))} records per simulated second`,
      );
    }
  }
  const result = median(hashed.map((w) => w.wallX));
  log(
    `  median: hashed ${result.toFixed(2)}x, bare ${median(bare.map((w) => w.wallX)).toFixed(2)}x (per CPU second: hashed ${median(hashed.map((w) => w.cpuX)).toFixed(2)}x, ` +
      `bare ${median(bare.map((w) => w.cpuX)).toFixed(2)}x); ${ramp.running} of ${spec.tasks} tasks RUNNING at the end of the ramp; ${memory.describe()}`,
  );
  return result;
}

/** The simulation speed figures. */
export const benches: Bench[] = [
  {
    name: 'sim-speed-5k-x',
    unit: 'x',
    anchor: 'FoundationDB ~10x, VOPR up to ~700x',
    anchorValue: 10,
    goal: '>= 100x',
    goalCheck: (value) => value >= 100,
    nodeFlags: SIM_GC_FLAGS,
    run: () => measureSpeed({ agents: 5_000, tasks: 50_000, services: 10, settleMs: 60_000, windowMs: 60_000, windows: 3, rampMaxWallMs: 300_000 }),
  },
  {
    name: 'sim-speed-50k-x',
    unit: 'x',
    anchor: 'no published anchor',
    goal: '>= 10x, <= 4 GB',
    goalCheck: (value, run) => value >= 10 && run.peakRssMb <= 4096,
    // A 3 GB old space: with the default 8 GB the collector lets garbage pile up past 4 GB of RSS (1.1 GB is live).
    nodeFlags: ['--max-old-space-size=3072', ...SIM_GC_FLAGS],
    run: () => measureSpeed({ agents: 50_000, tasks: 500_000, services: 100, settleMs: 15_000, windowMs: 20_000, windows: 3, rampMaxWallMs: 180_000 }),
  },
];
