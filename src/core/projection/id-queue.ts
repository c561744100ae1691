/**
 * Small id containers for bounding the projection's memory: a FIFO queue that
 * never shifts an array (head index, compacted now and then), and a bounded
 * set that forgets its oldest members.
 */

/** First-in first-out queue with O(1) amortised push and shift. */
export class IdQueue<T> {
  private items: T[] = [];
  private head = 0;

  /** Number of queued ids. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Appends an id. */
  push(id: T): void {
    this.items.push(id);
  }

  /** Takes the oldest id, or undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const id = this.items[this.head];
    this.head += 1;
    // Compact once the dead prefix is half the array: amortised O(1), no shift().
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return id;
  }
}

/** A set that keeps at most `capacity` members, forgetting the oldest first. */
export class BoundedSet<T> {
  private readonly members = new Set<T>();
  private readonly order = new IdQueue<T>();

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
