/**
 * Big simulated clusters for the simulation-speed and failover benchmarks:
 * `agents` identical agents and `tasks` service tasks spread evenly over
 * `services` services, built through SimCluster.create and frameworkNodesOf as
 * the tests build theirs, with no history kept in memory (records stream to
 * listeners only), and helpers to bring one to steady state.
 */
import { resources } from '../src/core/resources.js';
import type { Timing } from '../src/core/timing.js';
import { frameworkNodesOf, serviceAppOf, type WorkloadSpec } from '../src/schedulers/workload.js';
import { SimCluster } from '../src/sim/cluster.js';
import { uniformAgents } from '../src/cluster/index.js';

/** The shape of a big cluster. */
export interface BigClusterSpec {
  readonly seed: string;
  readonly timing: Timing;
  readonly masters: number;
  readonly agents: number;
  /** Total service tasks, spread evenly over `services` services. */
  readonly tasks: number;
  readonly services: number;
}

/**
 * Node flags for benches of big simulations.
 * - A 64 MB young generation (V8's default tops out at 16 MB): a health-check
 *   round allocates a ping and a pong per agent that stay live until the
 *   round's deliveries are done; with the default, scavenges came every few
 *   rounds and copied them (10% of the 50k steady state; 2% with 64 MB).
 * - No allocation-site pretenuring: once a round's messages had survived a
 *   scavenge (in the ramp), V8 began allocating pings, pongs and timer entries
 *   straight in the old generation, which then grew by ~30 MB a second at 20k
 *   agents until a full collection of a 1+ GB heap stalled a whole window.
 */
export const SIM_GC_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--no-allocation-site-pretenuring'];

/** Per-task resources: Marathon-like small tasks. */
const TASK = resources({ cpus: 0.1, mem: 64 });

/** Builds and starts the cluster (nothing has run yet). */
export function bigCluster(spec: BigClusterSpec): SimCluster {
  const perAgent = Math.ceil(spec.tasks / spec.agents);
  // Agents sized for 1.5x their share, so placement never runs short of room.
  const slots = Math.ceil(perAgent * 1.5);
  const agent = resources({ cpus: slots * TASK.cpus, mem: slots * TASK.mem, disk: 10_240, ports: [{ begin: 31000, end: 32000 }] });
  const perService = Math.floor(spec.tasks / spec.services);
  const workload: WorkloadSpec = {
    services: Array.from({ length: spec.services }, (_, i) =>
      serviceAppOf(
        {
          name: `svc-${i + 1}`,
          instances: i === 0 ? spec.tasks - perService * (spec.services - 1) : perService,
          resources: TASK,
        },
        spec.timing,
      ),
    ),
    batch: [],
    execute: [],
  };
  const created = SimCluster.create({
    seed: spec.seed,
    timing: spec.timing,
    masters: spec.masters,
    agents: uniformAgents(spec.agents, agent),
    frameworks: (leader) => frameworkNodesOf(workload, { timing: spec.timing, leader }),
    historyLimit: 0,
  });
  if (!created.ok) throw new Error(`bench cluster: ${created.error.message}`);
  return created.value;
}

/** Tasks RUNNING now, from the projection's counts. */
export function runningTasks(cluster: SimCluster): number {
  return cluster.state().counts.tasksByState.TASK_RUNNING;
}

/** Peak memory seen so far, sampled by `sample()`. */
export class MemoryPeak {
  rssMb = 0;
  heapUsedMb = 0;

  /** Samples process.memoryUsage() now. */
  sample(): void {
    const m = process.memoryUsage();
    this.rssMb = Math.max(this.rssMb, m.rss / 2 ** 20);
    this.heapUsedMb = Math.max(this.heapUsedMb, m.heapUsed / 2 ** 20);
  }

  /** `rss 1234 MB, heap 1000 MB` (peak RSS also from the kernel's maxRSS). */
  describe(): string {
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    return `peak rss ${Math.round(Math.max(this.rssMb, maxRssMb))} MB, peak heap used ${Math.round(this.heapUsedMb)} MB`;
  }
}

/** How a ramp to steady state went. */
export interface RampResult {
  readonly steady: boolean;
  readonly simMs: number;
  readonly wallMs: number;
  readonly running: number;
}

/**
 * Runs a second of simulated time at a time until every task is RUNNING, or
 * until `maxSimMs` of simulated time or `maxWallMs` of wall time have passed.
 */
export function rampToSteady(cluster: SimCluster, options: { tasks: number; maxSimMs: number; maxWallMs: number; memory: MemoryPeak; log: (line: string) => void }): RampResult {
  const wallStart = performance.now();
  const simStart = cluster.now();
  let lastLogMs = wallStart;
  let running = runningTasks(cluster);
  while (running < options.tasks) {
    const wallMs = performance.now() - wallStart;
    if (cluster.now() - simStart >= options.maxSimMs || wallMs >= options.maxWallMs) return { steady: false, simMs: cluster.now() - simStart, wallMs, running };
    cluster.runFor(1000);
    options.memory.sample();
    running = runningTasks(cluster);
    if (performance.now() - lastLogMs > 10_000) {
      lastLogMs = performance.now();
      options.log(`  ramp: ${cluster.now() / 1000} s simulated, ${running} of ${options.tasks} tasks RUNNING, ${Math.round((lastLogMs - wallStart) / 1000)} s wall`);
    }
  }
  return { steady: true, simMs: cluster.now() - simStart, wallMs: performance.now() - wallStart, running };
}

/**
 * Agents removed although no fault was injected: before agents sent a boot id, a
 * registration retry that crossed the master's answer was taken for a rebooted
 * host and stranded the tasks launched on it (BENCHMARKS.md); a sanity check.
 */
export function duplicateRegistrations(cluster: SimCluster): number {
  return cluster.state().counts.agentsByState.removed;
}
