/**
 * A bounded set for the projection's memory: it forgets its oldest members
 * once it holds `capacity`.
 */
import { Fifo } from '../fifo.js';

/** A set that keeps at most `capacity` members, forgetting the oldest first. */
export class BoundedSet<T> {
  private readonly members = new Set<T>();
  private readonly order = new Fifo<T>();

  constructor(private readonly capacity: number) {}

  /** Whether the id is remembered. */
  has(id: T): boolean {
    return this.members.has(id);
  }

  /** Remembers an id (forgetting the oldest when full). */
  add(id: T): void {
    if (this.capacity <= 0 || this.members.has(id)) return;
    this.members.add(id);
    this.order.push(id);
    while (this.members.size > this.capacity) {
      const oldest = this.order.shift();
      if (oldest === undefined) break;
      this.members.delete(oldest);
    }
  }

  /** Forgets an id (its queue slot is skipped lazily). */
  delete(id: T): void {
    this.members.delete(id);
  }
}
