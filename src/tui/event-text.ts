/**
 * One line per history event for the Events view and the overview's fault list.
 * The event type is shown in its own column, so this is the detail only.
 */
import { assertNever } from '../core/errors.js';
import type { ClusterEvent } from '../core/events.js';
import { formatResourcesShort, formatSpan, reasonWord, stateWord } from './format.js';

/** The detail of an event in one line (without its type). */
export function eventDetail(event: ClusterEvent): string {
  switch (event.type) {
    case 'cluster.started':
      return `seed ${event.seed} timing ${event.timing}, ${event.masters.length} masters, ${event.agents.length} agents`;
    case 'node.started':
      return `${event.role} ${event.node}`;
    case 'node.stopped':
      return `${event.role} ${event.node}: ${event.reason}`;
    case 'node.paused':
    case 'node.resumed':
      return event.node;
    case 'master.elected':
      return `${event.node} leads epoch ${event.epoch} (id ${event.masterId})`;
    case 'master.deposed':
      return `${event.node} epoch ${event.epoch}: ${event.reason}`;
    case 'master.recovered':
      return `${event.node} epoch ${event.epoch}, ${event.agentsInRegistry} agents in registry`;
    case 'master.failover_completed':
      return `${event.node} epoch ${event.epoch} in ${formatSpan(event.durationMs)}`;
    case 'agent.registered':
      return `${event.agentId} on ${event.host}: ${formatResourcesShort(event.resources)}`;
    case 'agent.reregistered':
      return `${event.agentId} on ${event.host}`;
    case 'agent.unreachable':
    case 'agent.disconnected':
      return `${event.agentId} on ${event.host}`;
    case 'agent.removed':
      return `${event.agentId} on ${event.host}: ${event.reason}`;
    case 'framework.subscribed':
      return `${event.name} ${event.frameworkId}${event.partitionAware ? ' (partition-aware)' : ''}`;
    case 'framework.resubscribed':
      return `${event.name} ${event.frameworkId} from ${event.node}`;
    case 'framework.disconnected':
      return `${event.frameworkId}: ${event.reason}`;
    case 'framework.removed':
      return `${event.frameworkId}: ${event.reason}`;
    case 'offer.created':
      return `${event.offerId} to ${event.frameworkId} on ${event.agentId}: ${formatResourcesShort(event.resources)}`;
    case 'offer.accepted':
      return `${event.offerId} by ${event.frameworkId}: ${event.taskIds.length} tasks`;
    case 'offer.declined':
      return `${event.offerId} by ${event.frameworkId}, refuse ${formatSpan(event.refuseMs)}`;
    case 'offer.rescinded':
      return `${event.offerId} from ${event.frameworkId}: ${event.reason}`;
    case 'offer.filtered':
      return `${event.frameworkId} on ${event.agentId} for ${event.refuseMs}ms: ${formatResourcesShort(event.resources)}`;
    case 'framework.suppressed':
    case 'framework.revived':
      return event.frameworkId;
    case 'registry.committed':
      return `${event.node} at epoch ${event.epoch}: ${event.ops.join(', ')}`;
    case 'task.launched':
      return `${event.taskId} (${event.name}) on ${event.agentId}`;
    case 'task.updated':
      return `${event.taskId} ${stateWord(event.state)} ${reasonWord(event.reason)}${event.message ? `: ${event.message}` : ''}`;
    case 'task.status':
      return `${event.taskId} ${stateWord(event.state)} on ${event.host} ${reasonWord(event.reason)}`;
    case 'status.delivered':
      return `${event.taskId} ${stateWord(event.state)} to ${event.frameworkId}`;
    case 'status.acknowledged':
      return `${event.taskId} by ${event.frameworkId}`;
    case 'status.ack_received':
      return `${event.taskId} at ${event.agentId}`;
    case 'agent.accepted':
      return `${event.host}: ${event.command} (epoch ${event.epoch})`;
    case 'scheduler.note':
      return `${event.app}: ${event.note}`;
    case 'fault.injected':
      return event.detail;
    case 'message.dropped':
      return `${event.message} ${event.from} -> ${event.to} (${event.cause})`;
    case 'message.duplicated':
      return `${event.message} ${event.from} -> ${event.to}`;
    case 'master.unhandled':
      return `${event.node} got ${event.message} from ${event.from}, which it does not handle`;
    default:
      return assertNever(event, 'event');
  }
}
