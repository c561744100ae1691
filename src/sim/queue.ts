/**
 * The one event queue of the simulation: a binary min-heap ordered by
 * (time, sequence). The sequence number breaks ties in insertion order, which
 * is what makes a run reproducible.
 *
 * The heap holds numbers only: times and sequences in typed arrays, and the
 * slot of each item in a slab that does not move while the heap sifts. A big
 * cluster keeps a few hundred thousand entries queued; sifting contiguous
 * numbers instead of scattered objects (and without a write barrier per move)
 * makes a push plus a pop about three times cheaper (BENCHMARKS.md, sim-speed).
 */

/** Something that happens at a virtual time. */
export interface Scheduled<T> {
  readonly atMs: number;
  readonly seq: number;
  readonly item: T;
}

const INITIAL_CAPACITY = 1024;

/** Min-heap of scheduled items. */
export class EventQueue<T> {
  private times = new Float64Array(INITIAL_CAPACITY);
  private seqs = new Float64Array(INITIAL_CAPACITY);
  /** Slab slot of the item at each heap position. */
  private slots = new Int32Array(INITIAL_CAPACITY);
  /** Items by slot; a popped item's slot is cleared and reused. */
  private readonly slab: Array<T | undefined> = [];
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private count = 0;
  private nextSeq = 0;
  /** The time of the item popItem returned last. */
  poppedAtMs = 0;

  /** Number of pending items. */
  get size(): number {
    return this.count;
  }

  /** Schedules `item` at `atMs`. */
  push(atMs: number, item: T): void {
    if (this.count === this.times.length) this.grow();
    let slot: number;
    if (this.freeCount > 0) {
      this.freeCount -= 1;
      slot = this.freeSlots[this.freeCount] as number;
      this.slab[slot] = item;
    } else {
      slot = this.slab.length;
      this.slab.push(item);
    }
    const seq = this.nextSeq;
    this.nextSeq += 1;
    const { times, seqs, slots } = this;
    let i = this.count;
    this.count += 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < atMs || (pt === atMs && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    times[i] = atMs;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /** The time of the earliest item, or Infinity. */
  peekTime(): number {
    return this.count === 0 ? Infinity : (this.times[0] as number);
  }

  /** Removes and returns the earliest item. */
  pop(): Scheduled<T> | undefined {
    if (this.count === 0) return undefined;
    const atMs = this.times[0] as number;
    const seq = this.seqs[0] as number;
    return { atMs, seq, item: this.popItem() as T };
  }

  /**
   * Removes and returns the earliest item; its time is `poppedAtMs` after.
   * The runtime's hot loop uses this one: no entry object per item.
   */
  popItem(): T | undefined {
    if (this.count === 0) return undefined;
    const { times, seqs, slots } = this;
    const topSlot = slots[0] as number;
    this.poppedAtMs = times[0] as number;
    const item = this.slab[topSlot] as T;
    this.slab[topSlot] = undefined; // no reference kept to a popped item
    if (this.freeCount === this.freeSlots.length) this.freeSlots = grown(this.freeSlots);
    this.freeSlots[this.freeCount] = topSlot;
    this.freeCount += 1;
    const n = this.count - 1;
    this.count = n;
    if (n > 0) this.siftDown(0, times[n] as number, seqs[n] as number, slots[n] as number);
    return item;
  }

  /**
   * Drops the entries whose item `keep` rejects (dead timers) and rebuilds the
   * heap from the rest. Keys are unique, so the survivors pop in exactly the
   * order they would have. Returns how many were dropped.
   */
  compact(keep: (item: T) => boolean): number {
    const { times, seqs, slots, slab } = this;
    let kept = 0;
    for (let i = 0; i < this.count; i += 1) {
      const slot = slots[i] as number;
      if (keep(slab[slot] as T)) {
        times[kept] = times[i] as number;
        seqs[kept] = seqs[i] as number;
        slots[kept] = slot;
        kept += 1;
      } else {
        slab[slot] = undefined;
        if (this.freeCount === this.freeSlots.length) this.freeSlots = grown(this.freeSlots);
        this.freeSlots[this.freeCount] = slot;
        this.freeCount += 1;
      }
    }
    const dropped = this.count - kept;
    this.count = kept;
    // Floyd's heapify: sift down every parent, last first.
    for (let i = (kept >> 1) - 1; i >= 0; i -= 1) this.siftDown(i, times[i] as number, seqs[i] as number, slots[i] as number);
    return dropped;
  }

  /** Places (time, seq, slot) at or below position i, moving smaller children up. */
  private siftDown(start: number, time: number, seq: number, slot: number): void {
    const { times, seqs, slots } = this;
    const n = this.count;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      let ct = times[left] as number;
      let cs = seqs[left] as number;
      if (right < n) {
        const rt = times[right] as number;
        const rs = seqs[right] as number;
        if (rt < ct || (rt === ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      slots[i] = slots[child] as number;
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    slots[i] = slot;
  }

  private grow(): void {
    this.times = grown(this.times);
    this.seqs = grown(this.seqs);
    this.slots = grown(this.slots);
  }
}

/** A typed array of twice the length with the same contents first. */
function grown<A extends Float64Array | Int32Array>(array: A): A {
  const bigger = new (array.constructor as new (length: number) => A)(array.length * 2);
  bigger.set(array);
  return bigger;
}
