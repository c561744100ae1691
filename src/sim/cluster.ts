/**
 * The Cluster facade: builds a simulated cluster from a spec, runs it until a
 * time or a condition, injects faults, and exposes the history and the
 * projected snapshot. The chaos runner, the TUI feed, `faultline sim` and the
 * tests all drive the simulation through this class.
 */
import { createAgent, newAgentDisk, rebootAgentDisk, type AgentDisk } from '../core/agent/index.js';
import { createDrfAllocator } from '../core/allocator/drf.js';
import { err, ok, type Result } from '../core/errors.js';
import type { HistoryRecord } from '../core/events.js';
import { describeFault, type Fault } from '../core/faults.js';
import type { NodeId } from '../core/ids.js';
import { createCoordinator, type CoordinatorActor } from '../core/coordinator/coordinator.js';
import { createHaMaster, createMaster } from '../core/master/index.js';
import { ClusterProjection } from '../core/projection.js';
import type { ClusterState } from '../core/state.js';
import type { Timing } from '../core/timing.js';
import { DEFAULT_EXECUTOR, SimExecutors } from './executor.js';
import { SimRuntime, type RecordListener } from './runtime.js';
import { COORDINATOR_NODE, leaderSourceOf, masterNodes, type ClusterSpec, type FrameworkNodeSpec } from './spec.js';
import { applyNetworkFault } from './network-faults.js';

/** A running simulated cluster. */
export class SimCluster {
  readonly seed: string;
  readonly timing: Timing;
  readonly runtime: SimRuntime;
  readonly executors: SimExecutors;
  private readonly projection = new ClusterProjection();
  private readonly agentDisks = new Map<NodeId, AgentDisk>();
  private readonly crashedHosts = new Set<NodeId>();
  private readonly frameworkSpecs = new Map<NodeId, FrameworkNodeSpec>();
  private readonly masterIds: NodeId[];
  private readonly agentHosts: NodeId[];

  private constructor(spec: ClusterSpec) {
    this.seed = spec.seed;
    this.timing = spec.timing;
    this.runtime = new SimRuntime({ seed: spec.seed, network: spec.network, historyLimit: spec.historyLimit });
    this.executors = new SimExecutors(this.runtime, this.runtime.streams.get('workload:executor'), { ...DEFAULT_EXECUTOR, ...spec.executor });
    this.runtime.onRecord((record) => this.projection.apply(record));
    if (spec.onRecord) this.runtime.onRecord(spec.onRecord);
    this.masterIds = masterNodes(spec.masters);
    this.agentHosts = spec.agents.map((a) => a.host);
    const leader = leaderSourceOf(spec.masters);
    this.runtime.emit({ type: 'cluster.started', seed: spec.seed, timing: spec.timing.profile, masters: this.masterIds, agents: this.agentHosts });

    const newAllocator = () => createDrfAllocator({ weights: spec.weights ?? {} });
    if (this.masterIds.length === 1) {
      this.runtime.addNode(this.masterIds[0] as NodeId, 'master', (ctx) => createMaster(ctx, { timing: spec.timing, allocator: newAllocator(), weights: spec.weights }));
    } else {
      this.runtime.addNode(COORDINATOR_NODE, 'coordinator', (ctx) => createCoordinator(ctx));
      for (const node of this.masterIds) {
        this.runtime.addNode(node, 'master', (ctx) => createHaMaster(ctx, { timing: spec.timing, coordinator: COORDINATOR_NODE, newAllocator, weights: spec.weights }));
      }
    }
    for (const agent of spec.agents) {
      const disk = newAgentDisk();
      this.agentDisks.set(agent.host, disk);
      this.runtime.addNode(agent.host, 'agent', (ctx) =>
        createAgent(ctx, {
          resources: agent.resources,
          attributes: agent.attributes,
          timing: spec.timing,
          leader,
          executor: this.executors.executorFor(agent.host),
          disk,
        }),
      );
    }
    for (const framework of spec.frameworks?.(leader) ?? []) {
      this.frameworkSpecs.set(framework.node, framework);
      const disk = framework.newDisk();
      this.runtime.addNode(framework.node, 'scheduler', (ctx) => framework.build(ctx, disk));
    }
  }

  /** Builds and starts a cluster; a bad spec is a typed error. */
  static create(spec: ClusterSpec): Result<SimCluster> {
    if (!Number.isInteger(spec.masters) || spec.masters < 1) return err('SPEC_INVALID', 'must be a whole number of at least 1', 'cluster.masters');
    const hosts = new Set<string>();
    for (const [i, agent] of spec.agents.entries()) {
      if (hosts.has(agent.host)) return err('SPEC_INVALID', `host "${agent.host}" is used twice`, `cluster.agents[${i}].host`);
      hosts.add(agent.host);
    }
    return ok(new SimCluster(spec));
  }

  /** Virtual time in ms. */
  now(): number {
    return this.runtime.now();
  }

  /** Master node ids. */
  masters(): readonly NodeId[] {
    return this.masterIds;
  }

  /** Agent host names. */
  agents(): readonly NodeId[] {
    return this.agentHosts;
  }

  /** The leading master node, as the coordinator (or the single master) has it. */
  leader(): NodeId | null {
    return this.projection.snapshot().leader?.node ?? null;
  }

  /** Scheduler node ids. */
  frameworks(): readonly NodeId[] {
    return [...this.frameworkSpecs.keys()];
  }

