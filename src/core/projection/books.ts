/**
 * The projection's per-agent and per-framework bookkeeping: the view object it
 * hands out (mutated in place) beside exact running sums of what tasks and
 * offers hold, so an event costs a few additions and the Resources values of a
 * view are only rebuilt when a snapshot is taken.
 */
import type { AgentId, FrameworkId, NodeId, OfferId, TaskId } from '../ids.js';
import { normalisePorts, type PortRange } from '../resources.js';
import type { AgentView, FrameworkView, MasterView, OfferView, TaskStatusLine, TaskView } from '../state.js';
import { Tally } from './tally.js';

/** A view type with its fields writable (the projection's own copy). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A task as the projection keeps it: the view itself, updated in place. */
export type TaskRecord = Mutable<TaskView> & { history: TaskStatusLine[] };
/** A master view, updated in place. */
export type MasterRecord = Mutable<MasterView>;

/** What the master's registry says about an agent. */
export type RegistryState = 'registered' | 'unreachable' | 'removed' | 'disconnected';

/** An agent's view and the sums behind it. */
export interface AgentBook {
  readonly view: Mutable<AgentView>;
  registry: RegistryState;
  /** Every retained task on the agent, holding resources or not. */
  readonly tasks: Set<TaskId>;
  readonly offers: Set<OfferId>;
  readonly used: Tally;
  readonly offered: Tally;
  /** Tasks holding resources here. */
  holdingCount: number;
  /** Holders (tasks, offers) with port ranges: only then are ports gathered. */
  portHolders: number;
}

/** A framework's view and the sums behind it. */
export interface FrameworkBook {
  readonly view: Mutable<FrameworkView>;
  readonly offers: Set<OfferId>;
  readonly used: Tally;
  readonly offered: Tally;
  activeTasks: number;
}

/** A fresh agent book around a view. */
export function newAgentBook(view: Mutable<AgentView>): AgentBook {
  return { view, registry: 'registered', tasks: new Set(), offers: new Set(), used: new Tally(), offered: new Tally(), holdingCount: 0, portHolders: 0 };
}

/** A fresh framework book; unknown fields (a resubscribe we never saw subscribe) get defaults. */
export function newFrameworkBook(frameworkId: FrameworkId, name: string, node: NodeId, atMs: number): FrameworkBook {
  const view: Mutable<FrameworkView> = {
    frameworkId,
    name,
    node,
    roles: [],
    partitionAware: false,
    state: 'active',
    failoverTimeoutMs: 0,
    activeTasks: 0,
    used: new Tally().toResources(),
    offered: new Tally().toResources(),
    subscribedAtMs: atMs,
    disconnectedAtMs: null,
    disconnectReason: null,
  };
  return { view, offers: new Set(), used: new Tally(), offered: new Tally(), activeTasks: 0 };
}

/** Rebuilds an agent view's used, offered and taskCount from its sums (ports gathered from the holders). */
export function refreshAgentView(
  book: AgentBook,
  tasks: ReadonlyMap<TaskId, TaskView>,
  holding: ReadonlySet<TaskId>,
  offers: ReadonlyMap<OfferId, OfferView>,
): void {
  let usedPorts: PortRange[] = [];
  let offeredPorts: PortRange[] = [];
  if (book.portHolders > 0) {
    for (const taskId of book.tasks) {
      const task = tasks.get(taskId);
      if (task && holding.has(taskId) && task.resources.ports.length > 0) usedPorts.push(...task.resources.ports);
    }
    for (const offerId of book.offers) {
      const offer = offers.get(offerId);
      if (offer && offer.resources.ports.length > 0) offeredPorts.push(...offer.resources.ports);
    }
    usedPorts = normalisePorts(usedPorts);
    offeredPorts = normalisePorts(offeredPorts);
  }
  book.view.used = book.used.toResources(usedPorts);
  book.view.offered = book.offered.toResources(offeredPorts);
  book.view.taskCount = book.holdingCount;
}

/** Rebuilds a framework view's used, offered and activeTasks from its sums. */
export function refreshFrameworkView(book: FrameworkBook): void {
  book.view.used = book.used.toResources();
  book.view.offered = book.offered.toResources();
  book.view.activeTasks = book.activeTasks;
}

/** The agent id list of a host, created on first use. */
export function hostList(hostAgents: Map<NodeId, AgentId[]>, host: NodeId): AgentId[] {
  let list = hostAgents.get(host);
  if (!list) hostAgents.set(host, (list = []));
  return list;
}
