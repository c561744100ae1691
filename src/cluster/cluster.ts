/**
 * The `Cluster` interface that the chaos runner, the TUI feed and the
 * commands drive, whatever runs underneath, and `ClusterCore`, the part of
 * every implementation that does not depend on the runtime: assembly, fault
 * meaning, lifecycle events, the one history log and its projection. A
 * runtime supplies node control and its clock; `SimCluster` (src/sim) is a
 * small class over the simulator, the live cluster (src/live) one over real
 * processes.
 */
import type { Actor, ActorFactory } from '../core/actor.js';
import type { AgentDisk } from '../core/agent/index.js';
import { err, ok, type Result } from '../core/errors.js';
import type { ClusterEvent, HistoryRecord, NodeRole } from '../core/events.js';
import { describeFault, type Fault } from '../core/faults.js';
import type { NodeId } from '../core/ids.js';
import { ClusterProjection } from '../core/projection.js';
import type { ClusterState } from '../core/state.js';
import type { Timing } from '../core/timing.js';
import { assembleCluster, type AssemblyHost } from './assemble.js';
import { applyFault, validateFault } from './fault-meaning.js';
import type { HistoryLog} from './history-log.js';
import { type RecordListener } from './history-log.js';
import { Lifecycle } from './lifecycle.js';
import type { NodeControl, NodeStatus } from './node-control.js';
import type { ClusterSpec, FrameworkNodeSpec } from './spec.js';

/** How a cluster's time moves: run by the simulation, or the wall clock. */
export type ClusterClock = 'virtual' | 'wall';

/** A running cluster, as the runner, the TUI feed and the commands see it. */
export interface Cluster {
  readonly seed: string;
  readonly timing: Timing;
  readonly clock: ClusterClock;
  /** Time in ms: virtual in the simulation, since the cluster started on the wall clock. */
  now(): number;
  /** Advances to `timeMs`: runs the simulation there, or waits for the wall clock to get there. */
  advanceTo(timeMs: number): void | Promise<void>;
  /** Master node ids. */
  masters(): readonly NodeId[];
  /** Agent host names. */
  agents(): readonly NodeId[];
  /** Scheduler node ids (built-in and connected frameworks). */
  frameworks(): readonly NodeId[];
  /** Every node on the network, coordinator and schedulers included (for `all` and partitions). */
  networkNodes(): NodeId[];
  /** A node's lifecycle status, or undefined if unknown. */
  nodeStatus(node: NodeId): NodeStatus | undefined;
  /** Node ids with a role, in the order they were added. */
  nodesWithRole(role: NodeRole): NodeId[];
  /** The leading master node, as the history has it. */
  leader(): NodeId | null;
  /** The projected state now. */
  state(): ClusterState;
  /** The history so far (all of it unless the spec set a limit). */
  history(): readonly HistoryRecord[];
  /** Subscribes to new history records; returns the unsubscribe function. */
  onRecord(listener: RecordListener): () => void;
  /** Applies a fault with concrete targets now, recorded in the history first; returns its one-line description. */
  inject(fault: Fault): Result<string>;
  /** A named seeded stream of uniform draws in [0, 1) (fault targets of a scenario). */
  randomStream(name: string): () => number;
  /** Adds a scheduler node at run time (a connected framework) and starts it. */
  addFrameworkNode(spec: FrameworkNodeSpec): Result<true>;
  /** The actor of a running or paused node (a service scheduler, to scale it from the TUI). */
  actorOf(node: NodeId): Actor | null;
  /** Stops everything the cluster started (processes, servers); a simulation just stops. */
  close(): void | Promise<void>;
}

/** What a runtime gives `ClusterCore`. */
export interface ClusterRuntime {
  readonly control: NodeControl;
  readonly log: HistoryLog;
  /** The runtime's executor for an agent host. */
  readonly executorFor: AssemblyHost['executorFor'];
  readonly coordinatorActor: boolean;
}

/**
 * The runtime-independent half of a cluster: assembles the spec's nodes,
 * starts them, applies faults through node control, and projects the history.
 */
export class ClusterCore {
  readonly seed: string;
  readonly timing: Timing;
  readonly log: HistoryLog;
  readonly lifecycle: Lifecycle;
  private readonly projection = new ClusterProjection();
  private readonly control: NodeControl;
  private readonly masterIds: readonly NodeId[];
  private readonly agentHosts: readonly NodeId[];
  private readonly frameworkSpecs: Map<NodeId, FrameworkNodeSpec>;
  private readonly agentDisks: ReadonlyMap<NodeId, AgentDisk>;
  private readonly crashedHosts = new Set<NodeId>();

