/**
 * The one history: every state change, injected fault and message fault is a
 * ClusterEvent. Actors emit events through `ctx.emit`; the runtime stamps each
 * with a sequence number and its (virtual) time, giving a HistoryRecord. The
 * projection, the checkers, the TUI and the JSONL history all read this stream.
 *
 * Keep payloads flat and JSON-friendly: the history hash is sha256 over the
 * canonical JSONL, and key order is the order fields are written here.
 */
import type { Fault } from './faults.js';
import type { AgentId, FrameworkId, NodeId, OfferId, StatusUuid, TaskId } from './ids.js';
import type { Attributes, MessageType } from './messages.js';
import type { Resources } from './resources.js';
import type { StatusSource, TaskReason, TaskState } from './task-state.js';

/** The master commands an agent acts on (a ping or a registration answer is not one). */
export type AgentCommand = 'master.run_task' | 'master.kill_task' | 'master.shutdown_framework' | 'master.shutdown_agent';

/** Every event in the history. */
export type ClusterEvent =
  // the run itself
  | { readonly type: 'cluster.started'; readonly seed: string; readonly timing: string; readonly masters: readonly NodeId[]; readonly agents: readonly NodeId[] }
  // process lifecycle (runtime-emitted)
  | { readonly type: 'node.started'; readonly node: NodeId; readonly role: NodeRole }
  | { readonly type: 'node.stopped'; readonly node: NodeId; readonly role: NodeRole; readonly reason: string }
  | { readonly type: 'node.paused'; readonly node: NodeId }
  | { readonly type: 'node.resumed'; readonly node: NodeId }
  // masters
  | { readonly type: 'master.elected'; readonly node: NodeId; readonly masterId: string; readonly epoch: number }
  | { readonly type: 'master.deposed'; readonly node: NodeId; readonly epoch: number; readonly reason: string }
  /**
   * A new leader read the registry. `unreachableAgentIds`: the agents it holds as unreachable, some
   * perhaps marked by a leader that was deposed before it saw its write commit (so never announced).
   */
  | { readonly type: 'master.recovered'; readonly node: NodeId; readonly epoch: number; readonly agentsInRegistry: number; readonly unreachableAgentIds: readonly AgentId[] }
  /** A new leader has heard from every agent in its registry (or timed them out): the failover is complete. */
  | { readonly type: 'master.failover_completed'; readonly node: NodeId; readonly epoch: number; readonly durationMs: number }
  /** A master got a message type it does not handle (a bug or a misrouted message): logged, never dropped silently. */
  | { readonly type: 'master.unhandled'; readonly node: NodeId; readonly from: NodeId; readonly message: MessageType }
  // agents (master's view)
  | {
      readonly type: 'agent.registered';
      readonly agentId: AgentId;
      readonly host: NodeId;
      readonly resources: Resources;
      readonly attributes: Attributes;
      readonly epoch: number;
    }
  | { readonly type: 'agent.reregistered'; readonly agentId: AgentId; readonly host: NodeId; readonly resources: Resources; readonly epoch: number }
  | { readonly type: 'agent.unreachable'; readonly agentId: AgentId; readonly host: NodeId; readonly epoch: number }
  | { readonly type: 'agent.removed'; readonly agentId: AgentId; readonly host: NodeId; readonly reason: string; readonly epoch: number }
  | { readonly type: 'agent.disconnected'; readonly agentId: AgentId; readonly host: NodeId; readonly epoch: number }
  // frameworks (master's view)
  | {
      readonly type: 'framework.subscribed';
      readonly frameworkId: FrameworkId;
      readonly name: string;
      readonly node: NodeId;
      readonly roles: readonly string[];
      readonly partitionAware: boolean;
      readonly failoverTimeoutMs: number;
      readonly epoch: number;
    }
  | { readonly type: 'framework.resubscribed'; readonly frameworkId: FrameworkId; readonly name: string; readonly node: NodeId; readonly epoch: number }
  /** `reason`: what the master saw (silence, or the scheduler's connection closing); the record's time is the moment. */
  | { readonly type: 'framework.disconnected'; readonly frameworkId: FrameworkId; readonly reason: string; readonly epoch: number }
  | { readonly type: 'framework.removed'; readonly frameworkId: FrameworkId; readonly reason: string; readonly epoch: number }
  // offers
  | {
      readonly type: 'offer.created';
      readonly offerId: OfferId;
      readonly frameworkId: FrameworkId;
      readonly agentId: AgentId;
      readonly resources: Resources;
    }
  | { readonly type: 'offer.accepted'; readonly offerId: OfferId; readonly frameworkId: FrameworkId; readonly taskIds: readonly TaskId[] }
  | { readonly type: 'offer.declined'; readonly offerId: OfferId; readonly frameworkId: FrameworkId; readonly refuseMs: number }
  | { readonly type: 'offer.rescinded'; readonly offerId: OfferId; readonly frameworkId: FrameworkId; readonly reason: string }
  /** A refuse filter installed (a decline, or the unused part of an accept): no offer of `resources` or less on the agent until it expires. */
  | { readonly type: 'offer.filtered'; readonly frameworkId: FrameworkId; readonly agentId: AgentId; readonly resources: Resources; readonly refuseMs: number }
  /** SUPPRESS: no offers to the framework until REVIVE. */
  | { readonly type: 'framework.suppressed'; readonly frameworkId: FrameworkId; readonly epoch: number }
  /** REVIVE: the framework's filters are cleared and offers resume. */
  | { readonly type: 'framework.revived'; readonly frameworkId: FrameworkId; readonly epoch: number }
  /** A registry write the master saw committed (`ops` spelled `<op> <agent id>`); it acts on it only after this. */
  | { readonly type: 'registry.committed'; readonly node: NodeId; readonly epoch: number; readonly ops: readonly string[] }
  // tasks: master's view
  | {
      readonly type: 'task.launched';
      readonly taskId: TaskId;
      readonly frameworkId: FrameworkId;
      readonly agentId: AgentId;
      readonly name: string;
      readonly resources: Resources;
      /** The task's labels (the batch scheduler numbers its tasks with `slot`). */
      readonly labels: Readonly<Record<string, string>>;
      /** The epoch of the master that launched it. */
      readonly epoch: number;
    }
  | {
      readonly type: 'task.updated';
      readonly taskId: TaskId;
      readonly frameworkId: FrameworkId;
      readonly agentId: AgentId;
      readonly state: TaskState;
      readonly reason: TaskReason | null;
      readonly source: StatusSource;
      readonly message: string | null;
    }
  // tasks: the agent's ground truth (what really runs on the host)
  | {
      readonly type: 'task.status';
      readonly taskId: TaskId;
      readonly frameworkId: FrameworkId;
      readonly agentId: AgentId;
      readonly host: NodeId;
      readonly state: TaskState;
      readonly reason: TaskReason | null;
      readonly uuid: StatusUuid;
    }
  // status delivery at the scheduler
  | {
      readonly type: 'status.delivered';
      readonly frameworkId: FrameworkId;
      readonly taskId: TaskId;
      readonly state: TaskState;
      readonly reason: TaskReason | null;
      readonly uuid: StatusUuid | null;
      /** The epoch of the master whose message the scheduler accepted. */
      readonly epoch: number;
    }
  | { readonly type: 'status.acknowledged'; readonly frameworkId: FrameworkId; readonly taskId: TaskId; readonly uuid: StatusUuid }
  /** The agent received the ack and dropped the update from its stream. */
  | { readonly type: 'status.ack_received'; readonly agentId: AgentId; readonly taskId: TaskId; readonly uuid: StatusUuid }
  /** An agent took a master's command past its epoch fence (and acts on it): what no-stale-epoch checks for agents. */
  | { readonly type: 'agent.accepted'; readonly host: NodeId; readonly command: AgentCommand; readonly epoch: number }
  // scheduler-side notes (services, batch, execute)
  | { readonly type: 'scheduler.note'; readonly frameworkId: FrameworkId | null; readonly node: NodeId; readonly app: string; readonly note: string }
  // faults
  | { readonly type: 'fault.injected'; readonly fault: Fault; readonly detail: string }
  /** The simulated network lost or duplicated a message under a link fault (partitions are proven by their effects instead). */
  | { readonly type: 'message.dropped'; readonly from: NodeId; readonly to: NodeId; readonly message: MessageType; readonly cause: 'loss' }
  | { readonly type: 'message.duplicated'; readonly from: NodeId; readonly to: NodeId; readonly message: MessageType };

/** What kind of process a node is. */
export type NodeRole = 'master' | 'agent' | 'scheduler' | 'coordinator';

/** The `type` strings of all events. */
export type ClusterEventType = ClusterEvent['type'];

/** An event as stored in the history: sequence number and virtual time first. */
export type HistoryRecord = ClusterEvent & { readonly seq: number; readonly atMs: number };

/** Events that are warnings in the TUI's warnings-only filter. */
export function isWarning(event: ClusterEvent): boolean {
  switch (event.type) {
    case 'master.deposed':
    case 'master.unhandled':
    case 'agent.unreachable':
    case 'agent.removed':
    case 'agent.disconnected':
    case 'framework.disconnected':
    case 'framework.removed':
    case 'node.stopped':
    case 'node.paused':
    case 'fault.injected':
      return true;
    case 'task.updated':
      return event.state !== 'TASK_STAGING' && event.state !== 'TASK_STARTING' && event.state !== 'TASK_RUNNING' && event.state !== 'TASK_FINISHED';
    default:
      return false;
  }
}
