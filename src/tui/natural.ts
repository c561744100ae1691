/**
 * A cache of natural sort keys (src/core/natural-key.ts) for the tables.
 * Intl.Collator with `numeric` took ~50 ms to sort 10,000 ids here; keys
 * computed once and cached make the same sort a few milliseconds, which
 * matters at up to ten table refreshes a second.
 */

import { naturalKey } from '../core/natural-key.js';

export { naturalKey };

const CACHE_LIMIT = 200_000;

/** A cache of natural keys; ids repeat across refreshes, so most lookups hit. */
export class NaturalKeys {
  private readonly keys = new Map<string, string>();

  /** The natural key of `text`. */
  of(text: string): string {
    let key = this.keys.get(text);
    if (key === undefined) {
      // Unbounded growth would leak over a long session with churning task ids.
      if (this.keys.size >= CACHE_LIMIT) this.keys.clear();
      key = naturalKey(text);
      this.keys.set(text, key);
    }
    return key;
  }
}

/** Compares two natural keys or numbers (numbers first when mixed). */
export function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
