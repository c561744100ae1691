/**
 * Node control over the simulator: the cluster layer's operations as
 * changes to the event queue, the simulated network and the simulated
 * executors. Pure and deterministic like the rest of src/sim.
 */
import type { ActorFactory } from '../core/actor.js';
import type { CoordinatorActor } from '../core/coordinator/coordinator.js';
import type { NodeRole } from '../core/events.js';
import type { LinkFaultSpec, NodeGroup } from '../core/faults.js';
import type { NodeId, TaskId } from '../core/ids.js';
import type { NodeControl, NodeStatus } from '../cluster/node-control.js';
import { COORDINATOR_NODE } from '../cluster/spec.js';
import type { SimExecutors } from './executor.js';
import type { SimRuntime } from './runtime.js';

/** NodeControl for one simulation. */
export class SimNodeControl implements NodeControl {
  constructor(
    private readonly runtime: SimRuntime,
    private readonly executors: SimExecutors,
  ) {}

  add(node: NodeId, role: NodeRole, factory: ActorFactory): void {
    this.runtime.register(node, role, factory);
  }

  role(node: NodeId): NodeRole | undefined {
    return this.runtime.role(node);
  }

  status(node: NodeId): NodeStatus | undefined {
    return this.runtime.status(node);
  }

  nodesWithRole(role: NodeRole): NodeId[] {
    return this.runtime.nodesWithRole(role);
  }

  start(node: NodeId): void {
    this.runtime.start(node);
  }

  stop(node: NodeId): void {
    this.runtime.stop(node);
  }

  pause(node: NodeId): void {
    this.runtime.pause(node);
  }

  resume(node: NodeId): void {
    this.runtime.resume(node);
  }

  cut(groups: readonly NodeGroup[], oneWay: boolean): void {
    this.runtime.network.partition(groups, oneWay);
  }

  healLinks(): void {
    this.runtime.resend(this.runtime.network.heal());
  }

  degrade(from: NodeGroup, to: NodeGroup, oneWay: boolean, spec: LinkFaultSpec): void {
    this.runtime.network.link(from, to, oneWay, spec);
  }

  clog(nodes: NodeGroup): void {
    this.runtime.network.clog(nodes);
  }

  unclog(nodes: NodeGroup): void {
    this.runtime.resend(this.runtime.network.unclog(nodes));
  }

  /** FoundationDB's swizzle-clog: clog one by one, then unclog in a random order, on the `faults:swizzle` stream. */
  swizzleClog(nodes: NodeGroup, stepMs: number): void {
    const rt = this.runtime;
    const prng = rt.streams.get('faults:swizzle');
    const order = prng.shuffle(nodes);
    const release = prng.shuffle(nodes);
    order.forEach((node, i) => rt.schedule(i * stepMs, () => rt.network.clog([node])));
    release.forEach((node, i) => rt.schedule((order.length + i) * stepMs, () => rt.resend(rt.network.unclog([node]))));
  }

  taskHost(taskId: TaskId): NodeId | undefined {
    return this.executors.hostOf(taskId);
  }

  killTask(taskId: TaskId, message: string): boolean {
    return this.executors.kill(taskId, message);
  }

  crashHostTasks(host: NodeId): void {
    this.executors.crashHost(host);
  }

  reattachTasks(host: NodeId): void {
    this.executors.reattach(host);
  }

  expireSessions(master: NodeId): boolean {
    const coordinator = this.runtime.actor(COORDINATOR_NODE) as CoordinatorActor | null;
    if (!coordinator) return false;
    coordinator.expireSessionsOf(master);
    return true;
  }
}
