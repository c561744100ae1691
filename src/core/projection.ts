/**
 * The projection: folds HistoryRecords into a ClusterState, incrementally.
 * `apply` does O(1) work per event (O(k) for events about an agent or framework
 * with k tasks or offers); `snapshot` hands out the live maps as ReadonlyMaps and
 * builds only the small counts object, and only when something changed.
 *
 * Views are immutable values: a change replaces the entry in its map, so a
 * reader can tell a changed row by identity. The maps themselves are live: a
 * snapshot taken earlier shows later changes, copy them to freeze a picture.
 *
 * Derived rules (the events carry the facts, these are the readings):
 * - an agent's display state is `removed` if the registry removed it, else the
 *   host's condition (`down` after node.stopped, `paused` after node.paused),
 *   else what the master said (registered, unreachable, disconnected);
 * - a task holds resources (agent and framework `used`, `taskCount`,
 *   `activeTasks`) while it is not terminal and its agent is not removed;
 * - offers vanish when accepted, declined or rescinded, when their agent or
 *   framework goes, and when the leader that made them loses leadership;
 * - totals are over agents whose display state is `registered`.
 */
import { assertNever } from './errors.js';
import type { HistoryRecord } from './events.js';
import type { AgentId, FrameworkId, NodeId, OfferId, TaskId } from './ids.js';
import { add, EMPTY_RESOURCES, subtract, type Resources } from './resources.js';
import { AGENT_STATES, type AgentState, type AgentView, type ClusterCounts, type ClusterState, type FrameworkView, type MasterView, type OfferView, type TaskStatusLine, type TaskView } from './state.js';
import { isTerminal, TASK_STATES, type TaskState } from './task-state.js';
import { BoundedSet, IdQueue } from './projection/id-queue.js';
import { addScalars, ScalarTally, subtractScalars } from './projection/tally.js';

/** Options of the projection. */
export interface ProjectionOptions {
  /** Terminal tasks kept for display; the oldest are evicted beyond this (counts stay exact). Default 5,000. */
  readonly maxTerminalTasks?: number;
  /** Status lines kept per task for the describe pane. Default 20. */
  readonly statusHistoryLength?: number;
  /** Evicted task ids remembered so late duplicate updates do not resurrect them. Default 20 x maxTerminalTasks. */
  readonly maxTombstones?: number;
}

/** What the master's registry says about an agent. */
type RegistryState = 'registered' | 'unreachable' | 'removed' | 'disconnected';
/** What the runtime says about a node's process. */
type NodeCondition = 'up' | 'paused' | 'down';
type MasterRole = 'leading' | 'standby';

interface AgentBook {
  registry: RegistryState;
  /** Every retained task on the agent (holding or not). */
  readonly tasks: Set<TaskId>;
  readonly offers: Set<OfferId>;
}

type Leader = NonNullable<ClusterState['leader']>;

/** The incremental fold from history records to a ClusterState. */
export class ClusterProjection {
  private readonly maxTerminalTasks: number;
  private readonly statusHistoryLength: number;

  private nowMs = 0;
  private seed: string | null = null;
  private leader: Leader | null = null;
  private readonly masters = new Map<NodeId, MasterView>();
  private readonly agents = new Map<AgentId, AgentView>();
  private readonly frameworks = new Map<FrameworkId, FrameworkView>();
  private readonly tasks = new Map<TaskId, TaskView>();
  private readonly offers = new Map<OfferId, OfferView>();

  private readonly masterRoles = new Map<NodeId, MasterRole>();
  private readonly conditions = new Map<NodeId, NodeCondition>();
  private readonly hostAgents = new Map<NodeId, AgentId[]>();
  private readonly agentBooks = new Map<AgentId, AgentBook>();
  private readonly frameworkOffers = new Map<FrameworkId, Set<OfferId>>();
  private readonly holding = new Set<TaskId>();
  private readonly terminalQueue = new IdQueue<TaskId>();
  private terminalRetained = 0;
  private readonly tombstones: BoundedSet<TaskId>;

