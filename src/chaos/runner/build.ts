/**
 * From a parsed scenario to a running simulated cluster: timing, agents,
 * network and the built-in schedulers (with deliberate bugs when a test asks),
 * plus what the checkers must know about the services.
 */
import type { Result } from '../../core/errors.js';
import type { FrameworkId, NodeId } from '../../core/ids.js';
import type { Timing } from '../../core/timing.js';
import { frameworkNodesOf, type ServiceBugs, type WorkloadSpec as SchedulerWorkload } from '../../schedulers/workload.js';
import { SimCluster } from '../../sim/cluster.js';
import type { ServiceExpectation } from '../checkers/index.js';
import { schedulerWorkloadOf, timingOfSpec, type AppNames, type Scenario } from '../scenario/index.js';

/** A scenario's cluster, built and started, with what the runner needs beside it. */
export interface BuiltCluster {
  readonly cluster: SimCluster;
  readonly timing: Timing;
  readonly workload: SchedulerWorkload;
  readonly services: readonly ServiceExpectation[];
}

/** Options of `buildCluster`. */
export interface BuildOptions {
  readonly seed: string;
  readonly bugs?: Readonly<Record<string, ServiceBugs>>;
}

/** Builds the scenario's cluster (typed error when the simulator refuses the spec). */
export function buildCluster(scenario: Scenario, options: BuildOptions): Result<BuiltCluster> {
  const timing = timingOfSpec(scenario.timing);
  const workload = schedulerWorkloadOf(scenario.workload, timing);
  const network = scenario.cluster.network;
  const created = SimCluster.create({
    seed: options.seed,
    timing,
    masters: scenario.cluster.masters,
    agents: scenario.cluster.agents.map((a) => ({ host: a.host, resources: a.resources, attributes: a.attributes })),
    frameworks: (leader) => frameworkNodesOf(workload, { timing, leader, ...(options.bugs ? { bugs: options.bugs } : {}) }),
    ...(network === null ? {} : { network: { latencyMinMs: network.latencyMinMs, latencyMaxMs: network.latencyMaxMs } }),
  });
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

/** Every node on the simulated network, coordinator and schedulers included (for `all` and partitions). */
export function networkNodesOf(cluster: SimCluster): NodeId[] {
  const rt = cluster.runtime;
  return [...rt.nodesWithRole('coordinator'), ...rt.nodesWithRole('master'), ...rt.nodesWithRole('agent'), ...rt.nodesWithRole('scheduler')];
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
