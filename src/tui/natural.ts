/**
 * Natural sort keys (`agent-2` before `agent-10`) that compare with plain `<`.
 * Intl.Collator with `numeric` took ~50 ms to sort 10,000 ids here; keys
 * computed once and cached make the same sort a few milliseconds, which
 * matters at up to ten table refreshes a second.
 */

const CACHE_LIMIT = 200_000;

/** Builds a key: lower-cased, each digit run replaced by its length then its digits (leading zeros dropped). */
export function naturalKey(text: string): string {
  const s = text.toLowerCase();
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) {
      out += s[i];
      i += 1;
      continue;
    }
    let end = i;
    while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end += 1;
    let start = i;
    while (start < end - 1 && s.charCodeAt(start) === 48) start += 1;
    const run = s.slice(start, end);
    // \u0001 sorts digit runs before any printable character; the length char orders 9 before 10.
    out += '\u0001' + String.fromCharCode(0x30 + Math.min(run.length, 0xffcf)) + run;
    i = end;
  }
  return out;
}

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