  private readonly tasksByState = zeroCounts<TaskState>(TASK_STATES);
  private readonly agentsByState = zeroCounts<AgentState>(AGENT_STATES);
  private readonly total = new ScalarTally();
  private readonly used = new ScalarTally();
  private readonly offered = new ScalarTally();

  private cached: ClusterState | null = null;
  private countsDirty = true;
  private counts: ClusterCounts | null = null;

  constructor(options: ProjectionOptions = {}) {
    this.maxTerminalTasks = Math.max(0, options.maxTerminalTasks ?? 5_000);
    this.statusHistoryLength = Math.max(1, options.statusHistoryLength ?? 20);
    this.tombstones = new BoundedSet<TaskId>(options.maxTombstones ?? this.maxTerminalTasks * 20);
  }

  /** Folds one record into the state. */
  apply(record: HistoryRecord): void {
    if (record.atMs > this.nowMs) this.nowMs = record.atMs;
    this.cached = null;
    const at = record.atMs;
    switch (record.type) {
      case 'cluster.started':
        this.seed = record.seed;
        for (const node of record.masters) this.ensureMaster(node);
        return;
      case 'node.started':
        this.conditions.set(record.node, 'up');
        if (record.role === 'master') this.setMasterRole(record.node, 'standby');
        this.refreshNode(record.node);
        return;
      case 'node.stopped':
        this.conditions.set(record.node, 'down');
        if (this.leader?.node === record.node) this.loseLeader();
        if (this.masters.has(record.node)) this.setMasterRole(record.node, 'standby');
        this.refreshNode(record.node);
        return;
      case 'node.paused':
        this.conditions.set(record.node, 'paused');
        this.refreshNode(record.node);
        return;
      case 'node.resumed':
        this.conditions.set(record.node, 'up');
        this.refreshNode(record.node);
        return;
      case 'master.elected':
        this.onElected(record.node, record.masterId, record.epoch, at);
        return;
      case 'master.deposed':
        if (this.leader?.node === record.node) this.loseLeader();
        this.setMasterRole(record.node, 'standby');
        return;
      case 'master.recovered':
      case 'master.failover_completed':
        this.ensureMaster(record.node);
        return;
      case 'agent.registered':
        this.onAgentRegistered(record.agentId, record.host, record.resources, record.attributes, at);
        return;
      case 'agent.reregistered':
        this.onAgentReregistered(record.agentId, record.host, record.resources, at);
        return;
      case 'agent.unreachable':
        this.setRegistry(record.agentId, 'unreachable', at);
        return;
      case 'agent.removed':
        this.setRegistry(record.agentId, 'removed', at);
        return;
      case 'agent.disconnected':
        this.setRegistry(record.agentId, 'disconnected', at);
        return;
      case 'framework.subscribed': {
        const prev = this.frameworks.get(record.frameworkId);
        this.frameworks.set(record.frameworkId, {
          frameworkId: record.frameworkId,
          name: record.name,
          node: record.node,
          roles: record.roles,
          partitionAware: record.partitionAware,
          state: 'active',
          failoverTimeoutMs: record.failoverTimeoutMs,
          activeTasks: prev?.activeTasks ?? 0,
          used: prev?.used ?? EMPTY_RESOURCES,
          offered: prev?.offered ?? EMPTY_RESOURCES,
          subscribedAtMs: prev?.subscribedAtMs ?? at,
        });
        return;
      }
      case 'framework.resubscribed': {
        const prev = this.frameworks.get(record.frameworkId) ?? newFramework(record.frameworkId, record.name, record.node, at);
        this.frameworks.set(record.frameworkId, { ...prev, name: record.name, node: record.node, state: 'active' });
        return;
      }
      case 'framework.disconnected':
        this.setFrameworkState(record.frameworkId, 'disconnected');
        return;
      case 'framework.removed':
        this.setFrameworkState(record.frameworkId, 'removed');
        return;
      case 'offer.created':
        this.addOffer({ offerId: record.offerId, frameworkId: record.frameworkId, agentId: record.agentId, resources: record.resources, createdAtMs: at });
        return;
      case 'offer.accepted':
      case 'offer.declined':
      case 'offer.rescinded':
        this.removeOffer(record.offerId);
        return;
      case 'task.launched':
        this.onTaskLaunched(record.taskId, record.frameworkId, record.agentId, record.name, record.resources, at);
        return;
      case 'task.updated':
        this.onTaskUpdated(record, at);
        return;
      case 'task.status': {
        // Ground truth from the agent: only used to learn the task's host.
        const task = this.tasks.get(record.taskId);
        if (task && task.host !== record.host) this.tasks.set(record.taskId, { ...task, host: record.host });
        return;
      }
      case 'status.delivered':
      case 'status.acknowledged':
      case 'status.ack_received':
      case 'scheduler.note':
      case 'fault.injected':
      case 'message.dropped':
      case 'message.duplicated':
        return;
      default:
        assertNever(record, 'history record');
    }
  }

