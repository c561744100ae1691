/**
 * The embedded simulation as the world the Mesos HTTP API serves
 * (src/live/http/world.ts). The one place that puts an HTTP framework's node
 * on the cluster's network (through the Cluster interface).
 */
import { assert } from '../core/errors.js';
import type { NodeId } from '../core/ids.js';
import type { Cluster } from '../cluster/index.js';
import type { ServedWorld } from '../live/http/world.js';

/** A cluster seen through the HTTP API's ServedWorld. */
export function servedWorldOf(cluster: Cluster): ServedWorld {
  return {
    state: () => cluster.state(),
    onRecord: (listener) => cluster.onRecord(listener),
    masters: () => cluster.masters(),
    masterRunning: (node: NodeId) => cluster.nodeStatus(node) !== 'stopped',
    addFrameworkNode: (node, factory) => {
      const added = cluster.addFrameworkNode({ node, name: node, kind: 'http', newDisk: () => null, build: (ctx) => factory(ctx) });
      // The endpoint mints a fresh node id for every connection, so a clash is a bug.
      assert(added.ok, `framework node ${node} exists already`);
    },
  };
}
