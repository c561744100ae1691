/**
 * A history builder for tests: hand-written histories that follow PROTOCOL.md
 * and read like stories.
 *
 *   const s = story().start({ agents: ['agent-1', 'agent-2'] })
 *     .subscribe('web').at(1_000).launch('web', 'web.1', 'agent-1').run('web.1');
 *
 * Ids are minted like the master does (`m1-S1`, `m1-0000`, `m1-O1`) so tests can
 * name them; `agentId(host)` and `frameworkId(name)` look them up.
 */
import type { ClusterEvent, HistoryRecord } from '../../../src/core/events.js';
import { describeFault, type Fault } from '../../../src/core/faults.js';
import type { AgentId, FrameworkId, NodeId, OfferId, TaskId } from '../../../src/core/ids.js';
import { ACTIVE_STATES, isTerminal, stateForFramework, type TaskReason, type TaskState } from '../../../src/core/task-state.js';
import { res } from '../../helpers/resources.js';

interface TaskFacts {
  readonly frameworkId: FrameworkId;
  agentId: AgentId;
  /** What the agent says (task.status). */
  truth: TaskState;
  /** What the master says (task.updated). */
  master: TaskState;
}

interface FrameworkFacts {
  readonly frameworkId: FrameworkId;
  readonly node: NodeId;
  readonly partitionAware: boolean;
}


/** A history under construction. */
export class Story {
  readonly records: HistoryRecord[] = [];
  private nowMs = 0;
  private seq = 0;
  private masterId = 'm1';
  private epoch = 0;
  private agentN = 0;
  private offerN = 0;
  private frameworkN = 0;
  private uuidN = 0;
  private readonly agentsByHost = new Map<NodeId, AgentId>();
  private readonly hostsByAgent = new Map<AgentId, NodeId>();
  private readonly frameworksByName = new Map<string, FrameworkFacts>();
  readonly taskFacts = new Map<TaskId, TaskFacts>();
  private readonly unreachableAgents = new Set<AgentId>();

  /** Sets the clock (never backwards). */
  at(ms: number): this {
    if (ms < this.nowMs) throw new Error(`story: time goes back from ${this.nowMs} to ${ms}`);
    this.nowMs = ms;
    return this;
  }

  /** Moves the clock forward. */
  after(ms: number): this {
    return this.at(this.nowMs + ms);
  }

  /** The clock now. */
  now(): number {
    return this.nowMs;
  }

  /** Appends one raw event at the current time. */
  emit(event: ClusterEvent): this {
    this.records.push({ seq: this.seq, atMs: this.nowMs, ...event } as HistoryRecord);
    this.seq += 1;
    return this;
  }

  /** The agent id currently registered for a host. */
  agentId(host: NodeId): AgentId {
    const id = this.agentsByHost.get(host);
    if (!id) throw new Error(`story: no agent on ${host}`);
    return id;
  }

  /** The framework id of a framework name. */
  frameworkId(name: string): FrameworkId {
    const fw = this.frameworksByName.get(name);
    if (!fw) throw new Error(`story: no framework ${name}`);
    return fw.frameworkId;
  }

  /** cluster.started, every node started, master-1 elected, every agent registered. */
  start(options: { masters?: NodeId[]; agents?: NodeId[]; resources?: string; seed?: string } = {}): this {
    const masters = options.masters ?? ['master-1'];
    const agents = options.agents ?? ['agent-1', 'agent-2', 'agent-3'];
    this.emit({ type: 'cluster.started', seed: options.seed ?? '42', timing: 'fast', masters, agents });
    for (const node of masters) this.emit({ type: 'node.started', node, role: 'master' });
    for (const node of agents) this.emit({ type: 'node.started', node, role: 'agent' });
    this.elect(masters[0] ?? 'master-1');
    for (const host of agents) this.registerAgent(host, options.resources ?? 'cpus:4;mem:4096;ports:[31000-32000]');
    return this;
  }

  /** master.elected with the next epoch; the new leader mints ids with a new master id. */
  elect(node: NodeId, epoch = this.epoch + 1): this {
    this.epoch = epoch;
    this.masterId = `m${epoch}`;
    return this.emit({ type: 'master.elected', node, masterId: this.masterId, epoch });
  }

