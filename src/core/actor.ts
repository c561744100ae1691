/**
 * The actor model every master, agent, scheduler and coordinator follows: a
 * synchronous state machine that reacts to a delivered message or a fired timer,
 * with every effect going through the injected context. The same actors run under
 * the simulator (virtual clock, simulated network) and the live runtime (real
 * timers, WebSocket transport).
 */
import type { ClusterEvent } from './events.js';
import type { NodeId, TaskId } from './ids.js';
import type { Message, TaskInfo } from './messages.js';

/** Everything an actor may do to the world. */
export interface ActorContext {
  /** This actor's node id. */
  readonly self: NodeId;
  /** Milliseconds, virtual (sim) or real (live). */
  now(): number;
  /** Sends a message; delivery is at most once and FIFO per (sender, receiver) pair. */
  send(to: NodeId, message: Message): void;
  /** Sets (or replaces) the timer `key` to fire after `delayMs`. */
  setTimer(key: string, delayMs: number): void;
  /** Cancels the timer `key` if set. */
  cancelTimer(key: string): void;
  /** This actor's own seeded stream, uniform in [0, 1). */
  random(): number;
  /** Appends an event to the one history. */
  emit(event: ClusterEvent): void;
}

/** A process: reacts to its start, to messages and to timers. */
export interface Actor {
  /** Called when the process starts (again on restart, with fresh memory). */
  start(): void;
  /** Handles a delivered message. */
  receive(from: NodeId, message: Message): void;
  /** Handles a fired timer. */
  timer(key: string): void;
}

/** Builds an actor bound to its context. */
export type ActorFactory = (ctx: ActorContext) => Actor;

/**
 * Runs tasks on an agent's host. Status comes back to the agent as local
 * `executor.status` messages (from the agent's own node id), never over the network.
 * The simulator's executor follows the task's durationMs and failureProbability;
 * the live executor runs the command.
 */
export interface TaskExecutor {
  /** Starts a task: expect TASK_STARTING, then TASK_RUNNING, then a terminal state. */
  launch(task: TaskInfo): void;
  /** Kills a task: expect TASK_KILLED (unless it already ended). */
  kill(taskId: TaskId): void;
}
