/**
 * The simulator injected where the layers above ask for a runtime: the
 * `ClusterFactory` that builds a SimCluster, and the scenario runner over it
 * (what `faultline run`, `fuzz`, the TUI and the tests run scenarios with).
 */
import { ok } from '../core/errors.js';
import type { ClusterFactory } from '../cluster/index.js';
import { createScenarioRunner } from '../chaos/runner/index.js';
import { SimCluster } from '../sim/cluster.js';

/** Builds a simulated cluster; a scenario's latency becomes the simulated network's. */
export const simClusterFactory: ClusterFactory = (spec, options) => {
  const latency = options.latency;
  const created = SimCluster.create({ ...spec, ...(latency ? { network: { latencyMinMs: latency.minMs, latencyMaxMs: latency.maxMs } } : {}) });
  return created.ok ? ok(created.value) : created;
};

/** Runs a parsed scenario in the simulator. */
export const runScenario = createScenarioRunner(simClusterFactory);

/** The fuzz worker module beside this one: `fuzz-worker.ts` from source, `fuzz-worker.js` when built. */
export function fuzzWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './fuzz-worker.ts' : './fuzz-worker.js', import.meta.url);
}
