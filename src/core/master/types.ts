/**
 * The master's public options and inspection types, and the in-memory records
 * its handlers share. Records are indexed three ways (tasks by id, by agent and
 * by framework) so that every handler costs O(1) or O(tasks of one agent).
 */
import type { Actor } from '../actor.js';
import type { Allocator } from '../allocator/types.js';
import type { AgentId, FrameworkId, NodeId, OfferId, StatusUuid, TaskId } from '../ids.js';
import type { Attributes, Offer, TaskInfo } from '../messages.js';
import type { Resources } from '../resources.js';
import type { TaskReason, TaskState } from '../task-state.js';
import type { Timing } from '../timing.js';
import type { Registry } from './registry.js';

/** How the master comes to lead. */
export type LeadershipMode =
  /** One master: leads from start() at epoch 1. */
  | 'static'
  /** Master HA: start() waits; the election driver calls becomeLeader(epoch) / stepDown(reason). */
  | 'external';

/** What a master is built with. */
export interface MasterOptions {
  readonly timing: Timing;
  readonly allocator: Allocator;
  /** Role weights handed to the allocator when leadership starts (default 1 each). */
  readonly weights?: Readonly<Record<string, number>>;
  /** Default 'static'. */
  readonly leadership?: LeadershipMode;
  /** Default: a fresh in-memory registry. */
  readonly registry?: Registry;
  /** Terminal tasks kept per framework for reconciliation (Mesos `--max_completed_tasks_per_framework`, 1000). */
  readonly maxCompletedTasksPerFramework?: number;
  /** Removed frameworks remembered so their leftovers are shut down (Mesos `--max_completed_frameworks`, 50). */
  readonly maxCompletedFrameworks?: number;
}

/** An agent as the inspection shows it. */
export interface AgentSummary {
  readonly agentId: AgentId;
  readonly host: NodeId;
  readonly state: AgentRecordState;
  readonly resources: Resources;
  readonly taskIds: readonly TaskId[];
  readonly offerIds: readonly OfferId[];
  readonly missedPings: number;
}

/** A framework as the inspection shows it. */
export interface FrameworkSummary {
  readonly frameworkId: FrameworkId;
  readonly name: string;
  readonly node: NodeId;
  readonly state: FrameworkRecordState;
  readonly partitionAware: boolean;
  readonly taskIds: readonly TaskId[];
  readonly offerIds: readonly OfferId[];
  readonly completedTaskIds: readonly TaskId[];
}

/** A task as the inspection shows it (`state` is the master's latest state, not mapped for the framework). */
export interface TaskSummary {
  readonly taskId: TaskId;
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
  readonly state: TaskState;
  readonly holdsResources: boolean;
}

/** A read-only copy of the master's memory, for tests. */
export interface MasterInspection {
  readonly leading: boolean;
  readonly epoch: number;
  readonly masterId: string | null;
  readonly agents: ReadonlyMap<AgentId, AgentSummary>;
  readonly recoveredAgents: ReadonlyMap<AgentId, NodeId>;
  readonly frameworks: ReadonlyMap<FrameworkId, FrameworkSummary>;
  readonly completedFrameworks: readonly FrameworkId[];
  readonly tasks: ReadonlyMap<TaskId, TaskSummary>;
  readonly offers: ReadonlyMap<OfferId, Offer>;
}

/** The master actor: an Actor plus the leadership seam and a read-only inspection. */
export interface MasterActor extends Actor {
  /** Starts leading at `epoch` (called by start() in 'static' mode, by the election driver in 'external' mode). */
  becomeLeader(epoch: number): void;
  /**
   * Stops leading and forgets all in-memory state (Mesos fails fast); the registry is kept.
   * The allocator is not reset: to lead again, rebuild the master (a process restart) with a fresh allocator.
   */
  stepDown(reason: string): void;
  /** Cheap leadership state: leading, recovering the registry after an election, or standing by. */
  status(): 'leading' | 'recovering' | 'standby';
  /** A copy of the in-memory state. O(size): for tests and debugging only. */
  inspect(): MasterInspection;
}

/** An agent's state in master memory (unreachable agents keep their tasks until they come back). */
export type AgentRecordState = 'registered' | 'unreachable';

/** An agent in master memory. */
export interface AgentRecord {
  readonly agentId: AgentId;
  readonly host: NodeId;
  resources: Resources;
  attributes: Attributes;
  state: AgentRecordState;
  /** A registry write for this agent is in flight: its messages are ignored until it completes (the agent retries). */
  busy: boolean;
  unreachableSinceMs: number | null;
  readonly tasks: Map<TaskId, TaskRecord>;
  readonly offers: Set<OfferId>;
  awaitingPong: boolean;
  /** When the last ping was sent (meaningful while awaitingPong). */
  pingSentMs: number;
  /** The health-check round that sent the last ping; -1 when it was sent on the agent's own timer. */
  pingRound: number;
  /** Its place in the master's ping order at the last ping (a hint for matching pongs). */
  pingIndex: number;
  missedPings: number;
  /**
   * Not yet answered a ping since it (re)registered: pinged on its own timer,
   * from its registration on, until its first pong puts it in the rounds.
   */
  pingedAlone: boolean;
  /** The boot id it registered with (null when it reregistered): a register with the same one is a retry. */
  bootId: string | null;
}

/** A framework's state in master memory. */
export type FrameworkRecordState =
  | 'active'
  /** Silent for 3 heartbeat intervals: no offers, failover timer running. */
  | 'disconnected'
  /** Learned from a reregistering agent after a master failover; waits for its scheduler to subscribe. */
  | 'recovered';

/** A terminal task kept for reconciliation. */
export interface CompletedTask {
  readonly taskId: TaskId;
  readonly agentId: AgentId;
  readonly state: TaskState;
  readonly reason: TaskReason | null;
}

/** A framework in master memory. */
export interface FrameworkRecord {
  readonly frameworkId: FrameworkId;
  name: string;
  node: NodeId;
  roles: readonly string[];
  partitionAware: boolean;
  failoverTimeoutMs: number;
  state: FrameworkRecordState;
  lastHeardMs: number;
  /** Whether addFramework has been called (recovered frameworks join the allocator when they subscribe). */
  inAllocator: boolean;
  readonly tasks: Map<TaskId, TaskRecord>;
  readonly offers: Set<OfferId>;
  /** Bounded, oldest first. */
  readonly completed: Map<TaskId, CompletedTask>;
}

/** A non-completed task in master memory. */
export interface TaskRecord {
  readonly info: TaskInfo;
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
  /** The master's latest state (Mesos: the agent's `latest_state`). */
  state: TaskState;
  reason: TaskReason | null;
  /** Whether the agent ever reported the task: a STAGING task it never reported was lost in flight. */
  heardFromAgent: boolean;
  /** The uuid and state of the newest agent update: acknowledging a terminal one completes the task. */
  statusUuid: StatusUuid | null;
  statusState: TaskState | null;
  /** Whether the allocator counts its resources as used by its framework. */
  holdsResources: boolean;
  unreachableTimeMs: number | null;
}

/** An outstanding offer. */
export type OfferRecord = Offer;
