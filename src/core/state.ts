/**
 * ClusterState: the snapshot the projection folds out of the history. The TUI,
 * `--once --json`, the summaries and the until-conditions read it. Plain data.
 */
import type { AgentId, FrameworkId, NodeId, OfferId, TaskId } from './ids.js';
import type { Attributes } from './messages.js';
import type { Resources } from './resources.js';
import type { TaskReason, TaskState } from './task-state.js';

/** A master as the history shows it. */
export interface MasterView {
  readonly node: NodeId;
  readonly state: 'leading' | 'standby' | 'down' | 'paused';
  readonly masterId: string | null;
  /** The epoch it leads (or last led). */
  readonly epoch: number | null;
  readonly electedAtMs: number | null;
}

/** Agent states from the master's (registry's) point of view. */
export type AgentState = 'registered' | 'unreachable' | 'removed' | 'disconnected' | 'down' | 'paused';
/** Every agent state, for counts. */
export const AGENT_STATES: readonly AgentState[] = ['registered', 'unreachable', 'disconnected', 'paused', 'down', 'removed'];

/** An agent. */
export interface AgentView {
  readonly agentId: AgentId;
  readonly host: NodeId;
  readonly state: AgentState;
  readonly resources: Resources;
  /** Held by tasks that are not terminal. */
  readonly used: Resources;
  /** Held by outstanding offers. */
  readonly offered: Resources;
  readonly attributes: Attributes;
  readonly taskCount: number;
  readonly registeredAtMs: number;
  readonly unreachableSinceMs: number | null;
}

/** Framework states. */
export type FrameworkState = 'active' | 'disconnected' | 'removed';

/** A framework. */
export interface FrameworkView {
  readonly frameworkId: FrameworkId;
  readonly name: string;
  readonly node: NodeId;
  readonly roles: readonly string[];
  readonly partitionAware: boolean;
  readonly state: FrameworkState;
  readonly failoverTimeoutMs: number;
  /** Non-terminal tasks. */
  readonly activeTasks: number;
  readonly used: Resources;
  readonly offered: Resources;
  readonly subscribedAtMs: number;
  /** When and why the master last disconnected it (null while it has been connected since). */
  readonly disconnectedAtMs: number | null;
  readonly disconnectReason: string | null;
}

/** One line of a task's status history (the describe pane). */
export interface TaskStatusLine {
  readonly atMs: number;
  readonly state: TaskState;
  readonly reason: TaskReason | null;
  readonly message: string | null;
}

/** A task. */
export interface TaskView {
  readonly taskId: TaskId;
  readonly name: string;
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
  readonly host: NodeId | null;
  readonly state: TaskState;
  readonly reason: TaskReason | null;
  readonly resources: Resources;
  readonly launchedAtMs: number;
  readonly updatedAtMs: number;
  readonly history: readonly TaskStatusLine[];
}

/** An outstanding offer. */
export interface OfferView {
  readonly offerId: OfferId;
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
  readonly resources: Resources;
  readonly createdAtMs: number;
}

/** Totals for the overview. */
export interface ClusterCounts {
  readonly tasksByState: Readonly<Record<TaskState, number>>;
  readonly agentsByState: Readonly<Record<AgentState, number>>;
  readonly total: Resources;
  readonly used: Resources;
  readonly offered: Resources;
}

/** The whole snapshot. Maps are keyed by id and iterate in insertion order. */
export interface ClusterState {
  readonly nowMs: number;
  readonly seed: string | null;
  readonly leader: { readonly node: NodeId; readonly masterId: string; readonly epoch: number } | null;
  readonly masters: ReadonlyMap<NodeId, MasterView>;
  readonly agents: ReadonlyMap<AgentId, AgentView>;
  readonly frameworks: ReadonlyMap<FrameworkId, FrameworkView>;
  readonly tasks: ReadonlyMap<TaskId, TaskView>;
  readonly offers: ReadonlyMap<OfferId, OfferView>;
  readonly counts: ClusterCounts;
}
