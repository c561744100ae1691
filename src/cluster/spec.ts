/**
 * The topology of a cluster, independent of any runtime: how many masters,
 * which agents with what resources, which frameworks, the timing and the DRF
 * weights. Nothing of the simulator is here (its network model and simulated
 * executor are options of src/sim); the live runtime builds the same spec
 * from real processes. Schedulers come in as opaque node specs (built by
 * src/schedulers' `frameworkNodesOf`), wired to the cluster's leader source.
 */
import type { Actor, ActorContext } from '../core/actor.js';
import type { HistoryRecord } from '../core/events.js';
import type { LeaderSource } from '../core/detector.js';
import type { NodeId } from '../core/ids.js';
import type { Attributes } from '../core/messages.js';
import { resources as makeResources, type Resources } from '../core/resources.js';
import type { Timing } from '../core/timing.js';

/** One agent host. */
export interface AgentSpec {
  readonly host: NodeId;
  readonly resources: Resources;
  readonly attributes: Attributes;
}

/** A scheduler process (structurally the `FrameworkNode` of src/schedulers). */
export interface FrameworkNodeSpec {
  readonly node: NodeId;
  readonly name: string;
  readonly kind: string;
  /** Its checkpoint, kept by the runtime across a scheduler restart. */
  newDisk(): unknown;
  build(ctx: ActorContext, disk: unknown): Actor;
}

/** A whole cluster. */
export interface ClusterSpec {
  readonly seed: string;
  readonly timing: Timing;
  /** Number of masters (one leads; more than one needs the coordinator). */
  readonly masters: number;
  readonly agents: readonly AgentSpec[];
  /** The schedulers, given the leader source they must use. */
  readonly frameworks?: (leader: LeaderSource) => readonly FrameworkNodeSpec[];
  /** DRF role weights. */
  readonly weights?: Readonly<Record<string, number>>;
  /** History records kept in memory (null: all, the default; 0: none). */
  readonly historyLimit?: number | null;
  /** Called with every record from the first one on (those emitted while the cluster is built included). */
  readonly onRecord?: (record: HistoryRecord) => void;
}

/** Master node ids: master-1..n. */
export function masterNodes(count: number): NodeId[] {
  return Array.from({ length: count }, (_, i) => `master-${i + 1}`);
}

/** The coordinator's node id (master HA). */
export const COORDINATOR_NODE: NodeId = 'coordinator';

/** How agents and schedulers find the leader in a cluster of `masters` masters. */
export function leaderSourceOf(masters: number): LeaderSource {
  return masters <= 1 ? { kind: 'static', master: 'master-1' } : { kind: 'coordinator', coordinator: COORDINATOR_NODE };
}

/** `count` identical agents named agent-1..n. */
export function uniformAgents(count: number, resources: Resources = makeResources({ cpus: 4, mem: 8192, disk: 10240, ports: [{ begin: 31000, end: 32000 }] }), attributes: Attributes = {}): AgentSpec[] {
  return Array.from({ length: count }, (_, i) => ({ host: `agent-${i + 1}`, resources, attributes }));
}
