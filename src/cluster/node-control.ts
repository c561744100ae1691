/**
 * What the cluster layer asks of a runtime: the small set of operations on
 * processes, links and tasks that every fault is made of. The simulator
 * implements it over its event queue and simulated network (src/sim); the live
 * runtime over real processes, iptables rules or its transport, and a process
 * executor. The cluster layer (faults.ts) decides what each fault means in
 * these terms, and emits the `node.*` lifecycle events around them, so both
 * runtimes give the same history for the same fault.
 */
import type { ActorFactory } from '../core/actor.js';
import type { NodeRole } from '../core/events.js';
import type { LinkFaultSpec, NodeGroup } from '../core/faults.js';
import type { NodeId, TaskId } from '../core/ids.js';

/** Lifecycle of a node: running, paused (SIGSTOP) or stopped. */
export type NodeStatus = 'running' | 'paused' | 'stopped';

/** The runtime's side of the seam. Every method acts at the runtime's current time. */
export interface NodeControl {
  /** Registers a node, stopped; `start` runs it. */
  add(node: NodeId, role: NodeRole, factory: ActorFactory): void;
  /** The node's role, or undefined if unknown. */
  role(node: NodeId): NodeRole | undefined;
  /** The node's status, or undefined if unknown. */
  status(node: NodeId): NodeStatus | undefined;
  /** Node ids with a role, in the order they were added. */
  nodesWithRole(role: NodeRole): NodeId[];
  /** Starts a stopped node with fresh memory (a process start). */
  start(node: NodeId): void;
  /** Kills a node: memory, timers and inbox are gone. */
  stop(node: NodeId): void;
  /** Pauses a running node: its deliveries and timers wait. */
  pause(node: NodeId): void;
  /** Resumes a paused node: what waited is handled now, in order. */
  resume(node: NodeId): void;

  /** Cuts the links between every pair of groups (one-way: only from groups[0] to the others). */
  cut(groups: readonly NodeGroup[], oneWay: boolean): void;
  /** Removes every cut, link fault and clog; held messages flow again. */
  healLinks(): void;
  /** Degrades the links from `from` to `to` (empty = every node): delay, jitter, loss, duplication. */
  degrade(from: NodeGroup, to: NodeGroup, oneWay: boolean, spec: LinkFaultSpec): void;
  /** Holds (does not lose) every message to and from these nodes. */
  clog(nodes: NodeGroup): void;
  /** Releases the clog of these nodes; what was held is delivered in order. */
  unclog(nodes: NodeGroup): void;
  /** Clogs the nodes one by one, `stepMs` apart, then unclogs them in a random order. */
  swizzleClog(nodes: NodeGroup, stepMs: number): void;

  /** The host a task really runs on (ground truth), if it runs. */
  taskHost(taskId: TaskId): NodeId | undefined;
  /** Kills a running task from outside (it reports TASK_KILLED); false when it does not run. */
  killTask(taskId: TaskId, message: string): boolean;
  /** The host crashed: its tasks die without a word. */
  crashHostTasks(host: NodeId): void;
  /** The agent process on `host` started again: its surviving tasks report to it again. */
  reattachTasks(host: NodeId): void;
  /** Expires the coordinator sessions of a master; false when the cluster has no coordinator. */
  expireSessions(master: NodeId): boolean;
}
