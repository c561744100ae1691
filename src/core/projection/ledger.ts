/**
 * The projection's resource ledger: agents (registry and display state),
 * frameworks, outstanding offers, which tasks hold resources where, and the
 * cluster totals. Every change is a few integer additions on exact sums; the
 * Resources values of views are rebuilt in `refresh`, for what changed only.
 */
import type { AgentId, FrameworkId, NodeId, OfferId, TaskId } from '../ids.js';
import { EMPTY_RESOURCES, type Resources } from '../resources.js';
import { AGENT_STATES, type AgentState, type AgentView, type ClusterCounts, type FrameworkView, type HostCondition, type OfferView, type TaskView } from '../state.js';
import { isTerminal, type TaskState } from '../task-state.js';
import { hostList, newAgentBook, newFrameworkBook, refreshAgentView, refreshFrameworkView, type AgentBook, type FrameworkBook, type RegistryState } from './books.js';
import { Tally } from './tally.js';

/** What the runtime says about a node: running, paused or stopped. */
export type NodeCondition = HostCondition;

/** Whether the master counts the tasks of an agent in this registry state (a lost or unreachable agent's are not). */
function registryHolds(registry: RegistryState): boolean {
  return registry === 'registered' || registry === 'disconnected';
}

/** Agents, frameworks, offers and holdings, with exact sums. */
export class Ledger {
  /** Handed out live in snapshots. */
  readonly agents = new Map<AgentId, AgentView>();
  readonly frameworks = new Map<FrameworkId, FrameworkView>();
  readonly offers = new Map<OfferId, OfferView>();

  private readonly agentBooks = new Map<AgentId, AgentBook>();
  private readonly frameworkBooks = new Map<FrameworkId, FrameworkBook>();
  private readonly hostAgents = new Map<NodeId, AgentId[]>();
  private readonly holding = new Set<TaskId>();
  private readonly dirtyAgents = new Set<AgentBook>();
  private readonly dirtyFrameworks = new Set<FrameworkBook>();
  private readonly agentsByState = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as Record<AgentState, number>;
  private readonly total = new Tally();
  private readonly used = new Tally();
  private readonly offered = new Tally();

  constructor(
    /** The projection's tasks, read when an agent's holdings are re-evaluated or its ports gathered. */
    private readonly tasks: ReadonlyMap<TaskId, TaskView>,
    /** Node conditions, kept by the projection. */
    private readonly conditions: ReadonlyMap<NodeId, NodeCondition>,
  ) {}

  /** Where an agent stands in the registry as the history tells it, if known. */
  registryOf(agentId: AgentId): RegistryState | null {
    return this.agentBooks.get(agentId)?.registry ?? null;
  }

  /** The host of an agent, if known. */
  hostOf(agentId: AgentId): NodeId | null {
    return this.agentBooks.get(agentId)?.view.host ?? null;
  }

  // ---- agents ----

  /** agent.registered (with attributes) or agent.reregistered (attributes null). */
  joinAgent(agentId: AgentId, host: NodeId, resources: Resources, attributes: AgentView['attributes'] | null, atMs: number): void {
    let book = this.agentBooks.get(agentId);
    if (!book) {
      const view = { agentId, host, state: 'removed' as AgentState, registry: 'removed' as RegistryState, condition: this.conditions.get(host) ?? null, resources, used: EMPTY_RESOURCES, offered: EMPTY_RESOURCES, attributes: attributes ?? {}, taskCount: 0, registeredAtMs: atMs, unreachableSinceMs: null };
      book = newAgentBook(view);
      // Born outside the sums (as if removed); it enters 'registered' just below.
      book.registry = 'removed';
      this.agentsByState.removed += 1;
      this.agentBooks.set(agentId, book);
      this.agents.set(agentId, view);
      hostList(this.hostAgents, host).push(agentId);
    } else if (attributes !== null) {
      Object.assign(book.view, { attributes, registeredAtMs: atMs });
    }
    const held = registryHolds(book.registry);
    // A reregistration may bring a changed total: swap it inside the sums if the agent counts.
    if (book.view.state === 'registered') {
      this.total.add(book.view.resources, -1);
      this.total.add(resources, 1);
    }
    book.view.resources = resources;
    book.view.host = host;
    book.view.unreachableSinceMs = null;
    book.registry = 'registered';
    book.view.registry = 'registered';
    this.setAgentState(book, displayAgent('registered', this.conditions.get(host)));
    if (!held) this.rehold(book);
  }

  /** agent.unreachable, agent.removed, agent.disconnected: offers go, and holdings if removed. */
  setRegistry(agentId: AgentId, registry: RegistryState, atMs: number): void {
    const book = this.agentBooks.get(agentId);
    if (!book) return;
    const held = registryHolds(book.registry);
    book.registry = registry;
    book.view.registry = registry;
    if (registry !== 'registered') for (const offerId of [...book.offers]) this.removeOffer(offerId);
    if (registry === 'unreachable') book.view.unreachableSinceMs ??= atMs;
    this.setAgentState(book, displayAgent(registry, this.conditions.get(book.view.host)));
    if (held !== registryHolds(registry)) this.rehold(book);
  }

