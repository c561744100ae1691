/**
 * From a parsed scenario to a running cluster: timing, agents, network and
 * the built-in schedulers (with deliberate bugs when a test asks), plus what
 * the checkers must know about the services. The runtime comes in as a
 * `ClusterFactory` (the CLI injects the simulator or the live runtime).
 */
import type { Result } from '../../core/errors.js';
import type { LeaderSource } from '../../core/detector.js';
import type { FrameworkId } from '../../core/ids.js';
import type { Timing } from '../../core/timing.js';
import type { Cluster, ClusterFactory } from '../../cluster/index.js';
import { frameworkNodesOf, type ServiceBugs, type WorkloadSpec as SchedulerWorkload } from '../../schedulers/workload.js';
import type { ServiceExpectation } from '../checkers/index.js';
import { schedulerWorkloadOf, timingOfSpec, type AppNames, type Scenario } from '../scenario/index.js';

/** A scenario's cluster, built and started, with what the runner needs beside it. */
export interface BuiltCluster {
  readonly cluster: Cluster;
  readonly timing: Timing;
  readonly workload: SchedulerWorkload;
  readonly services: readonly ServiceExpectation[];
}

/** Options of `buildCluster`. */
export interface BuildOptions {
  readonly seed: string;
  readonly bugs?: Readonly<Record<string, ServiceBugs>>;
}

/** Builds the scenario's cluster with `newCluster` (typed error when the runtime refuses the spec). */
export function buildCluster(scenario: Scenario, options: BuildOptions, newCluster: ClusterFactory): Result<BuiltCluster> {
  const timing = timingOfSpec(scenario.timing);
  const workload = schedulerWorkloadOf(scenario.workload, timing);
  const network = scenario.cluster.network;
  const spec = {
    seed: options.seed,
    timing,
    masters: scenario.cluster.masters,
    agents: scenario.cluster.agents.map((a) => ({ host: a.host, resources: a.resources, attributes: a.attributes })),
    frameworks: (leader: LeaderSource) => frameworkNodesOf(workload, { timing, leader, ...(options.bugs ? { bugs: options.bugs } : {}) }),
  };
  const created = newCluster(spec, network === null ? {} : { latency: { minMs: network.latencyMinMs, maxMs: network.latencyMaxMs } });
  if (!created.ok) return created;
  return { ok: true, value: { cluster: created.value, timing, workload, services: serviceExpectationsOf(workload) } };
}

/** What the checkers expect of each service: N instances, replacement after inactiveAfter. */
export function serviceExpectationsOf(workload: SchedulerWorkload): ServiceExpectation[] {
  return workload.services.map((s) => ({
    name: s.name,
    instances: s.instances,
    inactiveAfterMs: s.unreachableStrategy === 'disabled' ? Infinity : s.unreachableStrategy.inactiveAfterMs,
    partitionAware: s.partitionAware,
  }));
}

/** App name -> its newest framework id, learned from the history as frameworks subscribe. */
export class AppNameBook implements AppNames {
  private readonly ids = new Map<string, FrameworkId>();

  /** Notes a subscription. */
  subscribed(name: string, frameworkId: FrameworkId): void {
    this.ids.set(name, frameworkId);
  }

  /** The framework id of the app's scheduler, if it subscribed. */
  frameworkIdOfService(name: string): FrameworkId | undefined {
    return this.ids.get(name);
  }
}
