/**
 * The one history of a cluster: every event any actor, the runtime or the
 * cluster layer emits becomes a HistoryRecord with the next sequence number
 * and the time of the runtime's clock (virtual in the simulator, wall in the
 * live runtime). The projection, the checkers, the TUI, the JSONL file and the
 * history hash all read this one stream.
 */
import type { ClusterEvent, HistoryRecord } from '../core/events.js';

/** Receives every history record as it is appended. */
export type RecordListener = (record: HistoryRecord) => void;

/** Options of a history log. */
export interface HistoryLogOptions {
  /** The runtime's clock, in ms. */
  readonly now: () => number;
  /** Keep at most this many records in memory (null: all, the default; 0: none, listeners only). */
  readonly limit?: number | null;
}

/** An append-only, in-memory history with listeners. */
export class HistoryLog {
  private readonly records: HistoryRecord[] = [];
  private readonly listeners = new Set<RecordListener>();
  private readonly limit: number | null;
  private readonly now: () => number;
  private nextSeq = 0;

  constructor(options: HistoryLogOptions) {
    this.now = options.now;
    this.limit = options.limit === undefined ? null : options.limit;
  }

  /** Appends an event, stamped with its sequence number and the clock's time. */
  emit(event: ClusterEvent): void {
    const record = { seq: this.nextSeq, atMs: this.now(), ...event } as HistoryRecord;
    this.nextSeq += 1;
    if (this.limit === null || this.limit > 0) {
      this.records.push(record);
      // Trimmed in batches: one splice per `limit` records instead of a shift per record.
      if (this.limit !== null && this.records.length > this.limit * 2) this.records.splice(0, this.records.length - this.limit);
    }
    for (const listener of this.listeners) listener(record);
  }

  /** Subscribes to new records; returns the unsubscribe function. */
  onRecord(listener: RecordListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The retained history (all of it unless a limit was set). */
  history(): readonly HistoryRecord[] {
    if (this.limit !== null && this.records.length > this.limit) return this.records.slice(-this.limit);
    return this.records;
  }
}