  /** The epoch of the current leader. */
  currentEpoch(): number {
    return this.epoch;
  }

  /** agent.registered with a fresh id for the host. */
  registerAgent(host: NodeId, resources = 'cpus:4;mem:4096;ports:[31000-32000]'): this {
    this.agentN += 1;
    const agentId = `${this.masterId}-S${this.agentN}`;
    this.agentsByHost.set(host, agentId);
    this.hostsByAgent.set(agentId, host);
    this.emit({ type: 'registry.committed', node: 'master-1', epoch: this.epoch, ops: [`admit ${agentId}`, `reserve_agent_number ${this.agentN + 1}`] });
    return this.emit({ type: 'agent.registered', agentId, host, resources: res(resources), attributes: {}, epoch: this.epoch });
  }

  /** framework.subscribed from `scheduler-<name>`. */
  subscribe(name: string, options: { partitionAware?: boolean; failoverTimeoutMs?: number } = {}): this {
    const frameworkId = `${this.masterId}-${String(this.frameworkN).padStart(4, '0')}`;
    this.frameworkN += 1;
    const node = `scheduler-${name}`;
    const partitionAware = options.partitionAware ?? true;
    this.frameworksByName.set(name, { frameworkId, node, partitionAware });
    return this.emit({
      type: 'framework.subscribed',
      frameworkId,
      name,
      node,
      roles: ['*'],
      partitionAware,
      failoverTimeoutMs: options.failoverTimeoutMs ?? 60_000,
      epoch: this.epoch,
    });
  }

  /** offer.created to a framework on a host; returns the offer id through `onId`. */
  offer(framework: string, host: NodeId, resources: string, onId?: (id: OfferId) => void): this {
    this.offerN += 1;
    const offerId = `${this.masterId}-O${this.offerN}`;
    onId?.(offerId);
    return this.emit({ type: 'offer.created', offerId, frameworkId: this.frameworkId(framework), agentId: this.agentId(host), resources: res(resources) });
  }

  /** An offer for exactly the task, accepted, the task launched and STAGING (as the master does it). */
  launch(framework: string, taskId: TaskId, host: NodeId, resources = 'cpus:1;mem:128', options: { name?: string; labels?: Record<string, string> } = {}): this {
    let offerId = '';
    this.offer(framework, host, resources, (id) => (offerId = id));
    const frameworkId = this.frameworkId(framework);
    const agentId = this.agentId(host);
    this.emit({ type: 'offer.accepted', offerId, frameworkId, taskIds: [taskId] });
    this.emit({ type: 'task.launched', taskId, frameworkId, agentId, name: options.name ?? framework, resources: res(resources), labels: options.labels ?? {}, epoch: this.epoch });
    this.taskFacts.set(taskId, { frameworkId, agentId, truth: 'TASK_STAGING', master: 'TASK_STAGING' });
    return this.emit({ type: 'task.updated', taskId, frameworkId, agentId, state: 'TASK_STAGING', reason: null, source: 'SOURCE_MASTER', message: null });
  }

  /**
   * An agent-generated update, the whole way: task.status (new uuid), the master
   * records it, the scheduler gets it and acks, the agent drops it.
   */
  status(taskId: TaskId, state: TaskState, options: { reason?: TaskReason; deliver?: boolean } = {}): this {
    const facts = this.facts(taskId);
    this.uuidN += 1;
    const uuid = `u${this.uuidN}`;
    const reason = options.reason ?? null;
    facts.truth = state;
    facts.master = state;
    this.emit({ type: 'task.status', taskId, frameworkId: facts.frameworkId, agentId: facts.agentId, host: this.host(facts.agentId), state, reason, uuid });
    this.emit({ type: 'task.updated', taskId, frameworkId: facts.frameworkId, agentId: facts.agentId, state, reason, source: 'SOURCE_EXECUTOR', message: null });
    if (options.deliver === false) return this;
    this.emit({ type: 'status.delivered', frameworkId: facts.frameworkId, taskId, state, reason, uuid, epoch: this.epoch });
    this.emit({ type: 'status.acknowledged', frameworkId: facts.frameworkId, taskId, uuid });
    return this.emit({ type: 'status.ack_received', agentId: facts.agentId, taskId, uuid });
  }