  constructor(spec: ClusterSpec, runtime: ClusterRuntime) {
    this.seed = spec.seed;
    this.timing = spec.timing;
    this.control = runtime.control;
    this.log = runtime.log;
    this.log.onRecord((record) => this.projection.apply(record));
    if (spec.onRecord) this.log.onRecord(spec.onRecord);
    this.lifecycle = new Lifecycle(this.control, (event) => this.log.emit(event));
    const assembled = assembleCluster(spec, { control: this.control, executorFor: runtime.executorFor, coordinatorActor: runtime.coordinatorActor });
    this.masterIds = assembled.masters;
    this.agentHosts = assembled.agents;
    this.frameworkSpecs = new Map(assembled.frameworks);
    this.agentDisks = assembled.agentDisks;
    this.emit({ type: 'cluster.started', seed: spec.seed, timing: spec.timing.profile, masters: this.masterIds, agents: this.agentHosts });
    for (const node of assembled.startOrder) this.lifecycle.start(node);
  }

  /** Checks a spec before building it: a bad spec is a typed error. */
  static validate(spec: ClusterSpec): Result<true> {
    if (!Number.isInteger(spec.masters) || spec.masters < 1) return err('SPEC_INVALID', 'must be a whole number of at least 1', 'cluster.masters');
    const hosts = new Set<string>();
    for (const [i, agent] of spec.agents.entries()) {
      if (hosts.has(agent.host)) return err('SPEC_INVALID', `host "${agent.host}" is used twice`, `cluster.agents[${i}].host`);
      hosts.add(agent.host);
    }
    return ok(true);
  }

  /** Appends an event to the history. */
  emit(event: ClusterEvent): void {
    this.log.emit(event);
  }

  masters(): readonly NodeId[] {
    return this.masterIds;
  }

  agents(): readonly NodeId[] {
    return this.agentHosts;
  }

  frameworks(): readonly NodeId[] {
    return [...this.frameworkSpecs.keys()];
  }

  networkNodes(): NodeId[] {
    const c = this.control;
    return [...c.nodesWithRole('coordinator'), ...c.nodesWithRole('master'), ...c.nodesWithRole('agent'), ...c.nodesWithRole('scheduler')];
  }

  nodeStatus(node: NodeId): NodeStatus | undefined {
    return this.control.status(node);
  }

  nodesWithRole(role: NodeRole): NodeId[] {
    return this.control.nodesWithRole(role);
  }

  leader(): NodeId | null {
    return this.projection.snapshot().leader?.node ?? null;
  }

  /** The projection's snapshot, stamped with `nowMs`. */
  state(nowMs: number): ClusterState {
    return { ...this.projection.snapshot(), nowMs };
  }

  history(): readonly HistoryRecord[] {
    return this.log.history();
  }

  onRecord(listener: RecordListener): () => void {
    return this.log.onRecord(listener);
  }

  inject(fault: Fault): Result<string> {
    const check = validateFault(fault, this.control);
    if (!check.ok) return check;
    const detail = describeFault(fault);
    this.emit({ type: 'fault.injected', fault, detail });
    applyFault(fault, { control: this.control, lifecycle: this.lifecycle, agentDisks: this.agentDisks, crashedHosts: this.crashedHosts });
    return ok(detail);
  }

  addFrameworkNode(spec: FrameworkNodeSpec): Result<true> {
    if (this.control.role(spec.node) !== undefined) return err('SPEC_INVALID', `node "${spec.node}" exists already`, 'node');
    this.frameworkSpecs.set(spec.node, spec);
    const disk = spec.newDisk();
    const factory: ActorFactory = (ctx) => spec.build(ctx, disk);
    this.control.add(spec.node, 'scheduler', factory);
    this.lifecycle.start(spec.node);
    return ok(true);
  }
}

/** Options of a runtime that a scenario sets beside the topology. */
export interface RuntimeOptions {
  /** One-way latency of every link, uniform in [minMs, maxMs] (the simulator's model; a live runtime may add it with a proxy). */
  readonly latency?: { readonly minMs: number; readonly maxMs: number };
}

/** Builds a cluster of a spec on some runtime: the CLI injects the simulator or the live runtime. */
export type ClusterFactory = (spec: ClusterSpec, options: RuntimeOptions) => Result<Cluster>;
