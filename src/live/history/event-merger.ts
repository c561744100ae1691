/**
 * Merges the event logs of several processes into one stream in time order.
 * Each source's entries arrive in its own order, but the sources' tails are
 * read at different moments, so an entry of one process can arrive after a
 * later entry of another. The merger holds every entry for `holdMs` (150 ms by
 * default: several tail polls, and far more than a batch's write delay)
 * before it releases it, in (atEpochMs, source order, arrival order).
 *
 * An entry that arrives after one with a larger time was already released is
 * released all the same on the next drain (never dropped) and counted as
 * `late`: the history is then out of order there, and a runner should say so.
 *
 * Memory: only entries not yet drained are kept (a binary heap), nothing of
 * what was drained but the largest key, to recognise late entries. Drained
 * every tick, that is the entries of the last holdMs plus one tick from all
 * sources. If more than `maxBuffered` (100,000 by default) are waiting, drain
 * releases the oldest beyond that inside the hold window too (counted as
 * `forced`), so a caller that drains stays bounded whatever the rate.
 * Pure: the time is the caller's.
 */
import type { EventLogEntry } from './entry.js';

/** How a merger is set up. */
export interface EventMergerOptions {
  /** How long an entry is held before release (default 150 ms). */
  readonly holdMs?: number;
  /** Source order for ties; sources not named rank after these, in the order first pushed. */
  readonly sources?: readonly string[];
  /** The most entries held; past it drain releases the oldest early (default 100,000). */
  readonly maxBuffered?: number;
}

interface Held {
  readonly entry: EventLogEntry;
  readonly rank: number;
  readonly arrival: number;
}

/** The default hold window. */
export const DEFAULT_HOLD_MS = 150;

function before(a: Held, b: Held): boolean {
  if (a.entry.atEpochMs !== b.entry.atEpochMs) return a.entry.atEpochMs < b.entry.atEpochMs;
  if (a.rank !== b.rank) return a.rank < b.rank;
  return a.arrival < b.arrival;
}

/** A time-ordered merge of several sources' entries. */
export class EventMerger {
  /** Entries pushed after a later one (by time, then source) was already drained. */
  late = 0;
  /** Entries released before their hold window ended because more than maxBuffered were held. */
  forced = 0;
  readonly holdMs: number;
  private readonly maxBuffered: number;
  private readonly ranks = new Map<string, number>();
  private readonly heap: Held[] = [];
  private arrivals = 0;
  /** The largest (time, rank) drained so far. */
  private drainedMax: { atEpochMs: number; rank: number } | null = null;

  constructor(options: EventMergerOptions = {}) {
    this.holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
    this.maxBuffered = options.maxBuffered ?? 100_000;
    for (const source of options.sources ?? []) this.rankOf(source);
  }

  /** Entries held now. */
  get buffered(): number {
    return this.heap.length;
  }

  /** Adds an entry of `source`. */
  push(source: string, entry: EventLogEntry): void {
    const rank = this.rankOf(source);
    const max = this.drainedMax;
    if (max !== null && (entry.atEpochMs < max.atEpochMs || (entry.atEpochMs === max.atEpochMs && rank < max.rank))) this.late += 1;
    this.heap.push({ entry, rank, arrival: this.arrivals });
    this.arrivals += 1;
    this.siftUp(this.heap.length - 1);
  }

  /** Every entry older than `nowEpochMs - holdMs` (and any late one), in order. */
  drain(nowEpochMs: number): EventLogEntry[] {
    const cutoff = nowEpochMs - this.holdMs;
    const out: EventLogEntry[] = [];
    for (let top = this.heap[0]; top !== undefined; top = this.heap[0]) {
      if (top.entry.atEpochMs < cutoff) out.push(this.pop());
      else if (this.heap.length > this.maxBuffered) {
        this.forced += 1;
        out.push(this.pop());
      } else break;
    }
    return out;
  }

  /** Everything held, in order (the end of a run). */
  drainAll(): EventLogEntry[] {
    return this.drain(Infinity);
  }

  private rankOf(source: string): number {
    let rank = this.ranks.get(source);
    if (rank === undefined) {
      rank = this.ranks.size;
      this.ranks.set(source, rank);
    }
    return rank;
  }

  private pop(): EventLogEntry {
    const heap = this.heap;
    const top = heap[0] as Held;
    const last = heap.pop() as Held;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    const max = this.drainedMax;
    if (max === null || top.entry.atEpochMs > max.atEpochMs || (top.entry.atEpochMs === max.atEpochMs && top.rank > max.rank)) {
      this.drainedMax = { atEpochMs: top.entry.atEpochMs, rank: top.rank };
    }
    return top.entry;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const item = heap[index] as Held;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!before(item, heap[parent] as Held)) break;
      heap[i] = heap[parent] as Held;
      i = parent;
    }
    heap[i] = item;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[index] as Held;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right] as Held, heap[left] as Held) ? right : left;
      if (!before(heap[child] as Held, item)) break;
      heap[i] = heap[child] as Held;
      i = child;
    }
    heap[i] = item;
  }
}
