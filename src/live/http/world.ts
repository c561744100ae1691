/**
 * What the HTTP API needs of the cluster it serves: the projected state, the
 * history as it grows, the masters and whether each runs, and a way to put a
 * framework's proxy on the cluster's network. The CLI implements it over the
 * embedded simulation (src/cli/served-cluster.ts); a live runtime can too.
 */
import type { ActorFactory } from '../../core/actor.js';
import type { HistoryRecord } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import type { ClusterState } from '../../core/state.js';

/** The cluster as the HTTP API sees it. */
export interface ServedWorld {
  /** The projected state now. */
  state(): ClusterState;
  /** Every history record from now on; returns the unsubscribe function. */
  onRecord(listener: (record: HistoryRecord) => void): () => void;
  /** Master node ids, in port order. */
  masters(): readonly NodeId[];
  /** Whether the master's process runs (a stopped one refuses connections). */
  masterRunning(node: NodeId): boolean;
  /** Adds a framework node (role scheduler) to the cluster's network and starts it. */
  addFrameworkNode(node: NodeId, factory: ActorFactory): void;
}
