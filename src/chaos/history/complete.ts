/**
 * Whether a history read back is whole: `faultline check` judges only a
 * history that starts at `cluster.started` and whose seq numbers run without a
 * gap. A file that lost lines (cut by hand, a bad copy) would otherwise be
 * judged on events that seem never to have happened: a task that never ran
 * again reads as a liveness failure, a lost kill as a safety violation.
 */
import { err, ok, type Result } from '../../core/errors.js';
import type { HistoryRecord } from '../../core/events.js';

/** Ok when `records` (read from `path`) are a whole history; else a `file:line` error naming the damage. */
export function checkHistoryComplete(records: readonly HistoryRecord[], path: string): Result<true> {
  const first = records[0];
  if (first === undefined) return err('IO', 'the history is empty: nothing to check (was it written by faultline run --history?)', path);
  if (first.type !== 'cluster.started') return err('IO', `damaged history: it starts with ${first.type} (seq ${first.seq}), not cluster.started: its head is missing`, `${path}:1`);
  for (let i = 1; i < records.length; i += 1) {
    const previous = (records[i - 1] as HistoryRecord).seq;
    const seq = (records[i] as HistoryRecord).seq;
    if (seq !== previous + 1) {
      const missing = seq - previous - 1;
      return err('IO', `damaged history: seq jumps from ${previous} to ${seq} (${missing} line${missing === 1 ? '' : 's'} missing)`, `${path}:${i + 1}`);
    }
  }
  return ok(true);
}
