/**
 * Writes a history as JSONL, mapping file-system trouble to a typed error.
 */
import { writeFileSync } from 'node:fs';
import { err, ok, type Result } from '../core/errors.js';
import type { HistoryRecord } from '../core/events.js';
import { canonicalLine } from '../chaos/history/index.js';

/** Writes the records, one canonical JSON line each. */
export function writeHistoryFile(path: string, records: readonly HistoryRecord[]): Result<number> {
  try {
    writeFileSync(path, records.map((r) => `${canonicalLine(r)}\n`).join(''));
    return ok(records.length);
  } catch (e) {
    return err('IO', `cannot write: ${(e as Error).message}`, path);
  }
}
