/**
 * The live runtime's node host (src/live/runtime/node-host.ts) for tests: it
 * records every event with its node, and what nodes send to a node the host
 * does not run goes to `outbox`. Messages a node sends to a routed node id (the
 * coordinator) go to that sender's own handler, as each live master process
 * has its own ZooKeeper endpoint. `close` cancels every timer.
 */
import type { Actor, ActorContext } from '../../src/core/actor.js';
import type { ClusterEvent } from '../../src/core/events.js';
import type { NodeId } from '../../src/core/ids.js';
import type { Message } from '../../src/core/messages.js';
import { NodeHost, type RouteHandler } from '../../src/live/runtime/node-host.js';

export type { RouteHandler };

/** Runs actors on wall-clock time. */
export class WallClockHost {
  readonly events: Array<{ readonly node: NodeId; readonly event: ClusterEvent }> = [];
  readonly outbox: Array<{ readonly from: NodeId; readonly to: NodeId; readonly message: Message }> = [];
  private readonly host = new NodeHost({
    emit: (node, event) => this.events.push({ node, event }),
    remote: (from, to, message) => this.outbox.push({ from, to, message }),
  });

  /** Adds a node and starts it. */
  add<A extends Actor>(node: NodeId, factory: (ctx: ActorContext) => A): A {
    return this.host.add(node, factory);
  }

  /** What `from` sends to `to` goes to `handler` (its own coordinator endpoint). */
  route(from: NodeId, to: NodeId, handler: RouteHandler): void {
    this.host.route(from, to, handler);
  }

  /** Delivers `message` to `to` from `from` on a later turn (dropped if `to` is stopped). */
  deliver(from: NodeId, to: NodeId, message: Message): void {
    this.host.deliver(from, to, message);
  }

  /** Stops a node: its timers are cancelled and nothing more is delivered to it. */
  stop(node: NodeId): void {
    this.host.stop(node);
  }

  /** Stops every node. */
  close(): void {
    this.host.close();
  }

  /** Events of one type, with their node. */
  eventsOfType<T extends ClusterEvent['type']>(type: T): Array<{ node: NodeId; event: Extract<ClusterEvent, { type: T }> }> {
    return this.events.filter((e) => e.event.type === type) as Array<{ node: NodeId; event: Extract<ClusterEvent, { type: T }> }>;
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
