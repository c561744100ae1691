/**
 * The fingerprint of a run: sha256 over the canonical JSONL (each line followed
 * by `\n`), exactly the bytes `writeHistory` puts in the file, so hashing the
 * file with `sha256sum` gives the same digest.
 */
import { createHash, type Hash } from 'node:crypto';
import type { HistoryRecord } from '../../core/events.js';
import { canonicalLine } from './canonical.js';

/** Streaming sha256 of a history. */
export class HistoryHasher {
  private readonly hash: Hash = createHash('sha256');
  private lineCount = 0;

  /** Adds one record. */
  add(record: HistoryRecord): void {
    this.addLine(canonicalLine(record));
  }

  /** Adds a line already in canonical form (saves a second stringify when writing too). */
  addLine(line: string): void {
    this.hash.update(line);
    this.hash.update('\n');
    this.lineCount += 1;
  }

  /** Records added so far. */
  get lines(): number {
    return this.lineCount;
  }

  /** Hex digest of everything added so far; adding may continue afterwards. */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}

/** The hash of a whole history at once. */
export function hashHistory(records: Iterable<HistoryRecord>): string {
  const hasher = new HistoryHasher();
  for (const record of records) hasher.add(record);
  return hasher.digest();
}