  /** The state now. The maps are live (see the file comment); counts are a fresh copy per change. */
  snapshot(): ClusterState {
    if (this.cached) return this.cached;
    this.cached = {
      nowMs: this.nowMs,
      seed: this.seed,
      leader: this.leader,
      masters: this.masters,
      agents: this.agents,
      frameworks: this.frameworks,
      tasks: this.tasks,
      offers: this.offers,
      counts: this.buildCounts(),
    };
    return this.cached;
  }

  private buildCounts(): ClusterCounts {
    if (this.counts && !this.countsDirty) return this.counts;
    this.countsDirty = false;
    this.counts = {
      tasksByState: { ...this.tasksByState },
      agentsByState: { ...this.agentsByState },
      total: this.total.toResources(),
      used: this.used.toResources(),
      offered: this.offered.toResources(),
    };
    return this.counts;
  }

  // ---- masters ----

  private ensureMaster(node: NodeId): void {
    if (this.masters.has(node)) return;
    this.masterRoles.set(node, 'standby');
    this.masters.set(node, { node, state: displayMaster('standby', this.conditions.get(node)), masterId: null, epoch: null, electedAtMs: null });
  }

  private setMasterRole(node: NodeId, role: MasterRole): void {
    this.ensureMaster(node);
    this.masterRoles.set(node, role);
    this.refreshMaster(node);
  }

  private refreshMaster(node: NodeId): void {
    const view = this.masters.get(node);
    if (!view) return;
    const state = displayMaster(this.masterRoles.get(node) ?? 'standby', this.conditions.get(node));
    if (state !== view.state) this.masters.set(node, { ...view, state });
  }

  private onElected(node: NodeId, masterId: string, epoch: number, at: number): void {
    const old = this.leader;
    if (old && old.node !== node) this.setMasterRole(old.node, 'standby');
    // Offers belong to the master that made them: they never survive a change of leader.
    if (!old || old.epoch !== epoch || old.node !== node) this.clearOffers();
    this.leader = { node, masterId, epoch };
    this.ensureMaster(node);
    const view = this.masters.get(node);
    if (view) this.masters.set(node, { ...view, masterId, epoch, electedAtMs: at });
    this.setMasterRole(node, 'leading');
  }

  private loseLeader(): void {
    this.leader = null;
    this.clearOffers();
  }

  /** Re-derives the display state of whatever runs on a node (a master or an agent's host). */
  private refreshNode(node: NodeId): void {
    this.refreshMaster(node);
    for (const agentId of this.hostAgents.get(node) ?? []) this.refreshAgent(agentId);
  }

  // ---- agents ----

