/**
 * The live runtime's node host: core actors on the wall clock. Each node's
 * ActorContext is backed by real timers; a message to a node this process runs
 * is delivered on a later turn of the event loop (FIFO per sender and receiver,
 * as setImmediate keeps order); a message to any other node goes to `remote`
 * (the transport). The messages one handler sends leave only after the
 * handler (and `afterHandler`, the agent's disk commit) ran, so a checkpoint
 * is durable before what it caused is seen (docs/ARCHITECTURE.md, the disk's
 * commit point).
 */
import type { Actor, ActorContext } from '../../core/actor.js';
import type { ClusterEvent } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import type { Message } from '../../core/messages.js';

/** A handler for what one sender sends to a routed node id. */
export type RouteHandler = (from: NodeId, message: Message) => void;

/** How a host is built. */
export interface NodeHostOptions {
  /** Every event a node emits. */
  readonly emit: (node: NodeId, event: ClusterEvent) => void;
  /** A message to a node this host does not run (default: dropped). */
  readonly remote?: (from: NodeId, to: NodeId, message: Message) => void;
  /** Called after every handler of a node (start, message, timer), before its sends leave. */
  readonly afterHandler?: (node: NodeId) => void;
  /** The clock, ms (default: since the host was built, monotonic). */
  readonly now?: () => number;
}

interface HostedNode {
  actor: Actor | null;
  readonly timers: Map<string, ReturnType<typeof setTimeout>>;
  running: boolean;
}

/** Runs actors on wall-clock time. */
export class NodeHost {
  private readonly nodes = new Map<NodeId, HostedNode>();
  private readonly routes = new Map<string, RouteHandler>();
  private readonly startMs = performance.now();
  /** Sends made inside a handler, released when it returns. */
  private held: Array<{ from: NodeId; to: NodeId; message: Message }> | null = null;
  readonly now: () => number;

  constructor(private readonly options: NodeHostOptions) {
    this.now = options.now ?? (() => performance.now() - this.startMs);
  }

  /** Adds a node and starts it. */
  add<A extends Actor>(node: NodeId, factory: (ctx: ActorContext) => A): A {
    this.stop(node);
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const hosted: HostedNode = { actor: null, timers, running: true };
    const ctx: ActorContext = {
      self: node,
      now: this.now,
      send: (to, message) => {
        if (!hosted.running) return;
        if (this.held !== null) this.held.push({ from: node, to, message });
        else this.send(node, to, message);
      },
      setTimer: (key, delayMs) => {
        const old = timers.get(key);
        if (old !== undefined) clearTimeout(old);
        timers.set(
          key,
          setTimeout(() => {
            timers.delete(key);
            if (hosted.running) this.run(node, () => hosted.actor?.timer(key));
          }, Math.max(0, delayMs)),
        );
      },
      cancelTimer: (key) => {
        const old = timers.get(key);
        if (old !== undefined) clearTimeout(old);
        timers.delete(key);
      },
      random: () => Math.random(),
      emit: (event) => this.options.emit(node, event),
    };
    const actor = factory(ctx);
    hosted.actor = actor;
    this.nodes.set(node, hosted);
    this.run(node, () => actor.start());
    return actor;
  }

  /** Whether the host runs `node`. */
  has(node: NodeId): boolean {
    return this.nodes.get(node)?.running === true;
  }

  /** What `from` sends to `to` goes to `handler` instead. */
  route(from: NodeId, to: NodeId, handler: RouteHandler): void {
    this.routes.set(`${from}\u0000${to}`, handler);
  }

  /** Delivers `message` to `to` from `from` on a later turn (dropped if `to` is stopped by then). */
  deliver(from: NodeId, to: NodeId, message: Message): void {
    setImmediate(() => {
      const target = this.nodes.get(to);
      if (target?.running) this.run(to, () => target.actor?.receive(from, message));
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
    for (const node of [...this.nodes.keys()]) this.stop(node);
  }

  /** Runs one handler of `node`, then its commit, then releases what it sent (nested runs share the outer hold). */
  private run(node: NodeId, handler: () => void): void {
    if (this.held !== null) {
      handler();
      return;
    }
    const held: Array<{ from: NodeId; to: NodeId; message: Message }> = [];
    this.held = held;
    try {
      handler();
      this.options.afterHandler?.(node);
    } finally {
      this.held = null;
    }
    for (const s of held) this.send(s.from, s.to, s.message);
  }

  private send(from: NodeId, to: NodeId, message: Message): void {
    const route = this.routes.get(`${from}\u0000${to}`);
    if (route) route(from, message);
    else if (this.nodes.has(to)) this.deliver(from, to, message);
    else this.options.remote?.(from, to, message);
  }
}
