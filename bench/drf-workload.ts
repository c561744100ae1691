/**
 * A steady-state cluster for the DRF cycle benchmarks, driven directly against
 * the allocator (no master): agents mostly full of tasks, frameworks that
 * relaunch the tasks they lose, Marathon-style SUPPRESS when they want nothing
 * and REVIVE when they do, offers accepted as far as the framework's task shape
 * fits and the rest declined with the default 5 s refuse filter.
 */
import { createDrfAllocator } from '../src/core/allocator/drf.js';
import type { Allocation, Allocator } from '../src/core/allocator/types.js';
import { isEmpty, resources, subtract, type Resources } from '../src/core/resources.js';

/** The size and churn of a workload. */
export interface DrfWorkloadSpec {
  readonly agents: number;
  readonly frameworks: number;
  readonly roles: number;
  readonly tasks: number;
  /** Share of running tasks that end before each cycle (0.01 = tasks live ~100 cycles). */
  readonly endShare: number;
  readonly refuseMs: number;
  readonly seed: number;
}

/** What one cycle did, for the bench log. */
export interface CycleStats {
  readonly ms: number;
  /** CPU time of the process during the cycle (all threads): the work, without the waits of a busy machine. */
  readonly cpuMs: number;
  readonly offers: number;
  readonly tasksEnded: number;
  readonly tasksLaunched: number;
  readonly declines: number;
}

/** mulberry32: a small seeded PRNG so the workload is the same every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENT_SHAPES: readonly Resources[] = [
  resources({ cpus: 16, mem: 65536, disk: 500_000, ports: [{ begin: 31000, end: 32000 }] }),
  resources({ cpus: 32, mem: 131072, disk: 1_000_000, ports: [{ begin: 31000, end: 32000 }] }),
  resources({ cpus: 32, mem: 131072, disk: 1_000_000, ports: [{ begin: 31000, end: 32000 }] }),
  resources({ cpus: 48, mem: 196608, disk: 1_000_000, ports: [{ begin: 31000, end: 32000 }] }),
];
// Task shapes: frameworks differ in their dominant resource (cpu-heavy, mem-heavy, balanced).
const TASK_SHAPES: readonly Resources[] = [
  resources({ cpus: 1, mem: 2048 }),
  resources({ cpus: 2, mem: 4096 }),
  resources({ cpus: 4, mem: 8192 }),
  resources({ cpus: 0.5, mem: 8192 }),
  resources({ cpus: 1, mem: 16384 }),
  resources({ cpus: 4, mem: 2048 }),
  resources({ cpus: 2, mem: 12288 }),
  resources({ cpus: 3, mem: 6144 }),
];

/** The cluster and its simulated frameworks. */
export class DrfWorkload {
  readonly allocator: Allocator;
  private readonly rng: () => number;
  private readonly shuffleRng: () => number;
  private readonly agentIds: string[] = [];
  private readonly agentIndex = new Map<string, number>();
  private readonly frameworkIds: string[] = [];
  private readonly frameworkIndex = new Map<string, number>();
  /** Running tasks per agent, as framework indices (the shape follows from the framework). */
  private readonly tasksByAgent: number[][] = [];
  private readonly pending: Int32Array;
  private readonly suppressed: Uint8Array;
  private lastOffers: Allocation[] = [];
  private nowMs = 0;
  private runningTasks = 0;

  constructor(private readonly spec: DrfWorkloadSpec) {
    this.rng = mulberry32(spec.seed);
    this.shuffleRng = mulberry32(spec.seed ^ 0x9e3779b9);
    this.pending = new Int32Array(spec.frameworks);
    this.suppressed = new Uint8Array(spec.frameworks);
    this.allocator = createDrfAllocator({ weights: { 'role-0': 2 } });
    this.build();
  }

  private shapeOf(framework: number): Resources {
    return TASK_SHAPES[framework % TASK_SHAPES.length] as Resources;
  }