  /** Re-derives the display state of the agents on a host after its condition changed. */
  refreshHost(host: NodeId): void {
    for (const agentId of this.hostAgents.get(host) ?? []) {
      const book = this.agentBooks.get(agentId);
      if (!book) continue;
      book.view.condition = this.conditions.get(host) ?? null;
      this.setAgentState(book, displayAgent(book.registry, this.conditions.get(host)));
    }
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
      if (task) this.setHolding(task, this.shouldHold(task.agentId, task.state));
    }
  }

  // ---- frameworks ----

  /** The framework's view, created on first sight. */
  frameworkView(frameworkId: FrameworkId, name: string, node: NodeId, atMs: number): FrameworkBook['view'] {
    let book = this.frameworkBooks.get(frameworkId);
    if (!book) {
      book = newFrameworkBook(frameworkId, name, node, atMs);
      this.frameworkBooks.set(frameworkId, book);
      this.frameworks.set(frameworkId, book.view);
    }
    return book.view;
  }

  /** framework.disconnected or framework.removed: its offers go. */
  /** Whether the framework subscribed as partition-aware (true when unknown: the newer semantics). */
  frameworkPartitionAware(frameworkId: FrameworkId): boolean {
    return this.frameworks.get(frameworkId)?.partitionAware ?? true;
  }

  setFrameworkState(frameworkId: FrameworkId, state: FrameworkView['state']): void {
    const book = this.frameworkBooks.get(frameworkId);
    if (!book) return;
    for (const offerId of [...book.offers]) this.removeOffer(offerId);
    book.view.state = state;
  }

  /** framework.disconnected: when and why. */
  noteDisconnect(frameworkId: FrameworkId, atMs: number, reason: string): void {
    const book = this.frameworkBooks.get(frameworkId);
    if (!book) return;
    book.view.disconnectedAtMs = atMs;
    book.view.disconnectReason = reason;
  }

  // ---- offers ----

  /** offer.created. */
  addOffer(offer: OfferView): void {
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

  /** An offer is accepted, declined, rescinded or dropped. */
  removeOffer(offerId: OfferId): void {
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

  /** Every offer goes (the leader that made them lost leadership). */
  clearOffers(): void {
    for (const offerId of [...this.offers.keys()]) this.removeOffer(offerId);
  }

  /** Adds to (or takes from) one of an agent's sums, and the cluster's while the agent counts. */
  private holdOn(agent: AgentBook, sum: Tally, resources: Resources, sign: 1 | -1, cluster: Tally): void {
    sum.add(resources, sign);
    if (agent.view.state === 'registered') cluster.add(resources, sign);
    if (resources.ports.length > 0) agent.portHolders += sign;
    this.dirtyAgents.add(agent);
  }

  // ---- tasks ----

  /** Indexes a task under its agent (for holdings and ports). */
  placeTask(taskId: TaskId, agentId: AgentId): void {
    this.agentBooks.get(agentId)?.tasks.add(taskId);
  }

  /** Drops a task from its agent's index (evicted, moved or relaunched). */
  unplaceTask(taskId: TaskId, agentId: AgentId): void {
    this.agentBooks.get(agentId)?.tasks.delete(taskId);
  }

  /**
   * Whether a task in this state on this agent holds resources, as the master
   * counts them: not terminal, not unreachable, and on an agent it still counts
   * (Mesos moves an unreachable agent's tasks to `unreachable_tasks`, out of the
   * framework's and the agent's used resources, until the agent comes back).
   */
  shouldHold(agentId: AgentId, state: TaskState): boolean {
    if (isTerminal(state) || state === 'TASK_UNREACHABLE') return false;
    const registry = this.agentBooks.get(agentId)?.registry;
    return registry === undefined || registryHolds(registry);
  }

  /** Moves a task's resources onto (or off) its agent and framework. */
  setHolding(task: TaskView, hold: boolean): void {
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

  // ---- snapshot ----

  /** Rebuilds the Resources of the views that changed since the last refresh. */
  refresh(): void {
    for (const book of this.dirtyAgents) refreshAgentView(book, this.tasks, this.holding, this.offers);
    for (const book of this.dirtyFrameworks) refreshFrameworkView(book);
    this.dirtyAgents.clear();
    this.dirtyFrameworks.clear();
  }

  /** The agent counts and totals part of ClusterCounts, as fresh values. */
  counts(): Omit<ClusterCounts, 'tasksByState'> {
    return { agentsByState: { ...this.agentsByState }, total: this.total.toResources(), used: this.used.toResources(), offered: this.offered.toResources() };
  }
}

function displayAgent(registry: RegistryState, condition: NodeCondition | undefined): AgentState {
  if (registry === 'removed') return 'removed';
  if (condition === 'down') return 'down';
  if (condition === 'paused') return 'paused';
  return registry;
}
