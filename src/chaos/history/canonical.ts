/**
 * The canonical form of a history record: one JSON line. Key order is the order
 * the runtime and the actors write fields (seq, atMs, type, then the event's own
 * fields in events.ts order), which is deterministic, so the same run gives the
 * same bytes and the same hash.
 */
import type { HistoryRecord } from '../../core/events.js';

/** One record as its canonical JSONL line (without the newline). */
export function canonicalLine(record: HistoryRecord): string {
  return JSON.stringify(record);
}
