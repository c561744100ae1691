/**
 * The embedded cluster of `faultline` / `faultline up`: a scenario-shaped
 * spec (so `w` can save what you did as a scenario that `faultline run`
 * replays on the same cluster), built into a SimCluster.
 */
import { err, type Result } from '../core/errors.js';
import type { TimingProfileName } from '../core/timing.js';
import { parseScenario, schedulerWorkloadOf, timingOfSpec, type Scenario } from '../chaos/scenario/index.js';
import { frameworkNodesOf } from '../schedulers/workload.js';
import { SimCluster } from '../sim/cluster.js';

/** Flags that shape the embedded cluster. */
export interface EmbeddedOptions {
  readonly agents: number;
  readonly masters: number;
  readonly seed: string;
  readonly timing: TimingProfileName;
}

/**
 * The demo workload (issue 5): a partition-aware service `web` with 12
 * instances, a non-partition-aware service `api` with 6, and a batch job
 * stream that keeps the allocator busy.
 */
function demoYaml(options: EmbeddedOptions): string {
  return `name: embedded
description: The embedded demo cluster of faultline up
seed: "${options.seed}"
timing:
  profile: ${options.timing}
cluster:
  masters: ${options.masters}
  agents:
    count: ${options.agents}
    resources: "cpus:4;mem:8192;disk:10240;ports:[31000-32000]"
workload:
  services:
    - name: web
      instances: 12
      resources: "cpus:0.5;mem:256"
      partitionAware: true
    - name: api
      instances: 6
      resources: "cpus:1;mem:512"
      partitionAware: false
  batch:
    - name: etl
      tasks: 2000
      resources: "cpus:0.25;mem:128"
      duration: 30s
      failureProbability: 0.05
      maxRetries: 2
      parallelism: 24
method: []
`;
}

/** The demo as a parsed scenario (its method is empty: you are the method). */
export function embeddedScenario(options: EmbeddedOptions): Result<Scenario> {
  if (!Number.isInteger(options.agents) || options.agents < 1) return err('USAGE', 'must be a whole number of at least 1', '--agents');
  if (!Number.isInteger(options.masters) || options.masters < 1) return err('USAGE', 'must be a whole number of at least 1', '--masters');
  return parseScenario(demoYaml(options), '<embedded>');
}

/** Builds the simulated cluster of a scenario (the runner builds it the same way). */
export function clusterOfScenario(scenario: Scenario, seed: string): Result<SimCluster> {
  const timing = timingOfSpec(scenario.timing);
  const workload = schedulerWorkloadOf(scenario.workload, timing);
  const network = scenario.cluster.network;
  return SimCluster.create({
    seed,
    timing,
    masters: scenario.cluster.masters,
    agents: scenario.cluster.agents.map((a) => ({ host: a.host, resources: a.resources, attributes: a.attributes })),
    frameworks: (leader) => frameworkNodesOf(workload, { timing, leader }),
    ...(network ? { network: { latencyMinMs: network.latencyMinMs, latencyMaxMs: network.latencyMaxMs } } : {}),
    // The TUI shows recent events only; the feed keeps its own window.
    historyLimit: 0,
  });
}