  /** STARTING then RUNNING. */
  run(...taskIds: TaskId[]): this {
    for (const taskId of taskIds) this.status(taskId, 'TASK_STARTING').status(taskId, 'TASK_RUNNING');
    return this;
  }

  /** A fault, as the runtime records it. */
  fault(fault: Fault): this {
    return this.emit({ type: 'fault.injected', fault, detail: describeFault(fault) });
  }

  /** kill-agent: the fault and the host dies with its tasks. */
  killHost(host: NodeId): this {
    this.fault({ kind: 'kill-agent', node: host });
    for (const facts of this.taskFacts.values()) if (this.host(facts.agentId) === host && !isTerminal(facts.truth)) facts.truth = 'TASK_GONE';
    return this.emit({ type: 'node.stopped', node: host, role: 'agent', reason: 'killed' });
  }

  /**
   * The master marks the host's agent unreachable: the event, then every active
   * task UNREACHABLE (LOST for non-partition-aware frameworks), told to its scheduler.
   */
  unreachable(host: NodeId): this {
    const agentId = this.agentId(host);
    this.unreachableAgents.add(agentId);
    this.emit({ type: 'registry.committed', node: 'master-1', epoch: this.epoch, ops: [`mark_unreachable ${agentId}`] });
    this.emit({ type: 'agent.unreachable', agentId, host, epoch: this.epoch });
    for (const [taskId, facts] of this.taskFacts) {
      if (facts.agentId !== agentId || isTerminal(facts.master)) continue;
      const state = stateForFramework('TASK_UNREACHABLE', this.frameworkFacts(facts.frameworkId).partitionAware);
      facts.master = state;
      this.emit({ type: 'task.updated', taskId, frameworkId: facts.frameworkId, agentId, state, reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER', message: null });
      this.emit({ type: 'status.delivered', frameworkId: facts.frameworkId, taskId, state, reason: 'REASON_AGENT_REMOVED', uuid: null, epoch: this.epoch });
    }
    return this;
  }

  /** The host's agent comes back: agent.reregistered and the latest states re-sent (no uuid). */
  reregister(host: NodeId): this {
    const agentId = this.agentId(host);
    if (this.unreachableAgents.delete(agentId)) this.emit({ type: 'registry.committed', node: 'master-1', epoch: this.epoch, ops: [`mark_reachable ${agentId}`] });
    this.emit({ type: 'agent.reregistered', agentId, host, resources: res('cpus:4;mem:4096;ports:[31000-32000]'), epoch: this.epoch });
    for (const [taskId, facts] of this.taskFacts) {
      if (facts.agentId !== agentId || isTerminal(facts.truth) || facts.master === facts.truth) continue;
      facts.master = facts.truth;
      const reason = 'REASON_AGENT_REREGISTERED';
      this.emit({ type: 'task.updated', taskId, frameworkId: facts.frameworkId, agentId, state: facts.truth, reason, source: 'SOURCE_MASTER', message: null });
      this.emit({ type: 'status.delivered', frameworkId: facts.frameworkId, taskId, state: facts.truth, reason, uuid: null, epoch: this.epoch });
    }
    return this;
  }

  /** Whether the task is active by the agent's account. */
  isActive(taskId: TaskId): boolean {
    return ACTIVE_STATES.has(this.facts(taskId).truth);
  }

  /** The host of an agent id. */
  host(agentId: AgentId): NodeId {
    const host = this.hostsByAgent.get(agentId);
    if (!host) throw new Error(`story: unknown agent ${agentId}`);
    return host;
  }

  private facts(taskId: TaskId): TaskFacts {
    const facts = this.taskFacts.get(taskId);
    if (!facts) throw new Error(`story: unknown task ${taskId}`);
    return facts;
  }

  private frameworkFacts(frameworkId: FrameworkId): FrameworkFacts {
    for (const fw of this.frameworksByName.values()) if (fw.frameworkId === frameworkId) return fw;
    throw new Error(`story: unknown framework ${frameworkId}`);
  }
}

/** A new, empty story. */
export function story(): Story {
  return new Story();
}
