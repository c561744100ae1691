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
 * - an agent's display state (`state`, what scenario conditions count) is
 *   `removed` if the registry removed it, else the host's condition (`down`
 *   after node.stopped, `paused` after node.paused), else what the master said
 *   (registered, unreachable, disconnected); `registry` is the master's view
 *   alone (what the TUI's tables show) and `condition` the host's truth;
 * - a task holds resources (agent and framework `used`, `taskCount`,
 *   `activeTasks`) as the master counts them: while it is not terminal, not
 *   TASK_UNREACHABLE, and its agent is registered or disconnected (Mesos moves
 *   an unreachable agent's tasks to `unreachable_tasks`, out of the books);
 * - offers vanish when accepted, declined or rescinded, when their agent or
 *   framework goes, and when the leader that made them loses leadership;
 * - totals are scalar sums over agents whose display state is `registered`
 *   (ports of different agents overlap, so they are not summed).
 */
import { assertNever } from './errors.js';
import type { HistoryRecord } from './events.js';
import type { AgentId, NodeId, TaskId } from './ids.js';
import { EMPTY_RESOURCES, type Resources } from './resources.js';
import { ACTIVE_STATES, TASK_STATES, isTerminal, stateForFramework, type TaskState } from './task-state.js';
import type { ClusterCounts, ClusterState, MasterView } from './state.js';
import type { MasterRecord, TaskRecord } from './projection/books.js';
import { Fifo } from './fifo.js';
import { BoundedSet } from './projection/bounded-set.js';
import { Ledger, type NodeCondition } from './projection/ledger.js';

/** Options of the projection. */
export interface ProjectionOptions {
  /** Terminal tasks kept for display; the oldest are evicted beyond this (counts stay exact). Default 5,000. */
  readonly maxTerminalTasks?: number;
  /** Status lines kept per task for the describe pane. Default 20. */
  readonly statusHistoryLength?: number;
  /** Evicted task ids remembered so late duplicate updates do not resurrect them. Default 20 x maxTerminalTasks. */
  readonly maxTombstones?: number;
}

type MasterRole = 'leading' | 'standby';
type Leader = NonNullable<ClusterState['leader']>;

const REGISTRY_OF = { 'agent.unreachable': 'unreachable', 'agent.removed': 'removed', 'agent.disconnected': 'disconnected' } as const;

/** The incremental fold from history records to a ClusterState. */
export class ClusterProjection {
  private readonly maxTerminalTasks: number;
  private readonly statusHistoryLength: number;

  private nowMs = 0;
  private seed: string | null = null;
  private leader: Leader | null = null;
  private readonly masters = new Map<NodeId, MasterRecord>();
  private readonly tasks = new Map<TaskId, TaskRecord>();
  /** The epoch of each agent's last (re)registration. */
  private readonly agentEpoch = new Map<AgentId, number>();
  private readonly masterRoles = new Map<NodeId, MasterRole>();
  private readonly conditions = new Map<NodeId, NodeCondition>();
  private readonly ledger = new Ledger(this.tasks, this.conditions);
  private readonly tasksByState = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>;
  private readonly terminalQueue = new Fifo<TaskId>();
  private terminalRetained = 0;
  private readonly tombstones: BoundedSet<TaskId>;
  private cached: ClusterState | null = null;

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
    const ledger = this.ledger;
    switch (record.type) {
      case 'cluster.started':
        this.seed = record.seed;
        for (const node of record.masters) this.ensureMaster(node);
        return;
      case 'node.started':
      case 'node.stopped':
      case 'node.paused':
      case 'node.resumed':
        this.onNode(record);
        return;
      case 'master.elected':
        this.onElected(record.node, record.masterId, record.epoch, at);
        return;
      case 'master.deposed':
        if (this.leader?.node === record.node) this.loseLeader();
        this.setMasterRole(record.node, 'standby');
        return;
      case 'master.recovered':
        this.ensureMaster(record.node);
        this.recoveredUnreachable(record, at);
        return;
      case 'master.failover_completed':
        this.ensureMaster(record.node);
        return;
      case 'agent.registered':
        this.agentEpoch.set(record.agentId, record.epoch);
        ledger.joinAgent(record.agentId, record.host, frozen(record.resources), record.attributes, at);
        return;
      case 'agent.reregistered':
        this.agentEpoch.set(record.agentId, record.epoch);
        ledger.joinAgent(record.agentId, record.host, frozen(record.resources), null, at);
        return;
      case 'agent.unreachable':
        if (record.epoch > (this.agentEpoch.get(record.agentId) ?? record.epoch)) this.unreachableAfterFailover(record.agentId, record, `agent did not reregister after the failover to epoch ${record.epoch}`);
        ledger.setRegistry(record.agentId, 'unreachable', at);
        return;
      case 'agent.removed':
      case 'agent.disconnected':
        ledger.setRegistry(record.agentId, REGISTRY_OF[record.type], at);
        return;
      case 'framework.subscribed':
        Object.assign(ledger.frameworkView(record.frameworkId, record.name, record.node, at), {
          name: record.name,
          node: record.node,
          roles: record.roles,
          partitionAware: record.partitionAware,
          failoverTimeoutMs: record.failoverTimeoutMs,
          state: 'active',
          disconnectedAtMs: null,
          disconnectReason: null,
        });
        return;
      case 'framework.resubscribed':
        Object.assign(ledger.frameworkView(record.frameworkId, record.name, record.node, at), {
          name: record.name,
          node: record.node,
          state: 'active',
          disconnectedAtMs: null,
          disconnectReason: null,
        });
        return;
      case 'framework.disconnected':
        ledger.setFrameworkState(record.frameworkId, 'disconnected');
        ledger.noteDisconnect(record.frameworkId, at, record.reason);
        return;
      case 'framework.removed':
        ledger.setFrameworkState(record.frameworkId, 'removed');
        return;
      case 'offer.created':
        ledger.addOffer({ offerId: record.offerId, frameworkId: record.frameworkId, agentId: record.agentId, resources: frozen(record.resources), createdAtMs: at });
        return;
      case 'offer.accepted':
      case 'offer.declined':
      case 'offer.rescinded':
        ledger.removeOffer(record.offerId);
        return;
      case 'offer.filtered':
      case 'framework.suppressed':
      case 'framework.revived':
      case 'registry.committed':
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
      case 'agent.accepted':
      case 'scheduler.note':
      case 'fault.injected':
      case 'message.dropped':
      case 'message.duplicated':
      case 'master.unhandled':
        return;
      default:
        assertNever(record, 'history record');
    }
  }

  /** The state now: the same object while nothing changed, a new one (with fresh counts) after a change. */
  snapshot(): ClusterState {
    if (this.cached) return this.cached;
    this.ledger.refresh();
    const counts: ClusterCounts = { tasksByState: { ...this.tasksByState }, ...this.ledger.counts() };
    this.cached = {
      nowMs: this.nowMs,
      seed: this.seed,
      leader: this.leader,
      masters: this.masters,
      agents: this.ledger.agents,
      frameworks: this.ledger.frameworks,
      tasks: this.tasks,
      offers: this.ledger.offers,
      counts,
    };
    return this.cached;
  }

  // ---- nodes and masters ----

  private onNode(r: Extract<HistoryRecord, { type: 'node.started' | 'node.stopped' | 'node.paused' | 'node.resumed' }>): void {
    this.conditions.set(r.node, r.type === 'node.stopped' ? 'down' : r.type === 'node.paused' ? 'paused' : 'up');
    if (r.type === 'node.stopped' && this.leader?.node === r.node) this.loseLeader();
    // A master that starts, or stops, has no leadership (a restart comes back as a standby).
    if ((r.type === 'node.started' && r.role === 'master') || (r.type === 'node.stopped' && this.masters.has(r.node))) this.masterRoles.set(r.node, 'standby');
    if (r.type === 'node.started' && r.role === 'master') this.ensureMaster(r.node);
    this.refreshMaster(r.node);
    this.ledger.refreshHost(r.node);
  }

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
    if (!old || old.epoch !== epoch || old.node !== node) this.ledger.clearOffers();
    this.leader = { node, masterId, epoch };
    Object.assign(this.ensureMaster(node), { masterId, epoch, electedAtMs: at });
    this.setMasterRole(node, 'leading');
  }

  private loseLeader(): void {
    this.leader = null;
    this.ledger.clearOffers();
  }

  // ---- tasks ----

  private onTaskLaunched(r: Extract<HistoryRecord, { type: 'task.launched' }>, at: number): void {
    const prev = this.tasks.get(r.taskId);
    if (prev) this.forgetTask(prev);
    this.tombstones.delete(r.taskId);
    const host = this.ledger.hostOf(r.agentId);
    this.addTask({ taskId: r.taskId, name: r.name, frameworkId: r.frameworkId, agentId: r.agentId, host, state: 'TASK_STAGING', reason: null, resources: frozen(r.resources), launchedAtMs: at, updatedAtMs: at, history: [] });
  }

  /**
   * A new leader holds these agents as unreachable (its registry says so). One the history still
   * shows registered was marked by a leader deposed before it saw the commit: no agent.unreachable
   * was ever recorded, yet from now on the master treats its tasks as unreachable (fuzz seed 516).
   */
  private recoveredUnreachable(r: Extract<HistoryRecord, { type: 'master.recovered' }>, at: number): void {
    for (const agentId of r.unreachableAgentIds) {
      if (this.ledger.registryOf(agentId) !== 'registered') continue;
      this.unreachableAfterFailover(agentId, r, `agent marked unreachable in the registry, found so by the leader of epoch ${r.epoch}`);
      this.ledger.setRegistry(agentId, 'unreachable', at);
    }
  }

  /**
   * A master that took over never heard from this agent, so it knows none of its
   * tasks and reports none of them: the last state the history showed (RUNNING)
   * would stand forever. Show what its frameworks are told on reconciliation.
   */
  private unreachableAfterFailover(agentId: AgentId, r: { readonly seq: number; readonly atMs: number }, message: string): void {
    const at = r.atMs;
    for (const task of [...this.tasks.values()]) {
      if (task.agentId !== agentId || !ACTIVE_STATES.has(task.state)) continue;
      const partitionAware = this.ledger.frameworkPartitionAware(task.frameworkId);
      this.onTaskUpdated(
        {
          type: 'task.updated',
          taskId: task.taskId,
          frameworkId: task.frameworkId,
          agentId: task.agentId,
          state: stateForFramework('TASK_UNREACHABLE', partitionAware),
          reason: 'REASON_AGENT_REMOVED',
          source: 'SOURCE_MASTER',
          message,
          seq: r.seq,
          atMs: r.atMs,
        },
        at,
      );
    }
  }

  private onTaskUpdated(r: Extract<HistoryRecord, { type: 'task.updated' }>, at: number): void {
    let task = this.tasks.get(r.taskId);
    if (!task) {
      // A late duplicate about a task evicted for memory: its counts were final.
      if (this.tombstones.has(r.taskId)) return;
      const host = this.ledger.hostOf(r.agentId);
      task = { taskId: r.taskId, name: '', frameworkId: r.frameworkId, agentId: r.agentId, host, state: r.state, reason: r.reason, resources: EMPTY_RESOURCES, launchedAtMs: at, updatedAtMs: at, history: [] };
      this.addTask(task);
    } else if (task.agentId !== r.agentId) {
      this.forgetTask(task);
      task.agentId = r.agentId;
      task.host = this.ledger.hostOf(r.agentId);
      this.addTask(task);
    }
    // Frozen: a status line never changes, so the seek snapshots (projection/clone.ts) share it.
    task.history.push(Object.freeze({ atMs: at, state: r.state, reason: r.reason, message: r.message }));
    if (task.history.length > this.statusHistoryLength) task.history.shift();
    task.reason = r.reason;
    task.updatedAtMs = at;
    this.setTaskState(task, r.state);
  }

  /** Adds a task under its current state: counts, agent index, holding, terminal bound. */
  private addTask(task: TaskRecord): void {
    this.tasks.set(task.taskId, task);
    this.tasksByState[task.state] += 1;
    this.ledger.placeTask(task.taskId, task.agentId);
    this.ledger.setHolding(task, this.ledger.shouldHold(task.agentId, task.state));
    if (isTerminal(task.state)) {
      this.terminalQueue.push(task.taskId);
      this.enterTerminal();
    }
  }

  /** Takes a task out of every index (before a relaunch or a move); the caller keeps its view. */
  private forgetTask(task: TaskRecord): void {
    this.ledger.setHolding(task, false);
    this.tasksByState[task.state] -= 1;
    this.ledger.unplaceTask(task.taskId, task.agentId);
    if (isTerminal(task.state)) this.terminalRetained -= 1;
    this.tasks.delete(task.taskId);
  }

  private setTaskState(task: TaskRecord, state: TaskState): void {
    const prev = task.state;
    if (prev === state) return;
    this.tasksByState[prev] -= 1;
    this.tasksByState[state] += 1;
    task.state = state;
    this.ledger.setHolding(task, this.ledger.shouldHold(task.agentId, state));
    if (isTerminal(prev) && !isTerminal(state)) this.terminalRetained -= 1;
    else if (!isTerminal(prev) && isTerminal(state)) {
      this.terminalQueue.push(task.taskId);
      this.enterTerminal();
    }
  }

  /** Counts one more terminal task (already queued) and evicts the oldest beyond the bound. */
  private enterTerminal(): void {
    this.terminalRetained += 1;
    while (this.terminalRetained > this.maxTerminalTasks) {
      const taskId = this.terminalQueue.shift();
      if (taskId === undefined) return;
      const old = this.tasks.get(taskId);
      // Stale queue entry: the task left the terminal states or was relaunched.
      if (!old || !isTerminal(old.state)) continue;
      this.tasks.delete(taskId);
      this.ledger.unplaceTask(taskId, old.agentId);
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

/**
 * A record's resources, frozen: the projection never changes them, and a
 * frozen object is shared, not copied, by the seek snapshots (projection/clone.ts).
 */
function frozen(resources: Resources): Resources {
  if (!Object.isFrozen(resources)) {
    Object.freeze(resources.ports);
    Object.freeze(resources);
  }
  return resources;
}

function displayMaster(role: MasterRole, condition: NodeCondition | undefined): MasterView['state'] {
  if (condition === 'down') return 'down';
  if (condition === 'paused') return 'paused';
  return role;
}
