/**
 * A cluster (the Cluster interface of src/cluster) as the world the Mesos HTTP
 * API serves (src/live/http/world.ts): an HTTP framework's proxy goes on the
 * cluster's network through `Cluster.addFrameworkNode`.
 */
import { assert } from '../core/errors.js';
import type { NodeId } from '../core/ids.js';
import type { Cluster } from '../cluster/index.js';
import type { ServedWorld } from '../live/http/world.js';

/** A Cluster seen through the HTTP API's ServedWorld. */
export function servedWorldOf(cluster: Cluster): ServedWorld {
  return {
    state: () => cluster.state(),
    onRecord: (listener) => cluster.onRecord(listener),
    masters: () => cluster.masters(),
    masterRunning: (node: NodeId) => cluster.nodeStatus(node) !== 'stopped',
    addFrameworkNode: (node, factory) => {
      const added = cluster.addFrameworkNode({ node, name: node, kind: 'http-api', newDisk: () => null, build: (ctx) => factory(ctx) });
      // The endpoint mints fresh node ids: a refusal is a bug.
      assert(added.ok, `cannot add ${node}: ${added.ok ? '' : added.error.message}`);
    },
  };
}
