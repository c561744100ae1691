/**
 * The projection: folds HistoryRecords into a ClusterState, incrementally.
 * `apply` does O(1) work per event without allocating views (O(k) for an event
 * about an agent or framework with k offers or tasks); `snapshot` returns the
 * same object until something changed, then a new one, rebuilding only the
 * Resources of the agents and frameworks that changed and the small counts.
 *
 * Everything handed out is live: the maps, and the view objects in them, are
 * the projection's own and are updated in place (the TUI memoises on the
 * snapshot object, which is new after every change). Copy to freeze a picture;
 * only `counts` of an older snapshot stay as they were.
 *
 * Derived rules (the events carry the facts, these are the readings):
 * - an agent's display state is `removed` if the registry removed it, else the
 *   host's condition (`down` after node.stopped, `paused` after node.paused),
 *   else what the master said (registered, unreachable, disconnected);
 * - a task holds resources (agent and framework `used`, `taskCount`,
 *   `activeTasks`) while it is not terminal and its agent is not removed;
 * - offers vanish when accepted, declined or rescinded, when their agent or
 *   framework goes, and when the leader that made them loses leadership;
 * - totals are scalar sums over agents whose display state is `registered`
 *   (ports of different agents overlap, so they are not summed).
 */
import { assertNever } from './errors.js';
import type { HistoryRecord } from './events.js';
import type { AgentId, FrameworkId, NodeId, OfferId, TaskId } from './ids.js';
import { EMPTY_RESOURCES, type Resources } from './resources.js';
import { AGENT_STATES, type AgentState, type AgentView, type ClusterCounts, type ClusterState, type FrameworkView, type MasterView, type OfferView, type TaskView } from './state.js';
import { isTerminal, TASK_STATES, type TaskState } from './task-state.js';
import {
  hostList,
  newAgentBook,
  newFrameworkBook,
  refreshAgentView,
  refreshFrameworkView,
  type AgentBook,
  type FrameworkBook,
  type MasterRecord,
  type RegistryState,
  type TaskRecord,
} from './projection/books.js';
import { BoundedSet, IdQueue } from './projection/id-queue.js';
import { Tally } from './projection/tally.js';

/** Options of the projection. */
export interface ProjectionOptions {
  /** Terminal tasks kept for display; the oldest are evicted beyond this (counts stay exact). Default 5,000. */
  readonly maxTerminalTasks?: number;
  /** Status lines kept per task for the describe pane. Default 20. */
  readonly statusHistoryLength?: number;
  /** Evicted task ids remembered so late duplicate updates do not resurrect them. Default 20 x maxTerminalTasks. */
  readonly maxTombstones?: number;
}

/** What the runtime says about a node's process. */
type NodeCondition = 'up' | 'paused' | 'down';
type MasterRole = 'leading' | 'standby';
type Leader = NonNullable<ClusterState['leader']>;

/** The incremental fold from history records to a ClusterState. */
export class ClusterProjection {
  private readonly maxTerminalTasks: number;
  private readonly statusHistoryLength: number;

  private nowMs = 0;
  private seed: string | null = null;
  private leader: Leader | null = null;
  private readonly masters = new Map<NodeId, MasterRecord>();
  private readonly agents = new Map<AgentId, AgentView>();
  private readonly frameworks = new Map<FrameworkId, FrameworkView>();
  private readonly tasks = new Map<TaskId, TaskRecord>();
  private readonly offers = new Map<OfferId, OfferView>();

  private readonly masterRoles = new Map<NodeId, MasterRole>();
  private readonly conditions = new Map<NodeId, NodeCondition>();
  private readonly hostAgents = new Map<NodeId, AgentId[]>();
  private readonly agentBooks = new Map<AgentId, AgentBook>();
  private readonly frameworkBooks = new Map<FrameworkId, FrameworkBook>();
  private readonly holding = new Set<TaskId>();
  private readonly dirtyAgents = new Set<AgentBook>();
  private readonly dirtyFrameworks = new Set<FrameworkBook>();
  private readonly terminalQueue = new IdQueue<TaskId>();
  private terminalRetained = 0;
  private readonly tombstones: BoundedSet<TaskId>;

  private readonly tasksByState = zeroCounts<TaskState>(TASK_STATES);
  private readonly agentsByState = zeroCounts<AgentState>(AGENT_STATES);
  private readonly total = new Tally();
  private readonly used = new Tally();
  private readonly offered = new Tally();

