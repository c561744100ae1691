/**
 * The operator event stream (master.proto `Event`), derived from history
 * records so it is pure: SUBSCRIBED {get_state, heartbeat_interval_seconds},
 * then TASK_ADDED, TASK_UPDATED {framework_id, status (the last acknowledged
 * status, or the update itself before any ack), state (latest)}, AGENT_ADDED,
 * AGENT_REMOVED, FRAMEWORK_ADDED / UPDATED / REMOVED, HEARTBEAT.
 * As in Mesos (`Master::_removeSlave` is the only sender of AGENT_REMOVED), an
 * agent that becomes unreachable gets no AGENT_REMOVED: its tasks' TASK_UPDATED
 * and its absence from GET_AGENTS tell it.
 */
import type { HistoryRecord } from '../core/events.js';
import type { StatusUuid, TaskId } from '../core/ids.js';
import type { TaskState } from '../core/task-state.js';
import type { V1Event } from './scheduler-event.js';
import { getState, type OperatorContext } from './operator.js';
import { agentToV1, frameworkInfoToV1, frameworkToV1, offersByFramework, taskToV1 } from './v1-objects.js';

/** The first event of a subscription. */
export function operatorSubscribed(ctx: OperatorContext, heartbeatIntervalMs: number): V1Event {
  return { type: 'SUBSCRIBED', subscribed: { get_state: getState(ctx), heartbeat_interval_seconds: heartbeatIntervalMs / 1000 } };
}

/** The operator HEARTBEAT. */
export function operatorHeartbeat(): V1Event {
  return { type: 'HEARTBEAT' };
}

interface AckedStatus {
  readonly state: TaskState;
  readonly uuid: StatusUuid;
}

/**
 * Turns records into operator events. Keeps, per task, the statuses delivered
 * to the scheduler and the last one it acknowledged (TASK_UPDATED's `status`).
 * Feed it every record in order; `ctx.state` must already include the record.
 */
export class OperatorEventTranslator {
  private readonly delivered = new Map<TaskId, AckedStatus[]>();
  private readonly acked = new Map<TaskId, AckedStatus>();

  /** The events one record causes (often none). */
  translate(record: HistoryRecord, ctx: OperatorContext): V1Event[] {
    const { state } = ctx;
    switch (record.type) {
      case 'task.launched': {
        const task = state.tasks.get(record.taskId);
        return task ? [{ type: 'TASK_ADDED', task_added: { task: taskToV1(task) } }] : [];
      }
      case 'task.updated': {
        const acked = this.acked.get(record.taskId);
        const status: Record<string, unknown> = {
          task_id: { value: record.taskId },
          state: acked?.state ?? record.state,
          source: record.source,
          agent_id: { value: record.agentId },
          timestamp: record.atMs / 1000,
        };
        if (acked === undefined && record.reason !== null) status.reason = record.reason;
        if (acked === undefined && record.message !== null) status.message = record.message;
        return [{ type: 'TASK_UPDATED', task_updated: { framework_id: { value: record.frameworkId }, status, state: record.state } }];
      }
      case 'status.delivered':
        if (record.uuid !== null) {
          const list = this.delivered.get(record.taskId) ?? [];
          list.push({ state: record.state, uuid: record.uuid });
          if (list.length > 8) list.shift();
          this.delivered.set(record.taskId, list);
        }
        return [];
      case 'status.acknowledged': {
        const found = this.delivered.get(record.taskId)?.find((s) => s.uuid === record.uuid);
        if (found) this.acked.set(record.taskId, found);
        return [];
      }
      case 'agent.registered':
      case 'agent.reregistered': {
        const agent = state.agents.get(record.agentId);
        return agent ? [{ type: 'AGENT_ADDED', agent_added: { agent: agentToV1(agent, ctx.addresses) } }] : [];
      }
      case 'agent.removed':
        return [{ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: record.agentId } } }];
      case 'framework.subscribed':
      case 'framework.resubscribed':
      case 'framework.disconnected': {
        const framework = state.frameworks.get(record.frameworkId);
        if (!framework) return [];
        const v1 = frameworkToV1(framework, offersByFramework(state).get(framework.frameworkId) ?? [], state, ctx.addresses);
        return record.type === 'framework.subscribed' ? [{ type: 'FRAMEWORK_ADDED', framework_added: { framework: v1 } }] : [{ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: v1 } }];
      }
      case 'framework.removed': {
        const framework = state.frameworks.get(record.frameworkId);
        const info = framework ? frameworkInfoToV1(framework) : { id: { value: record.frameworkId } };
        return [{ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: info } }];
      }
      default:
        return [];
    }
  }
}
