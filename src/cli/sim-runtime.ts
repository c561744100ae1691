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

/** The fuzz worker module beside this one: `fuzz-worker.ts` from source, `fuzz-worker.js` when built, the bundle's own entry in dist/bundle. */
export function fuzzWorkerUrl(): URL {
  const here = import.meta.url;
  const bundle = here.indexOf('/dist/bundle/');
  if (bundle >= 0) return new URL(`${here.slice(0, bundle)}/dist/bundle/fuzz-worker.js`);
  return new URL(here.endsWith('.ts') ? './fuzz-worker.ts' : './fuzz-worker.js', here);
}
