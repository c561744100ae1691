/**
 * A recording ActorContext for unit tests of one actor: messages sent, timers
 * set and events emitted are kept for assertions; `advance` moves the clock and
 * fires due timers in time order.
 */
import type { Actor, ActorContext } from '../../src/core/actor.js';
import type { ClusterEvent } from '../../src/core/events.js';
import type { NodeId } from '../../src/core/ids.js';
import type { Message } from '../../src/core/messages.js';
import { seeded } from './random.js';

/** A message the actor sent. */
export interface SentMessage {
  readonly to: NodeId;
  readonly message: Message;
}

/** The Message with the given type. */
export type MessageOf<T extends Message['type']> = Extract<Message, { type: T }>;
/** The ClusterEvent with the given type. */
export type EventOf<T extends ClusterEvent['type']> = Extract<ClusterEvent, { type: T }>;

/** Recording context; bind an actor with `ctx.actor = factory(ctx)`. */
export class FakeContext implements ActorContext {
  readonly self: NodeId;
  nowMs = 0;
  sent: SentMessage[] = [];
  events: ClusterEvent[] = [];
  readonly timers = new Map<string, number>();
  actor: Actor | null = null;
  private readonly nextDraw: () => number;

  constructor(self: NodeId, seed = 1) {
    this.self = self;
    this.nextDraw = seeded(seed);
  }

  now(): number {
    return this.nowMs;
  }
  send(to: NodeId, message: Message): void {
    this.sent.push({ to, message });
  }
  setTimer(key: string, delayMs: number): void {
    this.timers.set(key, this.nowMs + delayMs);
  }
  cancelTimer(key: string): void {
    this.timers.delete(key);
  }
  random(): number {
    return this.nextDraw();
  }
  emit(event: ClusterEvent): void {
    this.events.push(event);
  }

  /** Delivers a message to the bound actor. */
  deliver(from: NodeId, message: Message): void {
    if (!this.actor) throw new Error('FakeContext: no actor bound');
    this.actor.receive(from, message);
  }

  /** Moves the clock forward by `ms`, firing due timers in time order (timers set while firing count too). */
  advance(ms: number): void {
    if (!this.actor) throw new Error('FakeContext: no actor bound');
    const end = this.nowMs + ms;
    for (;;) {
      let nextKey: string | null = null;
      let nextAt = Infinity;
      for (const [key, at] of this.timers) {
        if (at < nextAt) {
          nextAt = at;
          nextKey = key;
        }
      }
      if (nextKey === null || nextAt > end) break;
      this.nowMs = Math.max(this.nowMs, nextAt);
      this.timers.delete(nextKey);
      this.actor.timer(nextKey);
    }
    this.nowMs = end;
  }

  /** Returns the messages sent so far and forgets them. */
  takeSent(): SentMessage[] {
    const out = this.sent;
    this.sent = [];
    return out;
  }

  /** Messages of one type sent so far (not forgotten). */
  sentOfType<T extends Message['type']>(type: T): Array<{ to: NodeId; message: MessageOf<T> }> {
    return this.sent.filter((s) => s.message.type === type) as Array<{ to: NodeId; message: MessageOf<T> }>;
  }

  /** Events of one type emitted so far. */
  eventsOfType<T extends ClusterEvent['type']>(type: T): Array<EventOf<T>> {
    return this.events.filter((e) => e.type === type) as Array<EventOf<T>>;
  }
}
