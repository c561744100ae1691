/**
 * The one event queue of the simulation: a binary min-heap ordered by
 * (time, sequence). The sequence number breaks ties in insertion order, which
 * is what makes a run reproducible.
 */

/** Something that happens at a virtual time. */
export interface Scheduled<T> {
  readonly atMs: number;
  readonly seq: number;
  readonly item: T;
}

/** Min-heap of scheduled items. */
export class EventQueue<T> {
  private readonly heap: Array<Scheduled<T>> = [];
  private nextSeq = 0;

  /** Number of pending items. */
  get size(): number {
    return this.heap.length;
  }

  /** Schedules `item` at `atMs`. */
  push(atMs: number, item: T): void {
    const entry: Scheduled<T> = { atMs, seq: this.nextSeq, item };
    this.nextSeq += 1;
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Scheduled<T>;
      if (before(p, entry)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  /** The time of the earliest item, or Infinity. */
  peekTime(): number {
    const top = this.heap[0];
    return top === undefined ? Infinity : top.atMs;
  }

  /** Removes and returns the earliest item. */
  pop(): Scheduled<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as Scheduled<T>;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        let child = left;
        if (right < n && before(heap[right] as Scheduled<T>, heap[left] as Scheduled<T>)) child = right;
        const c = heap[child] as Scheduled<T>;
        if (before(last, c)) break;
        heap[i] = c;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before<T>(a: Scheduled<T>, b: Scheduled<T>): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
