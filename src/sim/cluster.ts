/**
 * The simulated cluster: the `Cluster` interface over the simulator. The
 * runtime-independent work (assembly, fault meaning, lifecycle events, the
 * history and its projection) is `ClusterCore` in src/cluster; this class adds
 * the simulator's clock, network and executors, and running until a time or a
 * condition. The chaos runner, the TUI feed, `faultline sim`, the benches and
 * the tests drive the simulation through it.
 */
import type { Actor } from '../core/actor.js';
import { type Result, ok } from '../core/errors.js';
import type { NodeId } from '../core/ids.js';
import type { Timing } from '../core/timing.js';
import { ClusterCore } from '../cluster/cluster.js';
import { CoreBackedCluster } from '../cluster/core-cluster.js';
import type { ClusterSpec } from '../cluster/spec.js';
import { DEFAULT_EXECUTOR, SimExecutors, type ExecutorOptions } from './executor.js';
import type { NetworkOptions } from './network.js';
import { SimNodeControl } from './node-control.js';
import { SimRuntime } from './runtime.js';

/** A cluster spec plus the simulator's own options. */
export interface SimClusterSpec extends ClusterSpec {
  /** Latency model of the simulated network. */
  readonly network?: NetworkOptions;
  /** Timing of the simulated executor. */
  readonly executor?: Partial<ExecutorOptions>;
}

/** A running simulated cluster. */
export class SimCluster extends CoreBackedCluster {
  readonly clock = 'virtual';
  readonly seed: string;
  readonly timing: Timing;
  readonly runtime: SimRuntime;
  readonly executors: SimExecutors;
  protected readonly core: ClusterCore;

  private constructor(spec: SimClusterSpec) {
    super();
    this.seed = spec.seed;
    this.timing = spec.timing;
    const runtime = new SimRuntime({ seed: spec.seed, network: spec.network, historyLimit: spec.historyLimit });
    this.runtime = runtime;
    const port = { schedule: (delayMs: number, fn: () => void) => runtime.schedule(delayMs, fn), report: runtime.deliverLocal.bind(runtime) };
    this.executors = new SimExecutors(port, runtime.streams.get('workload:executor'), { ...DEFAULT_EXECUTOR, ...spec.executor });
    const executors = this.executors;
    this.core = new ClusterCore(spec, {
      control: new SimNodeControl(runtime, executors),
      log: runtime.log,
      executorFor: (host) => executors.executorFor(host),
      coordinatorActor: true,
    });
  }

  /** Builds and starts a cluster; a bad spec is a typed error. */
  static create(spec: SimClusterSpec): Result<SimCluster> {
    const valid = ClusterCore.validate(spec);
    return valid.ok ? ok(new SimCluster(spec)) : valid;
  }

  /** Virtual time in ms. */
  now(): number {
    return this.runtime.now();
  }

  /** Runs the simulation to `timeMs` (synchronously). */
  advanceTo(timeMs: number): void {
    this.runtime.runUntil(timeMs);
  }

  /** The scheduler actor of a framework node (for scaling a service from the TUI). */
  actorOf(node: NodeId): Actor | null {
    return this.runtime.actor(node);
  }

  /** Runs the simulation for `ms` of virtual time. */
  runFor(ms: number): void {
    this.runtime.runUntil(this.runtime.now() + ms);
  }

  /** Runs until virtual time `timeMs`. */
  runUntil(timeMs: number): void {
    this.runtime.runUntil(timeMs);
  }

  /**
   * Runs until `condition` holds (checked every `checkEveryMs` of virtual time) or
   * `timeoutMs` passes. Returns whether it held.
   */
  runUntilCondition(condition: (cluster: SimCluster) => boolean, options: { timeoutMs: number; checkEveryMs?: number }): boolean {
    const step = options.checkEveryMs ?? 100;
    const deadline = this.now() + options.timeoutMs;
    while (!condition(this)) {
      if (this.now() >= deadline) return false;
      this.runUntil(Math.min(deadline, this.now() + step));
    }
    return true;
  }

  randomStream(name: string): () => number {
    const stream = this.runtime.streams.get(name);
    return () => stream.next();
  }

  /** Nothing to release: the simulation only runs when asked to. */
  close(): void {}
}
