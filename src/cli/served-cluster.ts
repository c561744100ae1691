/**
 * A cluster (the Cluster interface of src/cluster) as the world the Mesos HTTP
 * API serves (src/live/http/world.ts): an HTTP framework's proxy goes on the
 * cluster's network through `Cluster.addFrameworkNode`.
 */
import { assert } from '../core/errors.js';
import type { NodeId } from '../core/ids.js';
import type { Cluster } from '../cluster/index.js';
import type { ServedWorld } from '../live/http/world.js';
import type { ServeApi } from './external-frameworks.js';

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

/** The operator stream's heartbeat of a cluster served for a scenario run (scheduler heartbeats follow the scenario's timing). */
const RUN_OPERATOR_HEARTBEAT_MS = 15_000;

/** `faultline run`'s ServeApi (src/cli/external-frameworks.ts): every master on a free port of 127.0.0.1; frameworks get master-1 and follow 307s. */
export const serveClusterApi: ServeApi = async (cluster) => {
  const { serveMesosApi } = await import('../live/http/server.js');
  const api = await serveMesosApi({ world: servedWorldOf(cluster), host: '127.0.0.1', port: 0, heartbeatIntervalMs: RUN_OPERATOR_HEARTBEAT_MS });
  const first = api.masters[0];
  assert(first !== undefined, 'a cluster has at least one master');
  return { masterAddress: `${first.address.ip}:${first.address.port}`, close: () => api.close() };
};
