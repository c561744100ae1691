/**
 * The embedded simulation as the world the Mesos HTTP API serves
 * (src/live/http/world.ts). The one place that puts an HTTP framework's node
 * on the simulated network: re-point `addFrameworkNode` here when the cluster
 * layer's Cluster interface takes it over.
 */
import type { NodeId } from '../core/ids.js';
import type { ServedWorld } from '../live/http/world.js';
import type { SimCluster } from '../sim/cluster.js';

/** A SimCluster seen through the HTTP API's ServedWorld. */
export function servedWorldOf(cluster: SimCluster): ServedWorld {
  return {
    state: () => cluster.state(),
    onRecord: (listener) => cluster.onRecord(listener),
    masters: () => cluster.masters(),
    masterRunning: (node: NodeId) => cluster.runtime.status(node) !== 'stopped',
    addFrameworkNode: (node, factory) => cluster.runtime.addNode(node, 'scheduler', factory),
  };
}