  private onAgentRegistered(agentId: AgentId, host: NodeId, resources: Resources, attributes: AgentView['attributes'], at: number): void {
    const prev = this.agents.get(agentId);
    const book = this.bookOf(agentId, host);
    book.registry = 'registered';
    this.putAgent(
      {
        agentId,
        host,
        state: displayAgent('registered', this.conditions.get(host)),
        resources,
        used: prev?.used ?? EMPTY_RESOURCES,
        offered: prev?.offered ?? EMPTY_RESOURCES,
        attributes,
        taskCount: prev?.taskCount ?? 0,
        registeredAtMs: at,
        unreachableSinceMs: null,
      },
      prev,
    );
  }

  private onAgentReregistered(agentId: AgentId, host: NodeId, resources: Resources, at: number): void {
    const prev = this.agents.get(agentId);
    if (!prev) {
      this.onAgentRegistered(agentId, host, resources, {}, at);
      return;
    }
    const book = this.bookOf(agentId, host);
    const wasRemoved = book.registry === 'removed';
    book.registry = 'registered';
    this.putAgent({ ...prev, host, resources, state: displayAgent('registered', this.conditions.get(host)), unreachableSinceMs: null }, prev);
    if (wasRemoved) this.rehold(book);
  }

  private setRegistry(agentId: AgentId, registry: RegistryState, at: number): void {
    const prev = this.agents.get(agentId);
    const book = this.agentBooks.get(agentId);
    if (!prev || !book) return;
    const wasRemoved = book.registry === 'removed';
    book.registry = registry;
    if (registry !== 'registered') for (const offerId of [...book.offers]) this.removeOffer(offerId);
    const unreachableSinceMs = registry === 'unreachable' ? (prev.unreachableSinceMs ?? at) : prev.unreachableSinceMs;
    const latest = this.agents.get(agentId) ?? prev;
    this.putAgent({ ...latest, state: displayAgent(registry, this.conditions.get(latest.host)), unreachableSinceMs }, latest);
    if (wasRemoved !== (registry === 'removed')) this.rehold(book);
  }

  private refreshAgent(agentId: AgentId): void {
    const view = this.agents.get(agentId);
    const book = this.agentBooks.get(agentId);
    if (!view || !book) return;
    const state = displayAgent(book.registry, this.conditions.get(view.host));
    if (state !== view.state) this.putAgent({ ...view, state }, view);
  }

  private bookOf(agentId: AgentId, host: NodeId): AgentBook {
    let book = this.agentBooks.get(agentId);
    if (!book) {
      book = { registry: 'registered', tasks: new Set(), offers: new Set() };
      this.agentBooks.set(agentId, book);
      const onHost = this.hostAgents.get(host);
      if (onHost) onHost.push(agentId);
      else this.hostAgents.set(host, [agentId]);
    }
    return book;
  }

  /** Replaces an agent's view, keeping the by-state counts and the totals in step. */
  private putAgent(next: AgentView, prev: AgentView | undefined): void {
    if (prev) {
      this.agentsByState[prev.state] -= 1;
      if (prev.state === 'registered') this.tallyAgent(prev, -1);
    }
    this.agentsByState[next.state] += 1;
    if (next.state === 'registered') this.tallyAgent(next, 1);
    this.agents.set(next.agentId, next);
    this.countsDirty = true;
  }

  private tallyAgent(view: AgentView, sign: 1 | -1): void {
    this.total.add(view.resources, sign);
    this.used.add(view.used, sign);
    this.offered.add(view.offered, sign);
  }

  /** Re-evaluates which tasks of an agent hold resources (after it was removed or came back). */
  private rehold(book: AgentBook): void {
    for (const taskId of book.tasks) {
      const task = this.tasks.get(taskId);
      if (task) this.setHolding(task, this.shouldHold(task));
    }
  }

  // ---- frameworks ----

  private setFrameworkState(frameworkId: FrameworkId, state: FrameworkView['state']): void {
    if (state !== 'active') for (const offerId of [...(this.frameworkOffers.get(frameworkId) ?? [])]) this.removeOffer(offerId);
    const prev = this.frameworks.get(frameworkId);
    if (prev && prev.state !== state) this.frameworks.set(frameworkId, { ...prev, state });
  }