  private build(): void {
    const { agents, frameworks, roles, tasks } = this.spec;
    for (let f = 0; f < frameworks; f += 1) {
      const id = `M-${String(f).padStart(4, '0')}`;
      this.frameworkIds.push(id);
      this.frameworkIndex.set(id, f);
      this.allocator.addFramework(id, [`role-${f % roles}`]);
    }
    const cpusFree = new Float64Array(agents);
    const memFree = new Float64Array(agents);
    for (let a = 0; a < agents; a += 1) {
      const shape = AGENT_SHAPES[a % AGENT_SHAPES.length] as Resources;
      cpusFree[a] = shape.cpus;
      memFree[a] = shape.mem;
      this.tasksByAgent.push([]);
    }
    // Place tasks round-robin with random frameworks, moving on when one does not fit.
    let agent = 0;
    for (let t = 0; t < tasks; t += 1) {
      const f = Math.floor(this.rng() * frameworks);
      const shape = this.shapeOf(f);
      let tries = 0;
      while ((cpusFree[agent] as number) < shape.cpus || (memFree[agent] as number) < shape.mem) {
        agent = (agent + 1) % agents;
        tries += 1;
        if (tries > agents) throw new Error(`bench: ${tasks} tasks do not fit on ${agents} agents`);
      }
      cpusFree[agent] = (cpusFree[agent] as number) - shape.cpus;
      memFree[agent] = (memFree[agent] as number) - shape.mem;
      (this.tasksByAgent[agent] as number[]).push(f);
      agent = (agent + 1) % agents;
    }
    this.runningTasks = tasks;
    for (let a = 0; a < agents; a += 1) {
      const id = `M-S${a}`;
      this.agentIds.push(id);
      this.agentIndex.set(id, a);
      const used = new Map<string, Resources>();
      const sums = new Map<number, { cpus: number; mem: number }>();
      for (const f of this.tasksByAgent[a] as number[]) {
        const shape = this.shapeOf(f);
        const sum = sums.get(f) ?? { cpus: 0, mem: 0 };
        sum.cpus += shape.cpus;
        sum.mem += shape.mem;
        sums.set(f, sum);
      }
      for (const [f, sum] of sums) used.set(this.frameworkIds[f] as string, resources(sum));
      this.allocator.addAgent(id, AGENT_SHAPES[a % AGENT_SHAPES.length] as Resources, used);
    }
    // Nobody wants anything yet: everyone is suppressed until a task of theirs ends.
    for (let f = 0; f < frameworks; f += 1) this.setSuppressed(f, true);
  }

  private setSuppressed(framework: number, suppressed: boolean): void {
    if ((this.suppressed[framework] === 1) === suppressed) return;
    this.suppressed[framework] = suppressed ? 1 : 0;
    const id = this.frameworkIds[framework] as string;
    if (suppressed) this.allocator.suppress(id);
    else this.allocator.revive(id);
  }

  /** Frameworks answer the last cycle's offers, tasks end, demand flips SUPPRESS/REVIVE; not timed. */
  private churn(): { tasksEnded: number; tasksLaunched: number; declines: number } {
    let tasksLaunched = 0;
    let declines = 0;
    for (const offer of this.lastOffers) {
      const f = this.frameworkIndex.get(offer.frameworkId) as number;
      const a = this.agentIndex.get(offer.agentId) as number;
      const shape = this.shapeOf(f);
      const fit = Math.min(this.pending[f] as number, Math.floor(offer.resources.cpus / shape.cpus), Math.floor(offer.resources.mem / shape.mem));
      let unused = offer.resources;
      if (fit > 0) {
        const tasks = this.tasksByAgent[a] as number[];
        for (let i = 0; i < fit; i += 1) tasks.push(f);
        this.pending[f] = (this.pending[f] as number) - fit;
        this.runningTasks += fit;
        tasksLaunched += fit;
        unused = subtract(unused, resources({ cpus: shape.cpus * fit, mem: shape.mem * fit }));
      } else {
        declines += 1;
      }
      // As in Mesos, what an accept leaves unused counts as declined with the default filter.
      if (!isEmpty(unused)) this.allocator.recoverResources(offer.frameworkId, offer.agentId, unused, this.spec.refuseMs, this.nowMs);
    }
    const toEnd = Math.round(this.runningTasks * this.spec.endShare);
    let tasksEnded = 0;
    for (let attempts = 0; tasksEnded < toEnd && attempts < toEnd * 20; attempts += 1) {
      const a = Math.floor(this.rng() * this.spec.agents);
      const tasks = this.tasksByAgent[a] as number[];
      if (tasks.length === 0) continue;
      const i = Math.floor(this.rng() * tasks.length);
      const f = tasks[i] as number;
      tasks[i] = tasks[tasks.length - 1] as number;
      tasks.pop();
      this.allocator.recoverResources(this.frameworkIds[f] as string, this.agentIds[a] as string, this.shapeOf(f), 0, this.nowMs);
      this.pending[f] = (this.pending[f] as number) + 1;
      this.runningTasks -= 1;
      tasksEnded += 1;
    }
    for (let f = 0; f < this.spec.frameworks; f += 1) this.setSuppressed(f, this.pending[f] === 0);
    return { tasksEnded, tasksLaunched, declines };
  }

  /** Churn (untimed), then one timed allocation cycle one second later. */
  cycle(): CycleStats {
    const churned = this.churn();
    this.nowMs += 1000;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    this.lastOffers = this.allocator.allocate(this.nowMs, this.shuffleRng);
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, offers: this.lastOffers.length, ...churned };
  }

  /** Tasks running now. */
  get tasksRunning(): number {
    return this.runningTasks;
  }
}