  /** The scheduler actor of a framework node (for scaling a service from the TUI). */
  schedulerActor(node: NodeId): unknown {
    return this.runtime.actor(node);
  }

  /** Runs the simulation for `ms` of virtual time. */
  runFor(ms: number): void {
    this.runtime.runUntil(this.runtime.now() + ms);
  }

  /** Runs until virtual time `timeMs`. */
  runUntil(timeMs: number): void {
    this.runtime.runUntil(timeMs);
  }

  /**
   * Runs until `condition` holds (checked every `checkEveryMs` of virtual time) or
   * `timeoutMs` passes. Returns whether it held.
   */
  runUntilCondition(condition: (cluster: SimCluster) => boolean, options: { timeoutMs: number; checkEveryMs?: number }): boolean {
    const step = options.checkEveryMs ?? 100;
    const deadline = this.now() + options.timeoutMs;
    while (!condition(this)) {
      if (this.now() >= deadline) return false;
      this.runUntil(Math.min(deadline, this.now() + step));
    }
    return true;
  }

  /** The projected snapshot now. */
  state(): ClusterState {
    return { ...this.projection.snapshot(), nowMs: this.now() };
  }

  /** The history so far. */
  history(): readonly HistoryRecord[] {
    return this.runtime.history();
  }

  /** Subscribes to new history records. */
  onRecord(listener: RecordListener): () => void {
    return this.runtime.onRecord(listener);
  }

  /** Applies a fault with concrete targets; records it in the history first. */
  inject(fault: Fault): Result<string> {
    const check = this.validate(fault);
    if (!check.ok) return check;
    const detail = describeFault(fault);
    this.runtime.emit({ type: 'fault.injected', fault, detail });
    this.apply(fault);
    return ok(detail);
  }

  private validate(fault: Fault): Result<true> {
    const known = (node: NodeId, role: 'agent' | 'master' | 'scheduler'): Result<true> =>
      this.runtime.role(node) === role ? ok(true) : err('UNKNOWN_TARGET', `no ${role} named "${node}"`, 'target');
    switch (fault.kind) {
      case 'kill-agent':
      case 'restart-agent':
      case 'pause-agent':
      case 'resume-agent':
        return known(fault.node, 'agent');
      case 'kill-master':
      case 'restart-master':
      case 'pause-master':
      case 'resume-master':
      case 'failover':
        return known(fault.node, 'master');
      case 'crash-framework':
      case 'restart-framework':
        return known(fault.node, 'scheduler');
      case 'kill-task':
        return this.executors.hostOf(fault.taskId) === undefined ? err('UNKNOWN_TARGET', `no live task "${fault.taskId}"`, 'target') : ok(true);
      case 'partition':
      case 'heal':
      case 'link':
      case 'clog':
      case 'unclog':
      case 'swizzle-clog': {
        const nodes = fault.kind === 'partition' ? fault.groups.flat() : fault.kind === 'link' ? [...fault.from, ...fault.to] : fault.kind === 'heal' ? [] : fault.nodes;
        const unknown = nodes.find((n) => !this.runtime.has(n));
        return unknown === undefined ? ok(true) : err('UNKNOWN_TARGET', `no node named "${unknown}"`, 'target');
      }
    }
  }

  private apply(fault: Fault): void {
    const rt = this.runtime;
    switch (fault.kind) {
      case 'kill-agent':
        // A host crash: the agent process and its tasks die together.
        rt.stop(fault.node, 'killed');
        this.executors.crashHost(fault.node);
        this.crashedHosts.add(fault.node);
        return;
      case 'restart-agent': {
        const disk = this.agentDisks.get(fault.node);
        if (this.crashedHosts.delete(fault.node)) {
          // Host reboot: the agent cannot recover its old id and registers as new.
          if (disk) rebootAgentDisk(disk);
        } else {
          // Process restart: tasks survive, the agent recovers its checkpoint.
          rt.stop(fault.node, 'restarted');
        }
        rt.start(fault.node);
        this.executors.reattach(fault.node);
        return;
      }
      case 'pause-agent':
      case 'pause-master':
        rt.pause(fault.node);
        return;
      case 'resume-agent':
      case 'resume-master':
        rt.resume(fault.node);
        return;
      case 'kill-master':
        rt.stop(fault.node, 'killed');
        return;
      case 'restart-master':
        rt.stop(fault.node, 'restarted');
        rt.start(fault.node);
        return;
      case 'failover': {
        // With a coordinator the leader's session is expired (it aborts and a standby takes over);
        // with one master, failing over is a restart of that master.
        const coordinator = rt.actor(COORDINATOR_NODE) as CoordinatorActor | null;
        if (coordinator) coordinator.expireSessionsOf(fault.node);
        else {
          rt.stop(fault.node, 'failover');
          rt.start(fault.node);
        }
        return;
      }
      case 'kill-task':
        this.executors.kill(fault.taskId, 'killed by an operator');
        return;
      case 'crash-framework':
        rt.stop(fault.node, 'crashed');
        return;
      case 'restart-framework':
        rt.stop(fault.node, 'restarted');
        rt.start(fault.node);
        return;
      case 'partition':
      case 'heal':
      case 'link':
      case 'clog':
      case 'unclog':
      case 'swizzle-clog':
        applyNetworkFault(rt, fault);
        return;
    }
  }
}
