/**
 * DRF allocation cycle benchmarks (BENCHMARKS.md): the median time of an
 * `allocate` call in a steady, churning cluster (see drf-workload.ts).
 */
import { DrfWorkload, type DrfWorkloadSpec } from './drf-workload.js';
import type { Bench } from './types.js';

const WARMUP_CYCLES = 5;
const MEASURED_CYCLES = 21;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

/** Builds the workload, warms up, returns the median cycle in ms (details to stderr). */
function measureCycle(spec: DrfWorkloadSpec): number {
  const setupStart = performance.now();
  const workload = new DrfWorkload(spec);
  const setupMs = performance.now() - setupStart;
  for (let i = 0; i < WARMUP_CYCLES; i += 1) workload.cycle();
  const stats = Array.from({ length: MEASURED_CYCLES }, () => workload.cycle());
  const ms = stats.map((s) => s.ms);
  const sorted = [...ms].sort((a, b) => a - b);
  process.stderr.write(
    `  ${spec.agents} agents, ${spec.frameworks} frameworks, ${workload.tasksRunning} tasks running (setup ${Math.round(setupMs)} ms); ` +
      `per cycle: ${Math.round(mean(stats.map((s) => s.offers)))} offers, ${Math.round(mean(stats.map((s) => s.tasksEnded)))} tasks ended, ` +
      `${Math.round(mean(stats.map((s) => s.tasksLaunched)))} launched, ${Math.round(mean(stats.map((s) => s.declines)))} declined; ` +
      `cycle ms min ${sorted[0]?.toFixed(2)} median ${median(ms).toFixed(2)} max ${sorted[sorted.length - 1]?.toFixed(2)}; ` +
      `cpu ms median ${median(stats.map((s) => s.cpuMs)).toFixed(2)}\n`,
  );
  return median(ms);
}

/** The DRF cycle figures. */
export const benches: Bench[] = [
  {
    name: 'drf-cycle-10k-1k-ms',
    unit: 'ms',
    anchor: 'Mesos 1.8: ~1.06 s',
    anchorValue: 1060,
    goal: '<= 50 ms',
    goalCheck: (value) => value <= 50,
    run: () => measureCycle({ agents: 10_000, frameworks: 1_000, roles: 4, tasks: 100_000, endShare: 0.01, refuseMs: 5_000, seed: 10_001 }),
  },
  {
    name: 'drf-cycle-50k-2k-ms',
    unit: 'ms',
    anchor: 'Mesos 1.8: ~3.8 s at 20k x 2k',
    anchorValue: 3800,
    goal: '<= 100 ms',
    goalCheck: (value) => value <= 100,
    run: () => measureCycle({ agents: 50_000, frameworks: 2_000, roles: 4, tasks: 500_000, endShare: 0.01, refuseMs: 5_000, seed: 50_002 }),
  },
];
