/**
 * The part of a `Cluster` that only asks `ClusterCore`: topology, node
 * status, the leader, the state, the history and faults. `SimCluster` and the
 * live cluster extend it and add what their runtime owns (the clock, random
 * streams, actors, closing).
 */
import type { Actor } from '../core/actor.js';
import type { Result } from '../core/errors.js';
import type { HistoryRecord, NodeRole } from '../core/events.js';
import type { Fault } from '../core/faults.js';
import type { NodeId } from '../core/ids.js';
import type { ClusterState } from '../core/state.js';
import type { Timing } from '../core/timing.js';
import type { Cluster, ClusterClock, ClusterCore } from './cluster.js';
import type { RecordListener } from './history-log.js';
import type { NodeStatus } from './node-control.js';
import type { FrameworkNodeSpec } from './spec.js';

/** A cluster whose runtime-independent half is a ClusterCore. */
export abstract class CoreBackedCluster implements Cluster {
  abstract readonly clock: ClusterClock;
  abstract readonly seed: string;
  abstract readonly timing: Timing;
  protected abstract readonly core: ClusterCore;

  abstract now(): number;
  abstract advanceTo(timeMs: number): void | Promise<void>;
  abstract randomStream(name: string): () => number;
  abstract actorOf(node: NodeId): Actor | null;
  abstract close(): void | Promise<void>;

  masters(): readonly NodeId[] {
    return this.core.masters();
  }

  agents(): readonly NodeId[] {
    return this.core.agents();
  }

  frameworks(): readonly NodeId[] {
    return this.core.frameworks();
  }

  networkNodes(): NodeId[] {
    return this.core.networkNodes();
  }

  nodeStatus(node: NodeId): NodeStatus | undefined {
    return this.core.nodeStatus(node);
  }

  nodesWithRole(role: NodeRole): NodeId[] {
    return this.core.nodesWithRole(role);
  }

  leader(): NodeId | null {
    return this.core.leader();
  }

  state(): ClusterState {
    return this.core.state(this.now());
  }

  history(): readonly HistoryRecord[] {
    return this.core.history();
  }

  onRecord(listener: RecordListener): () => void {
    return this.core.onRecord(listener);
  }

  inject(fault: Fault): Result<string> {
    return this.core.inject(fault);
  }

  addFrameworkNode(spec: FrameworkNodeSpec): Result<true> {
    return this.core.addFrameworkNode(spec);
  }
}
