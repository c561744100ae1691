/**
 * The built-in schedulers of a live run, hosted in the runner: core scheduler
 * actors on the wall-clock node host, each with its own connection to the
 * masters over the WebSocket transport (as a scheduler node). With several
 * masters they learn the leader as in the simulation, from the coordinator
 * node, which here is a ZooKeeper endpoint of this process: its answers name
 * the leader's node id, and the connection moves to that master's address.
 */
import type { ActorFactory } from '../../core/actor.js';
import type { ClusterEvent } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import type { Message } from '../../core/messages.js';
import { COORDINATOR_NODE } from '../../cluster/spec.js';
import { NodeHost } from '../runtime/node-host.js';
import type { SchedulerHosting } from './live-node-control.js';

/** One scheduler's connection to the masters. */
export interface SchedulerLink {
  send(message: Message): void;
  /** Moves the connection to another master (HOST:PORT). */
  setMaster(hostPort: string): void;
  close(): void;
}

/** Opens a scheduler's connection (the live transport's client as a scheduler node). */
export type SchedulerLinkFactory = (options: {
  readonly node: NodeId;
  readonly master: string;
  readonly onMessage: (from: NodeId, message: Message) => void;
}) => SchedulerLink;

/** The coordinator node's stand-in: a ZooKeeper endpoint in this process. */
export interface CoordinatorPort {
  receive(from: NodeId, message: Message): void;
  close(): Promise<void> | void;
}

/** How the schedulers are hosted. */
export interface RunnerSchedulersOptions {
  readonly emit: (node: NodeId, event: ClusterEvent) => void;
  readonly link: SchedulerLinkFactory;
  /** HOST:PORT of a master node. */
  readonly masterAddress: (master: NodeId) => string;
  /** Builds the coordinator port once a scheduler first talks to it; `deliver` hands its answers to an actor. */
  readonly coordinator: ((deliver: (to: NodeId, message: Message) => void) => CoordinatorPort) | null;
}

/** Scheduler actors in this process. */
export class RunnerSchedulers implements SchedulerHosting {
  private readonly host: NodeHost;
  private readonly links = new Map<NodeId, { link: SchedulerLink; master: NodeId }>();
  private coordinator: CoordinatorPort | null = null;

  constructor(private readonly options: RunnerSchedulersOptions) {
    this.host = new NodeHost({ now: () => Date.now(), emit: options.emit, remote: (from, to, message) => this.remote(from, to, message) });
  }

  start(node: NodeId, factory: ActorFactory): void {
    this.host.add(node, factory);
  }

  stop(node: NodeId): void {
    this.host.stop(node);
    this.links.get(node)?.link.close();
    this.links.delete(node);
  }

  async close(): Promise<void> {
    this.host.close();
    for (const { link } of this.links.values()) link.close();
    this.links.clear();
    await this.coordinator?.close();
    this.coordinator = null;
  }

  private remote(from: NodeId, to: NodeId, message: Message): void {
    if (to === COORDINATOR_NODE) {
      if (this.options.coordinator === null) return;
      this.coordinator ??= this.options.coordinator((target, answer) => this.host.deliver(COORDINATOR_NODE, target, answer));
      this.coordinator.receive(from, message);
      return;
    }
    if (!this.host.has(from)) return;
    let entry = this.links.get(from);
    if (entry === undefined) {
      const link = this.options.link({ node: from, master: this.options.masterAddress(to), onMessage: (sender, received) => this.host.deliver(sender, from, received) });
      entry = { link, master: to };
      this.links.set(from, entry);
    } else if (entry.master !== to) {
      entry.master = to;
      entry.link.setMaster(this.options.masterAddress(to));
    }
    entry.link.send(message);
  }
}
