/**
 * The embedded cluster of `faultline` / `faultline up`: a scenario-shaped
 * spec (so `w` can save what you did as a scenario that `faultline run`
 * replays on the same cluster), built into a simulated cluster.
 */
import { ok, type Result } from '../core/errors.js';
import type { TimingProfileName } from '../core/timing.js';
import { buildCluster } from '../chaos/runner/index.js';
import { parseScenario, type Scenario } from '../chaos/scenario/index.js';
import type { Cluster } from '../cluster/index.js';
import { simClusterFactory } from './sim-runtime.js';
import { MAX_AGENTS, MAX_MASTERS, wholeNumberFlag } from './flag-values.js';

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
  const agents = wholeNumberFlag(options.agents, '--agents', 1, MAX_AGENTS);
  if (!agents.ok) return agents;
  const masters = wholeNumberFlag(options.masters, '--masters', 1, MAX_MASTERS);
  if (!masters.ok) return masters;
  return parseScenario(demoYaml(options), '<embedded>');
}

/** Builds the simulated cluster of a scenario, exactly as the runner does (so `w` replays). */
export function clusterOfScenario(scenario: Scenario, seed: string): Result<Cluster> {
  const built = buildCluster(scenario, { seed }, simClusterFactory);
  return built.ok ? ok(built.value.cluster) : built;
}
