/**
 * The agent's task status update manager (Mesos `TaskStatusUpdateManager`).
 * One stream per task: every new status gets a uuid, is emitted as
 * `task.status` and queued on the task's checkpointed stream. Only the head of
 * a stream is outstanding: it is forwarded to the master and resent on a
 * per-task timer (statusUpdateRetryMinMs doubling to statusUpdateRetryMaxMs)
 * until an ack with its uuid pops it; then the next one goes. That gives
 * at-least-once delivery in order per task, and a duplicated or stale ack is
 * harmless because it names a uuid that is no longer the head.
 */
import type { ActorContext } from '../actor.js';
import { hexId, type StatusUuid, type TaskId } from '../ids.js';
import type { StatusUpdate, TaskStatus } from '../messages.js';
import { isTerminal } from '../task-state.js';
import type { Timing } from '../timing.js';
import { firstStatusRetryMs, nextStatusRetryMs } from './backoff.js';

/** Timer keys of the per-task retry timers start with this. */
export const STATUS_RETRY_TIMER_PREFIX = 'status-retry:';

/** A status before the manager stamps it with a uuid and a time. */
export type NewTaskStatus = Omit<TaskStatus, 'uuid' | 'timestampMs' | 'unreachableTimeMs'>;

/** How the manager is built. */
export interface StatusUpdateManagerOptions {
  readonly ctx: ActorContext;
  readonly timing: Timing;
  /** The checkpointed streams (`AgentDisk.updates`): they survive a process restart. */
  readonly streams: Map<TaskId, TaskStatus[]>;
  /** Sends one update to the leading master; called only while resumed. */
  readonly forward: (update: StatusUpdate) => void;
}

/** The task status update manager of one agent. */
export interface StatusUpdateManager {
  /** Stamps a new status (uuid, time), emits `task.status`, queues it, and forwards it at once if it is its stream's head. */
  update(status: NewTaskStatus): TaskStatus;
  /** Pops the head of the task's stream if `uuid` names it and sends the next; returns the popped status, or null (ignored). */
  acknowledge(taskId: TaskId, uuid: StatusUuid): TaskStatus | null;
  /** Handles a fired timer; false when the key is not a status retry timer. */
  timer(key: string): boolean;
  /** Stops forwarding (no master, or registering): updates queue up, retries lapse. */
  pause(): void;
  /** Forwards every stream's head again (after (re)registering) with a fresh retry interval. */
  resume(): void;
  /** Whether the task has unacknowledged updates. */
  has(taskId: TaskId): boolean;
  /** Forgets a task's stream and its retry timer (framework shutdown). */
  drop(taskId: TaskId): void;
  /** Forgets every stream (agent shutdown). */
  dropAll(): void;
}

/** Builds the manager over the checkpointed streams; it starts paused (the agent is not registered yet). */
export function createStatusUpdateManager(options: StatusUpdateManagerOptions): StatusUpdateManager {
  const { ctx, timing, streams, forward } = options;
  /** The current retry interval of each outstanding head (memory only: a restart starts over at the minimum). */
  const retryMs = new Map<TaskId, number>();
  let paused = true;
  const random = (): number => ctx.random();
  const timerKey = (taskId: TaskId): string => STATUS_RETRY_TIMER_PREFIX + taskId;

  const sendHead = (taskId: TaskId, stream: readonly TaskStatus[], intervalMs: number): void => {
    const head = stream[0];
    const newest = stream[stream.length - 1];
    if (head === undefined || newest === undefined) return;
    // latestState lets the master know where the task really is while older updates are still in flight.
    forward({ frameworkId: head.frameworkId, status: head, latestState: newest.state });
    retryMs.set(taskId, intervalMs);
    ctx.setTimer(timerKey(taskId), intervalMs);
  };

  const forget = (taskId: TaskId): void => {
    streams.delete(taskId);
    retryMs.delete(taskId);
    ctx.cancelTimer(timerKey(taskId));
  };

  return {
    update(fresh) {
      const uuid = flat(hexId(random, 16));
      const status = stamp(fresh, uuid, ctx.now());
      ctx.emit({
        type: 'task.status',
        taskId: status.taskId,
        frameworkId: status.frameworkId,
        agentId: status.agentId,
        host: ctx.self,
        state: status.state,
        reason: status.reason ?? null,
        uuid,
      });
      const stream = streams.get(status.taskId);
      if (stream) {
        stream.push(status); // waits behind the outstanding head
      } else {
        const created = [status];
        streams.set(status.taskId, created);
        if (!paused) sendHead(status.taskId, created, firstStatusRetryMs(timing));
      }
      return status;
    },
    acknowledge(taskId, uuid) {
      const stream = streams.get(taskId);
      const head = stream?.[0];
      if (stream === undefined || head === undefined || head.uuid !== uuid) return null;
      stream.shift();
      ctx.emit({ type: 'status.ack_received', agentId: head.agentId, taskId, uuid });
      // An acknowledged terminal update ends the stream (nothing legal can follow it).
      if (stream.length === 0 || isTerminal(head.state)) forget(taskId);
      else if (paused) ctx.cancelTimer(timerKey(taskId));
      else sendHead(taskId, stream, firstStatusRetryMs(timing));
      return head;
    },
    timer(key) {
      if (!key.startsWith(STATUS_RETRY_TIMER_PREFIX)) return false;
      const taskId = key.slice(STATUS_RETRY_TIMER_PREFIX.length);
      const stream = streams.get(taskId);
      if (paused || stream === undefined) return true; // resume() re-arms every head
      sendHead(taskId, stream, nextStatusRetryMs(retryMs.get(taskId) ?? firstStatusRetryMs(timing), timing));
      return true;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      const intervalMs = firstStatusRetryMs(timing);
      for (const [taskId, stream] of streams) sendHead(taskId, stream, intervalMs);
    },
    has: (taskId) => streams.has(taskId),
    drop: forget,
    dropAll() {
      for (const taskId of streams.keys()) ctx.cancelTimer(timerKey(taskId));
      streams.clear();
      retryMs.clear();
    },
  };
}

/** The status with its uuid and time; unset optional fields stay absent (no spreads: this runs for every update). */
function stamp(fresh: NewTaskStatus, uuid: StatusUuid, timestampMs: number): TaskStatus {
  const { taskId, frameworkId, agentId, state, reason, source, message } = fresh;
  if (reason === undefined) {
    return message === undefined
      ? { taskId, frameworkId, agentId, state, source, uuid, timestampMs }
      : { taskId, frameworkId, agentId, state, source, message, uuid, timestampMs };
  }
  return message === undefined
    ? { taskId, frameworkId, agentId, state, reason, source, uuid, timestampMs }
    : { taskId, frameworkId, agentId, state, reason, source, message, uuid, timestampMs };
}

/**
 * Returns `text` flattened. `hexId` builds its result one digit at a time, and V8
 * keeps such a string as a rope of 16 pieces (about four times the memory of a
 * flat one) until something reads it; every pending update keeps its uuid until
 * acknowledged, across up to 500,000 tasks. Reading one character flattens it in
 * place.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
