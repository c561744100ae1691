/**
 * A small wall-clock runtime for core actors in tests: real timers, messages
 * delivered on a later turn of the event loop (FIFO per sender and receiver),
 * events recorded with their node. Messages a node sends to a routed node id
 * (the coordinator) go to that sender's own handler, as each live master
 * process has its own ZooKeeper endpoint; messages to a node the host does not
 * run are recorded in `outbox`. `close` cancels every timer.
 */
import type { Actor, ActorContext } from '../../src/core/actor.js';
import type { ClusterEvent } from '../../src/core/events.js';
import type { NodeId } from '../../src/core/ids.js';
import type { Message } from '../../src/core/messages.js';

/** A handler for the messages one sender sends to a routed node. */
export type RouteHandler = (from: NodeId, message: Message) => void;

interface HostedNode {
  actor: Actor | null;
  readonly timers: Map<string, ReturnType<typeof setTimeout>>;
  running: boolean;
}

/** Runs actors on wall-clock time. */
export class WallClockHost {
  readonly events: Array<{ readonly node: NodeId; readonly event: ClusterEvent }> = [];
  readonly outbox: Array<{ readonly from: NodeId; readonly to: NodeId; readonly message: Message }> = [];
  private readonly nodes = new Map<NodeId, HostedNode>();
  private readonly routes = new Map<string, RouteHandler>();
  private readonly startMs = performance.now();

  /** Adds a node and starts it. */
  add<A extends Actor>(node: NodeId, factory: (ctx: ActorContext) => A): A {
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const hosted: HostedNode = { actor: null, timers, running: true };
    const ctx: ActorContext = {
      self: node,
      now: () => performance.now() - this.startMs,
      send: (to, message) => {
        if (hosted.running) this.send(node, to, message);
      },
      setTimer: (key, delayMs) => {
        const old = timers.get(key);
        if (old !== undefined) clearTimeout(old);
        timers.set(
          key,
          setTimeout(() => {
            timers.delete(key);
            if (hosted.running) hosted.actor?.timer(key);
          }, delayMs),
        );
      },
      cancelTimer: (key) => {
        const old = timers.get(key);
        if (old !== undefined) clearTimeout(old);
        timers.delete(key);
      },
      random: () => Math.random(),
      emit: (event) => {
        this.events.push({ node, event });
      },
    };
    const actor = factory(ctx);
    hosted.actor = actor;
    this.nodes.set(node, hosted);
    actor.start();
    return actor;
  }

  /** What `from` sends to `to` goes to `handler` (its own coordinator endpoint). */
  route(from: NodeId, to: NodeId, handler: RouteHandler): void {
    this.routes.set(`${from}\u0000${to}`, handler);
  }

  /** Delivers `message` to `to` from `from` on a later turn (dropped if `to` is stopped). */
  deliver(from: NodeId, to: NodeId, message: Message): void {
    setImmediate(() => {
      const target = this.nodes.get(to);
      if (target?.running) target.actor?.receive(from, message);
    });
  }

  /** Stops a node: its timers are cancelled and nothing more is delivered to it. */
  stop(node: NodeId): void {
    const hosted = this.nodes.get(node);
    if (!hosted) return;
    hosted.running = false;
    for (const timer of hosted.timers.values()) clearTimeout(timer);
    hosted.timers.clear();
  }

  /** Stops every node. */
  close(): void {
    for (const node of this.nodes.keys()) this.stop(node);
  }

  /** Events of one type, with their node. */
  eventsOfType<T extends ClusterEvent['type']>(type: T): Array<{ node: NodeId; event: Extract<ClusterEvent, { type: T }> }> {
    return this.events.filter((e) => e.event.type === type) as Array<{ node: NodeId; event: Extract<ClusterEvent, { type: T }> }>;
  }

  private send(from: NodeId, to: NodeId, message: Message): void {
    const route = this.routes.get(`${from}\u0000${to}`);
    if (route) {
      route(from, message);
      return;
    }
    if (this.nodes.has(to)) this.deliver(from, to, message);
    else this.outbox.push({ from, to, message });
  }
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes; throws with `what` (and `explain()`) on timeout. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, explain?: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${explain ? `\n${explain()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
