/**
 * Every message between actors: a tagged union with namespaced `type` strings.
 * The prefix names the sender's role (`agent.`, `master.`, `scheduler.`,
 * `executor.`, `coordinator.`). Every message a master sends carries its
 * `epoch`; receivers ignore a master whose epoch is older than the newest they
 * have seen (fencing of a deposed leader).
 */
import type { AgentId, FrameworkId, NodeId, OfferId, StatusUuid, TaskId } from './ids.js';
import type { Resources } from './resources.js';
import type { StatusSource, TaskReason, TaskState } from './task-state.js';

/** Agent attributes: `rack:r1`, `zone:a`. */
export type Attributes = Readonly<Record<string, string>>;

/** What a scheduler asks to launch (Mesos TaskInfo with a command). */
export interface TaskInfo {
  readonly taskId: TaskId;
  /** The app or job name (services and batch use it to group tasks). */
  readonly name: string;
  readonly agentId: AgentId;
  readonly resources: Resources;
  /** The shell command (run for real by the live executor). */
  readonly command: string;
  /** Simulated run time; null or undefined = runs until killed. */
  readonly durationMs?: number | null;
  /** Simulated chance (0..1) that the task ends TASK_FAILED instead of TASK_FINISHED / fails while running. */
  readonly failureProbability?: number;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A task status as schedulers see it (Mesos TaskStatus). */
export interface TaskStatus {
  readonly taskId: TaskId;
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
  readonly state: TaskState;
  readonly reason?: TaskReason;
  readonly source: StatusSource;
  readonly message?: string;
  /** Present on agent-generated updates (which must be acknowledged); absent on master-generated ones. */
  readonly uuid?: StatusUuid;
  readonly timestampMs: number;
  /** Set on TASK_UNREACHABLE: when the agent was marked unreachable. */
  readonly unreachableTimeMs?: number;
}

/** Framework capabilities that change master behaviour. */
export interface FrameworkCapabilities {
  readonly partitionAware: boolean;
  readonly taskKillingState?: boolean;
}

/** What a scheduler subscribes with (Mesos FrameworkInfo). */
export interface FrameworkInfo {
  /** Unset on the first SUBSCRIBE; set to fail over to an existing framework. */
  readonly frameworkId?: FrameworkId;
  readonly name: string;
  readonly user?: string;
  readonly roles: readonly string[];
  readonly capabilities: FrameworkCapabilities;
  /** How long the master keeps a disconnected framework's tasks (Mesos default 0). */
  readonly failoverTimeoutMs: number;
  readonly checkpoint?: boolean;
}

/** A resource offer. */
export interface Offer {
  readonly offerId: OfferId;
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
  readonly host: NodeId;
  readonly role: string;
  readonly resources: Resources;
  readonly attributes: Attributes;
}

/** An operation in an ACCEPT. Only LAUNCH is modelled. */
export type Operation = { readonly type: 'LAUNCH'; readonly tasks: readonly TaskInfo[] };

/** A task as an agent reports it when reregistering. */
export interface AgentTaskReport {
  readonly task: TaskInfo;
  readonly frameworkId: FrameworkId;
  readonly state: TaskState;
}

/** The framework an agent runs tasks for (so a new master learns it on reregistration). */
export interface FrameworkRef {
  readonly frameworkId: FrameworkId;
  readonly name: string;
  readonly schedulerNode: NodeId;
  readonly partitionAware: boolean;
}

/** An agent-generated status update on its way to the master (Mesos StatusUpdate). */
export interface StatusUpdate {
  readonly frameworkId: FrameworkId;
  readonly status: TaskStatus;
  /** The newest state the agent knows for the task, even when `status` is an older, unacknowledged one. */
  readonly latestState: TaskState;
}

/** A task named in an explicit RECONCILE. */
export interface ReconcileTask {
  readonly taskId: TaskId;
  readonly agentId?: AgentId;
}

/** Agent -> master. */
export type AgentMessage =
  | {
      readonly type: 'agent.register';
      readonly host: NodeId;
      readonly resources: Resources;
      readonly attributes: Attributes;
      /** Drawn when the agent process starts without an agent id: a retried or duplicated register carries the same one, a rebooted host a new one. */
      readonly bootId?: string;
    }
  | {
      readonly type: 'agent.reregister';
      readonly agentId: AgentId;
      readonly host: NodeId;
      readonly resources: Resources;
      readonly attributes: Attributes;
      readonly tasks: readonly AgentTaskReport[];
      readonly frameworks: readonly FrameworkRef[];
    }
  | { readonly type: 'agent.pong'; readonly agentId: AgentId; readonly epoch: number }
  | { readonly type: 'agent.status_update'; readonly agentId: AgentId; readonly update: StatusUpdate };

/** Master -> agent. */
export type MasterToAgentMessage =
  | { readonly type: 'master.agent_registered'; readonly epoch: number; readonly masterId: string; readonly agentId: AgentId }
  | { readonly type: 'master.agent_reregistered'; readonly epoch: number; readonly masterId: string; readonly agentId: AgentId }
  | { readonly type: 'master.ping'; readonly epoch: number; readonly agentId: AgentId }
  | { readonly type: 'master.run_task'; readonly epoch: number; readonly framework: FrameworkRef; readonly task: TaskInfo }
  | { readonly type: 'master.kill_task'; readonly epoch: number; readonly frameworkId: FrameworkId; readonly taskId: TaskId }
  | {
      readonly type: 'master.status_update_ack';
      readonly epoch: number;
      readonly frameworkId: FrameworkId;
      readonly taskId: TaskId;
      readonly uuid: StatusUuid;
    }
  | { readonly type: 'master.shutdown_framework'; readonly epoch: number; readonly frameworkId: FrameworkId }
  | { readonly type: 'master.shutdown_agent'; readonly epoch: number; readonly reason: string };

/** Scheduler -> master (the v1 scheduler API calls). */
export type SchedulerMessage =
  | { readonly type: 'scheduler.subscribe'; readonly framework: FrameworkInfo }
  | {
      readonly type: 'scheduler.accept';
      readonly frameworkId: FrameworkId;
      readonly offerIds: readonly OfferId[];
      readonly operations: readonly Operation[];
      /** Filters.refuse_seconds in ms for the unused part; default 5 s. */
      readonly refuseMs?: number;
    }
  | { readonly type: 'scheduler.decline'; readonly frameworkId: FrameworkId; readonly offerIds: readonly OfferId[]; readonly refuseMs?: number }
  | { readonly type: 'scheduler.revive'; readonly frameworkId: FrameworkId; readonly roles?: readonly string[] }
  | { readonly type: 'scheduler.suppress'; readonly frameworkId: FrameworkId; readonly roles?: readonly string[] }
  | { readonly type: 'scheduler.kill'; readonly frameworkId: FrameworkId; readonly taskId: TaskId; readonly agentId?: AgentId }
  | {
      readonly type: 'scheduler.acknowledge';
      readonly frameworkId: FrameworkId;
      readonly agentId: AgentId;
      readonly taskId: TaskId;
      readonly uuid: StatusUuid;
    }
  | { readonly type: 'scheduler.reconcile'; readonly frameworkId: FrameworkId; readonly tasks: readonly ReconcileTask[] }
  | { readonly type: 'scheduler.teardown'; readonly frameworkId: FrameworkId }
  /** Keeps the subscription alive: models the scheduler's HTTP stream / TCP keepalive. */
  | { readonly type: 'scheduler.heartbeat'; readonly frameworkId: FrameworkId }
  /**
   * The scheduler's connection closed (a live transport sees it at once: the
   * HTTP subscription stream ended). The master disconnects the framework now
   * instead of after 3 silent heartbeat intervals, and starts its failover timeout.
   */
  | { readonly type: 'scheduler.disconnected'; readonly frameworkId: FrameworkId; readonly reason: string };

/** Master -> scheduler (the v1 scheduler API events). */
export type MasterToSchedulerMessage =
  | {
      readonly type: 'master.subscribed';
      readonly epoch: number;
      readonly masterId: string;
      readonly frameworkId: FrameworkId;
      readonly heartbeatIntervalMs: number;
    }
  | { readonly type: 'master.offers'; readonly epoch: number; readonly offers: readonly Offer[] }
  | { readonly type: 'master.rescind'; readonly epoch: number; readonly offerId: OfferId }
  | { readonly type: 'master.update'; readonly epoch: number; readonly status: TaskStatus }
  | { readonly type: 'master.failure'; readonly epoch: number; readonly agentId: AgentId }
  | { readonly type: 'master.error'; readonly epoch: number; readonly message: string }
  | { readonly type: 'master.heartbeat'; readonly epoch: number };

/** A standby master's answer to a leader-only request (HTTP 307 / 503 in Mesos). */
export type MasterRedirectMessage = { readonly type: 'master.redirect'; readonly epoch: number; readonly leader: NodeId | null };

/** Executor -> its own agent (local, never crosses the network). */
export type ExecutorMessage = {
  readonly type: 'executor.status';
  readonly taskId: TaskId;
  readonly state: 'TASK_STARTING' | 'TASK_RUNNING' | 'TASK_FINISHED' | 'TASK_FAILED' | 'TASK_KILLED';
  readonly message?: string;
};

/**
 * Coordinator (ZooKeeper-like) protocol, for master high availability.
 * Sessions expire after `timeoutMs` without a heartbeat; a master joins the
 * election as an ephemeral sequential member of its session; the member with
 * the lowest sequence number leads and its sequence number is the epoch, so
 * epochs strictly increase. Watchers are told the leader on every change.
 * The registry is stored here; a write is accepted only from the current
 * leader's epoch (the fencing a replicated log's quorum gives Mesos).
 */
export type CoordinatorMessage =
  /** Pushed to watchers whenever the leader changes (and in answer to a watch). */
  | { readonly type: 'coordinator.leader'; readonly leader: NodeId | null; readonly epoch: number }
  /** A detector asks to be told the leader now and on every change. */
  | { readonly type: 'coordinator.watch_leader' }
  /** Opens a session (or keeps one alive: the same message is the heartbeat). */
  | { readonly type: 'coordinator.heartbeat'; readonly sessionId: string | null; readonly timeoutMs: number }
  /** The session is alive (`expired`: the session named is gone; start over with a new one). */
  | { readonly type: 'coordinator.session'; readonly sessionId: string; readonly expired: boolean }
  /** Closes a session at once (ZooKeeper's close): its members go, a new leader is elected. */
  | { readonly type: 'coordinator.close'; readonly sessionId: string }
  /** Joins the leader election with an ephemeral sequential member of the session. */
  | { readonly type: 'coordinator.join'; readonly sessionId: string }
  /** The member created for a join: its sequence number (the epoch it would lead). */
  | { readonly type: 'coordinator.joined'; readonly sessionId: string; readonly sequence: number }
  /** Reads the registry (answered with `coordinator.registry`). */
  | { readonly type: 'coordinator.registry_read'; readonly epoch: number }
  | { readonly type: 'coordinator.registry'; readonly epoch: number; readonly registry: RegistrySnapshot }
  /** Applies operations to the registry, only if `epoch` is the current leader's. */
  | { readonly type: 'coordinator.registry_write'; readonly epoch: number; readonly requestId: number; readonly ops: readonly RegistryOp[] }
  | { readonly type: 'coordinator.registry_written'; readonly epoch: number; readonly requestId: number; readonly accepted: boolean };

/** An agent as the registry knows it. */
export interface RegistryAgent {
  readonly agentId: AgentId;
  readonly host: NodeId;
  readonly state: 'admitted' | 'unreachable' | 'gone';
  /** When it was marked unreachable or gone. */
  readonly sinceMs: number | null;
}

/** The durable registry: every agent ever admitted and not garbage-collected. */
export interface RegistrySnapshot {
  readonly agents: readonly RegistryAgent[];
  /** The next agent number to mint, so agent ids stay unique across failovers. */
  readonly nextAgentNumber: number;
}

/** One registry change. */
export type RegistryOp =
  | { readonly op: 'admit'; readonly agentId: AgentId; readonly host: NodeId }
  | { readonly op: 'mark_unreachable'; readonly agentId: AgentId; readonly atMs: number }
  | { readonly op: 'mark_reachable'; readonly agentId: AgentId }
  | { readonly op: 'mark_gone'; readonly agentId: AgentId; readonly atMs: number }
  | { readonly op: 'remove'; readonly agentId: AgentId }
  | { readonly op: 'reserve_agent_number'; readonly next: number };

/** Every message. */
export type Message =
  | AgentMessage
  | MasterToAgentMessage
  | SchedulerMessage
  | MasterToSchedulerMessage
  | MasterRedirectMessage
  | ExecutorMessage
  | CoordinatorMessage;

/** The `type` strings of all messages. */
export type MessageType = Message['type'];