  private cached: ClusterState | null = null;
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
      case 'node.resumed':
        this.conditions.set(record.node, record.type === 'node.paused' ? 'paused' : 'up');
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
      case 'agent.reregistered':
        this.onAgentJoined(record.agentId, record.host, record.resources, record.type === 'agent.registered' ? record.attributes : null, at);
        return;
      case 'agent.unreachable':
      case 'agent.removed':
      case 'agent.disconnected':
        this.setRegistry(record.agentId, REGISTRY_OF[record.type], at);
        return;
      case 'framework.subscribed': {
        const book = this.frameworkBookOf(record.frameworkId, record.name, record.node, at);
        Object.assign(book.view, { name: record.name, node: record.node, roles: record.roles, partitionAware: record.partitionAware, failoverTimeoutMs: record.failoverTimeoutMs, state: 'active' });
        return;
      }
      case 'framework.resubscribed': {
        const book = this.frameworkBookOf(record.frameworkId, record.name, record.node, at);
        Object.assign(book.view, { name: record.name, node: record.node, state: 'active' });
        return;
      }
      case 'framework.disconnected':
      case 'framework.removed':
        this.setFrameworkState(record.frameworkId, record.type === 'framework.removed' ? 'removed' : 'disconnected');
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
        this.onTaskLaunched(record, at);
        return;
      case 'task.updated':
        this.onTaskUpdated(record, at);
        return;
      case 'task.status': {
        // Ground truth from the agent: only used to learn the task's host.
        const task = this.tasks.get(record.taskId);
        if (task) task.host = record.host;
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

  /** The state now: the same object while nothing changed, a new one after a change. */
  snapshot(): ClusterState {
    if (this.cached) return this.cached;
    for (const book of this.dirtyAgents) refreshAgentView(book, this.tasks, this.holding, this.offers);
    for (const book of this.dirtyFrameworks) refreshFrameworkView(book);
    this.dirtyAgents.clear();
    this.dirtyFrameworks.clear();
    this.counts ??= {
      tasksByState: { ...this.tasksByState },
      agentsByState: { ...this.agentsByState },
      total: this.total.toResources(),
      used: this.used.toResources(),
      offered: this.offered.toResources(),
    };
    this.cached = {
      nowMs: this.nowMs,
      seed: this.seed,
      leader: this.leader,
      masters: this.masters,
      agents: this.agents,
      frameworks: this.frameworks,
      tasks: this.tasks,
      offers: this.offers,
      counts: this.counts,
    };
    return this.cached;
  }

  // ---- masters ----

  private ensureMaster(node: NodeId): MasterRecord {
    let view = this.masters.get(node);
    if (!view) {
      this.masterRoles.set(node, 'standby');
      view = { node, state: displayMaster('standby', this.conditions.get(node)), masterId: null, epoch: null, electedAtMs: null };
      this.masters.set(node, view);
    }
    return view;
  }

  private setMasterRole(node: NodeId, role: MasterRole): void {
    this.ensureMaster(node);
    this.masterRoles.set(node, role);
    this.refreshMaster(node);
  }

  private refreshMaster(node: NodeId): void {
    const view = this.masters.get(node);
    if (view) view.state = displayMaster(this.masterRoles.get(node) ?? 'standby', this.conditions.get(node));
  }

  private onElected(node: NodeId, masterId: string, epoch: number, at: number): void {
    const old = this.leader;
    if (old && old.node !== node) this.setMasterRole(old.node, 'standby');
    // Offers belong to the master that made them: they never survive a change of leader.
    if (!old || old.epoch !== epoch || old.node !== node) this.clearOffers();
    this.leader = { node, masterId, epoch };
    Object.assign(this.ensureMaster(node), { masterId, epoch, electedAtMs: at });
    this.setMasterRole(node, 'leading');
  }

  private loseLeader(): void {
    this.leader = null;
    this.clearOffers();
  }

  /** Re-derives the display state of whatever runs on a node (a master or an agent's host). */
  private refreshNode(node: NodeId): void {
    this.refreshMaster(node);
    for (const agentId of this.hostAgents.get(node) ?? []) {
      const book = this.agentBooks.get(agentId);
      if (book) this.setAgentState(book, displayAgent(book.registry, this.conditions.get(node)));
    }
  }

  // ---- agents ----

  private onAgentJoined(agentId: AgentId, host: NodeId, resources: Resources, attributes: AgentView['attributes'] | null, at: number): void {
    let book = this.agentBooks.get(agentId);
    if (!book) {
      const view = { agentId, host, state: 'removed' as AgentState, resources, used: EMPTY_RESOURCES, offered: EMPTY_RESOURCES, attributes: attributes ?? {}, taskCount: 0, registeredAtMs: at, unreachableSinceMs: null };
      book = newAgentBook(view);
      // Born outside the sums (as if removed); it enters 'registered' just below.
      book.registry = 'removed';
      this.agentsByState.removed += 1;
      this.agentBooks.set(agentId, book);
      this.agents.set(agentId, view);
      hostList(this.hostAgents, host).push(agentId);
    } else if (attributes !== null) {
      Object.assign(book.view, { attributes, registeredAtMs: at });
    }
    const wasRemoved = book.registry === 'removed';
    // A reregistration may bring a changed total: swap it inside the sums if the agent counts.
    if (book.view.state === 'registered') {
      this.total.add(book.view.resources, -1);
      this.total.add(resources, 1);
      this.counts = null;
    }
    book.view.resources = resources;
    book.view.host = host;
    book.view.unreachableSinceMs = null;
    book.registry = 'registered';
    this.setAgentState(book, displayAgent('registered', this.conditions.get(host)));
    if (wasRemoved) this.rehold(book);
  }

  private setRegistry(agentId: AgentId, registry: RegistryState, at: number): void {
    const book = this.agentBooks.get(agentId);
    if (!book) return;
    const wasRemoved = book.registry === 'removed';
    book.registry = registry;
    if (registry !== 'registered') for (const offerId of [...book.offers]) this.removeOffer(offerId);
    if (registry === 'unreachable') book.view.unreachableSinceMs ??= at;
    this.setAgentState(book, displayAgent(registry, this.conditions.get(book.view.host)));
    if (wasRemoved !== (registry === 'removed')) this.rehold(book);
  }

  /** Moves an agent to a display state, keeping the by-state counts and the totals in step. */
  private setAgentState(book: AgentBook, state: AgentState): void {
    const prev = book.view.state;
    if (prev === state) return;
    this.agentsByState[prev] -= 1;
    this.agentsByState[state] += 1;
    if (prev === 'registered') this.tallyAgent(book, -1);
    if (state === 'registered') this.tallyAgent(book, 1);
    book.view.state = state;
    this.counts = null;
  }

  private tallyAgent(book: AgentBook, sign: 1 | -1): void {
    this.total.add(book.view.resources, sign);
    this.used.addTally(book.used, sign);
    this.offered.addTally(book.offered, sign);
  }

  /** Re-evaluates which tasks of an agent hold resources (after it was removed or came back). */
  private rehold(book: AgentBook): void {
    for (const taskId of book.tasks) {
      const task = this.tasks.get(taskId);
      if (task) this.setHolding(task, this.shouldHold(task));
    }
  }

  // ---- frameworks ----

  private frameworkBookOf(frameworkId: FrameworkId, name: string, node: NodeId, at: number): FrameworkBook {
    let book = this.frameworkBooks.get(frameworkId);
    if (!book) {
      book = newFrameworkBook(frameworkId, name, node, at);
      this.frameworkBooks.set(frameworkId, book);
      this.frameworks.set(frameworkId, book.view);
    }
    return book;
  }

  private setFrameworkState(frameworkId: FrameworkId, state: FrameworkView['state']): void {
    const book = this.frameworkBooks.get(frameworkId);
    if (!book) return;
    for (const offerId of [...book.offers]) this.removeOffer(offerId);
    book.view.state = state;
  }

  // ---- offers ----

  private addOffer(offer: OfferView): void {
    this.removeOffer(offer.offerId);
    this.offers.set(offer.offerId, offer);
    const agent = this.agentBooks.get(offer.agentId);
    if (agent) {
      agent.offers.add(offer.offerId);
      this.holdOn(agent, agent.offered, offer.resources, 1, this.offered);
    }
    const framework = this.frameworkBooks.get(offer.frameworkId);
    if (framework) {
      framework.offers.add(offer.offerId);
      framework.offered.add(offer.resources);
      this.dirtyFrameworks.add(framework);
    }
  }

  private removeOffer(offerId: OfferId): void {
    const offer = this.offers.get(offerId);
    if (!offer) return;
    this.offers.delete(offerId);
    const agent = this.agentBooks.get(offer.agentId);
    if (agent?.offers.delete(offerId)) this.holdOn(agent, agent.offered, offer.resources, -1, this.offered);
    const framework = this.frameworkBooks.get(offer.frameworkId);
    if (framework?.offers.delete(offerId)) {
      framework.offered.add(offer.resources, -1);
      this.dirtyFrameworks.add(framework);
    }
  }

  private clearOffers(): void {
    for (const offerId of [...this.offers.keys()]) this.removeOffer(offerId);
  }

  /** Adds to (or takes from) one of an agent's sums, and the cluster total while it counts. */
  private holdOn(agent: AgentBook, sum: Tally, resources: Resources, sign: 1 | -1, cluster: Tally): void {
    sum.add(resources, sign);
    if (agent.view.state === 'registered') cluster.add(resources, sign);
    if (resources.ports.length > 0) agent.portHolders += sign;
    this.dirtyAgents.add(agent);
    this.counts = null;
  }

  // ---- tasks ----

  private onTaskLaunched(r: Extract<HistoryRecord, { type: 'task.launched' }>, at: number): void {
    const prev = this.tasks.get(r.taskId);
    if (prev) this.forgetTask(prev);
    this.tombstones.delete(r.taskId);
    const host = this.agentBooks.get(r.agentId)?.view.host ?? null;
    this.addTask({ taskId: r.taskId, name: r.name, frameworkId: r.frameworkId, agentId: r.agentId, host, state: 'TASK_STAGING', reason: null, resources: r.resources, launchedAtMs: at, updatedAtMs: at, history: [] });
  }

  private onTaskUpdated(r: Extract<HistoryRecord, { type: 'task.updated' }>, at: number): void {
    let task = this.tasks.get(r.taskId);
    if (!task) {
      // A late duplicate about a task evicted for memory: its counts were final.
      if (this.tombstones.has(r.taskId)) return;
      const host = this.agentBooks.get(r.agentId)?.view.host ?? null;
      task = { taskId: r.taskId, name: '', frameworkId: r.frameworkId, agentId: r.agentId, host, state: r.state, reason: r.reason, resources: EMPTY_RESOURCES, launchedAtMs: at, updatedAtMs: at, history: [] };
      this.addTask(task);
    } else if (task.agentId !== r.agentId) {
      this.forgetTask(task);
      task.agentId = r.agentId;
      task.host = this.agentBooks.get(r.agentId)?.view.host ?? null;
      this.addTask(task);
    }
    task.history.push({ atMs: at, state: r.state, reason: r.reason, message: r.message });
    if (task.history.length > this.statusHistoryLength) task.history.shift();
    task.reason = r.reason;
    task.updatedAtMs = at;
    this.setTaskState(task, r.state);
  }

  /** Adds a task under its current state: counts, agent index, holding, terminal bound. */
  private addTask(task: TaskRecord): void {
    this.tasks.set(task.taskId, task);
    this.tasksByState[task.state] += 1;
    this.counts = null;
    this.agentBooks.get(task.agentId)?.tasks.add(task.taskId);
    this.setHolding(task, this.shouldHold(task));
    if (isTerminal(task.state)) this.enterTerminal(task);
  }

  /** Takes a task out of every index (before a relaunch or a move); its view is kept by the caller. */
  private forgetTask(task: TaskRecord): void {
    this.setHolding(task, false);
    this.tasksByState[task.state] -= 1;
    this.counts = null;
    this.agentBooks.get(task.agentId)?.tasks.delete(task.taskId);
    if (isTerminal(task.state)) this.terminalRetained -= 1;
    this.tasks.delete(task.taskId);
  }

  private setTaskState(task: TaskRecord, state: TaskState): void {
    const prev = task.state;
    if (prev === state) return;
    this.tasksByState[prev] -= 1;
    this.tasksByState[state] += 1;
    this.counts = null;
    task.state = state;
    this.setHolding(task, this.shouldHold(task));
    if (isTerminal(prev) && !isTerminal(state)) this.terminalRetained -= 1;
    else if (!isTerminal(prev) && isTerminal(state)) this.enterTerminal(task);
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
    const agent = this.agentBooks.get(task.agentId);
    if (agent) {
      agent.holdingCount += sign;
      this.holdOn(agent, agent.used, task.resources, sign, this.used);
    }
    const framework = this.frameworkBooks.get(task.frameworkId);
    if (framework) {
      framework.used.add(task.resources, sign);
      framework.activeTasks += sign;
      this.dirtyFrameworks.add(framework);
    }
  }

  private enterTerminal(task: TaskRecord): void {
    this.terminalRetained += 1;
    this.terminalQueue.push(task.taskId);
    while (this.terminalRetained > this.maxTerminalTasks) {
      const taskId = this.terminalQueue.shift();
      if (taskId === undefined) return;
      const old = this.tasks.get(taskId);
      // Stale queue entry: the task left the terminal states or was relaunched.
      if (!old || !isTerminal(old.state)) continue;
      this.tasks.delete(taskId);
      this.agentBooks.get(old.agentId)?.tasks.delete(taskId);
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

const REGISTRY_OF = { 'agent.unreachable': 'unreachable', 'agent.removed': 'removed', 'agent.disconnected': 'disconnected' } as const;

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