  private adjustFramework(frameworkId: FrameworkId, change: { used?: Resources; offered?: Resources; tasks?: number }, sign: 1 | -1): void {
    const prev = this.frameworks.get(frameworkId);
    if (!prev) return;
    const step = sign === 1 ? addScalars : subtractScalars;
    this.frameworks.set(frameworkId, {
      ...prev,
      used: change.used ? step(prev.used, change.used) : prev.used,
      offered: change.offered ? step(prev.offered, change.offered) : prev.offered,
      activeTasks: prev.activeTasks + sign * (change.tasks ?? 0),
    });
  }

  // ---- offers ----

  private addOffer(offer: OfferView): void {
    this.removeOffer(offer.offerId);
    this.offers.set(offer.offerId, offer);
    let byFramework = this.frameworkOffers.get(offer.frameworkId);
    if (!byFramework) this.frameworkOffers.set(offer.frameworkId, (byFramework = new Set()));
    byFramework.add(offer.offerId);
    const book = this.agentBooks.get(offer.agentId);
    const agent = this.agents.get(offer.agentId);
    if (book && agent) {
      book.offers.add(offer.offerId);
      this.putAgent({ ...agent, offered: add(agent.offered, offer.resources) }, agent);
    }
    this.adjustFramework(offer.frameworkId, { offered: offer.resources }, 1);
  }

  private removeOffer(offerId: OfferId): void {
    const offer = this.offers.get(offerId);
    if (!offer) return;
    this.offers.delete(offerId);
    this.frameworkOffers.get(offer.frameworkId)?.delete(offerId);
    const book = this.agentBooks.get(offer.agentId);
    const agent = this.agents.get(offer.agentId);
    if (book?.offers.delete(offerId) && agent) this.putAgent({ ...agent, offered: subtract(agent.offered, offer.resources) }, agent);
    this.adjustFramework(offer.frameworkId, { offered: offer.resources }, -1);
  }

  private clearOffers(): void {
    for (const offerId of [...this.offers.keys()]) this.removeOffer(offerId);
  }

  // ---- tasks ----

  private onTaskLaunched(taskId: TaskId, frameworkId: FrameworkId, agentId: AgentId, name: string, resources: Resources, at: number): void {
    const prev = this.tasks.get(taskId);
    this.tombstones.delete(taskId);
    this.putTask(
      {
        taskId,
        name,
        frameworkId,
        agentId,
        host: this.agents.get(agentId)?.host ?? null,
        state: 'TASK_STAGING',
        reason: null,
        resources,
        launchedAtMs: at,
        updatedAtMs: at,
        history: [],
      },
      prev,
    );
  }

  private onTaskUpdated(record: Extract<HistoryRecord, { type: 'task.updated' }>, at: number): void {
    const prev = this.tasks.get(record.taskId);
    // A late duplicate about a task evicted for memory: its counts were final.
    if (!prev && this.tombstones.has(record.taskId)) return;
    const line: TaskStatusLine = { atMs: at, state: record.state, reason: record.reason, message: record.message };
    const history = prev ? appendBounded(prev.history, line, this.statusHistoryLength) : [line];
    const base: TaskView = prev ?? {
      taskId: record.taskId,
      name: '',
      frameworkId: record.frameworkId,
      agentId: record.agentId,
      host: this.agents.get(record.agentId)?.host ?? null,
      state: record.state,
      reason: null,
      resources: EMPTY_RESOURCES,
      launchedAtMs: at,
      updatedAtMs: at,
      history: [],
    };
    const moved = base.agentId !== record.agentId;
    this.putTask(
      {
        ...base,
        agentId: record.agentId,
        host: moved ? (this.agents.get(record.agentId)?.host ?? null) : base.host,
        state: record.state,
        reason: record.reason,
        updatedAtMs: at,
        history,
      },
      prev,
    );
  }

