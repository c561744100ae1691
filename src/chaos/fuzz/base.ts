/**
 * The scenario a fuzz seed starts from: `--base file.yaml`, or the default
 * small cluster (3 masters, 10 agents, 3 services). The base gives the cluster,
 * workload, timing, steady checks, rollbacks and liveness deadline; the fuzzer
 * replaces its method with a random schedule.
 */
import { assert } from '../../core/errors.js';
import type { NodeId } from '../../core/ids.js';
import { COORDINATOR_NODE } from '../../cluster/index.js';
import { schedulerNodeOf } from '../../schedulers/workload.js';
import { parseScenario, type Scenario } from '../scenario/index.js';

/** The default base: small enough for hundreds of seeds a minute, big enough for every fault to matter. */
export const DEFAULT_BASE_YAML = `name: fuzz
description: The fuzzer's default cluster; the method is a random fault schedule.
timing: fast
cluster:
  masters: 3
  agents: {count: 10}
workload:
  services:
    - name: web
      instances: 4
      resources: cpus:0.5;mem:256
    - name: api
      instances: 3
      resources: cpus:1;mem:512
    - name: cache
      instances: 2
      resources: cpus:1;mem:1024
      killSelection: OldestFirst
steady:
  - service web running == 4
  - service api running == 3
  - service cache running == 2
method: []
liveness: 60s
`;

/** The default base scenario (parsed from DEFAULT_BASE_YAML, so every default is the parser's). */
export function defaultBaseScenario(): Scenario {
  const parsed = parseScenario(DEFAULT_BASE_YAML, '<fuzz default>');
  assert(parsed.ok, `the default fuzz base does not parse: ${parsed.ok ? '' : parsed.error.message}`);
  return parsed.value;
}

/** Whatever a fault can be aimed at in a scenario's cluster. */
export interface FuzzTargets {
  readonly masters: readonly NodeId[];
  readonly agents: readonly NodeId[];
  /** Scheduler nodes of every app (`scheduler-<name>`). */
  readonly schedulers: readonly NodeId[];
  /** Service names (kill-task aims at an active task of one). */
  readonly services: readonly string[];
  /** The coordinator's node when there are several masters. */
  readonly coordinator: NodeId | null;
  /** Every node on the network. */
  readonly nodes: readonly NodeId[];
}

/** The targets of a scenario's cluster and workload. */
export function targetsOf(scenario: Scenario): FuzzTargets {
  const masters = Array.from({ length: scenario.cluster.masters }, (_, i) => `master-${i + 1}`);
  const agents = scenario.cluster.agents.map((agent) => agent.host);
  const { services, batch, execute } = scenario.workload;
  const schedulers = [...services, ...batch, ...execute].map((app) => schedulerNodeOf(app.name));
  const coordinator = masters.length > 1 ? COORDINATOR_NODE : null;
  return {
    masters,
    agents,
    schedulers,
    services: services.map((s) => s.name),
    coordinator,
    nodes: [...masters, ...agents, ...schedulers, ...(coordinator === null ? [] : [coordinator])],
  };
}