  /** Replaces a task's view: counts, holdings, agent index and the terminal bound in step. */
  private putTask(next: TaskView, prev: TaskView | undefined): void {
    if (prev) {
      this.tasksByState[prev.state] -= 1;
      // A move or a relaunch with other resources: release the old holding first.
      if (prev.agentId !== next.agentId || prev.resources !== next.resources) this.setHolding(prev, false);
      if (prev.agentId !== next.agentId) this.agentBooks.get(prev.agentId)?.tasks.delete(prev.taskId);
      if (isTerminal(prev.state)) this.terminalRetained -= 1;
    }
    this.tasksByState[next.state] += 1;
    this.countsDirty = true;
    this.tasks.set(next.taskId, next);
    this.agentBooks.get(next.agentId)?.tasks.add(next.taskId);
    this.setHolding(next, this.shouldHold(next));
    if (isTerminal(next.state)) {
      this.terminalRetained += 1;
      if (!prev || !isTerminal(prev.state)) this.terminalQueue.push(next.taskId);
      this.evictTerminal();
    }
  }

  private shouldHold(task: TaskView): boolean {
    return !isTerminal(task.state) && this.agentBooks.get(task.agentId)?.registry !== 'removed';
  }

  /** Moves a task's resources onto (or off) its agent and framework. */
  private setHolding(task: TaskView, hold: boolean): void {
    if (this.holding.has(task.taskId) === hold) return;
    if (hold) this.holding.add(task.taskId);
    else this.holding.delete(task.taskId);
    const sign = hold ? 1 : -1;
    const agent = this.agents.get(task.agentId);
    if (agent) {
      const used = hold ? add(agent.used, task.resources) : subtract(agent.used, task.resources);
      this.putAgent({ ...agent, used, taskCount: agent.taskCount + sign }, agent);
    }
    this.adjustFramework(task.frameworkId, { used: task.resources, tasks: 1 }, sign);
  }

  private evictTerminal(): void {
    while (this.terminalRetained > this.maxTerminalTasks) {
      const taskId = this.terminalQueue.shift();
      if (taskId === undefined) return;
      const task = this.tasks.get(taskId);
      // Stale queue entry: the task left the terminal states or was relaunched.
      if (!task || !isTerminal(task.state)) continue;
      this.tasks.delete(taskId);
      this.agentBooks.get(task.agentId)?.tasks.delete(taskId);
      this.terminalRetained -= 1;
      this.tombstones.add(taskId);
    }
  }
}

/** Folds a whole history into its final state. */
export function project(records: Iterable<HistoryRecord>, options: ProjectionOptions = {}): ClusterState {
  const projection = new ClusterProjection(options);
  for (const record of records) projection.apply(record);
  return projection.snapshot();
}

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of keys) out[key] = 0;
  return out;
}

function displayMaster(role: MasterRole, condition: NodeCondition | undefined): MasterView['state'] {
  if (condition === 'down') return 'down';
  if (condition === 'paused') return 'paused';
  return role;
}

function displayAgent(registry: RegistryState, condition: NodeCondition | undefined): AgentState {
  if (registry === 'removed') return 'removed';
  if (condition === 'down') return 'down';
  if (condition === 'paused') return 'paused';
  return registry;
}

function newFramework(frameworkId: FrameworkId, name: string, node: NodeId, at: number): FrameworkView {
  return {
    frameworkId,
    name,
    node,
    roles: [],
    partitionAware: false,
    state: 'active',
    failoverTimeoutMs: 0,
    activeTasks: 0,
    used: EMPTY_RESOURCES,
    offered: EMPTY_RESOURCES,
    subscribedAtMs: at,
  };
}

function appendBounded<T>(list: readonly T[], item: T, max: number): readonly T[] {
  const start = list.length + 1 > max ? list.length + 1 - max : 0;
  const out = list.slice(start);
  out.push(item);
  return out;
}
