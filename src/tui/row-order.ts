/**
 * A table's sort, kept from one refresh to the next. With 10,000+ rows and a
 * refresh every 100-250 ms, sorting from scratch (and looking every row's
 * natural key up again) was most of the TUI's own CPU, while between two
 * refreshes only a few dozen rows start, end or change.
 *
 * So the last sort is remembered: its rows in feed order, each row's sort
 * input, key and place. Rows are the projection's live view objects, the same
 * object for a row from one snapshot to the next, and the feed lists them in a
 * stable order (new rows at the end), so a refresh lines the new rows up with
 * the last ones by walking both lists (a replaced object is simply a new row).
 * A known row keeps its natural key while its input is unchanged, and is not
 * even read when the column is fixed (an id). When no known row's key changed,
 * the new rows are merged into the last order (binary search, no full sort);
 * otherwise the sort starts from the last order, which V8's TimSort
 * finishes in about one pass. Ties go by feed order, so the result is always
 * exactly that of a stable sort of the feed's rows: the memory only makes it
 * cheaper.
 */
import { compareKeys, type NaturalKeys } from './natural.js';

/** What a table is sorted by. */
export interface SortBy<T> {
  /** The sort's identity (the column object): remembered inputs are reused only for the same one. */
  readonly column: object;
  /** The value to sort on: a number, or text that sorts naturally. */
  readonly inputOf: (row: T) => string | number;
  /** The input never changes for a row object (an id, a sequence number), so known rows are not read again. */
  readonly fixed: boolean;
  readonly descending: boolean;
}

/** Per row of one sort, in feed order: its input, its key, its place in the sorted order. */
interface PerRow {
  inputs: (string | number)[];
  keys: (string | number)[];
  /** Longer than the rows when the table shrank: only the first `rows.length` count. */
  ranks: Int32Array;
}

/** The last sort. */
interface LastSort<T> {
  readonly column: object;
  readonly descending: boolean;
  /** The rows as given (feed order). */
  readonly rows: readonly T[];
  readonly perRow: PerRow;
}

const NO_RANKS = new Int32Array(0);

/** The sort of one table, remembering the last one. */
export class RowOrder<T extends object> {
  private last: LastSort<T> | null = null;
  // Arrays reused from sort to sort: a 14,000-row table allocated ~1 MB per sort, four to ten times a
  // second, and the scavenges it caused cost about as much as the sorting. `spare` is the per-row
  // arrays of the sort before last, free to overwrite; the others are scratch.
  private spare: PerRow = { inputs: [], keys: [], ranks: new Int32Array(0) };
  private atRank = new Int32Array(0);
  private known: number[] = [];
  private fresh: number[] = [];
  private index: number[] = [];

  /** `rows` (in feed order) sorted by `by`, text naturally (`keys` caches natural keys); ties keep feed order. */
  sort(rows: readonly T[], by: SortBy<T>, keys: NaturalKeys): T[] {
    const n = rows.length;
    const last = this.last;
    const lastRows = last?.rows ?? [];
    const lastN = lastRows.length;
    const lastInputs = last?.perRow.inputs ?? [];
    const lastKeys = last?.perRow.keys ?? [];
    const lastRanks = last?.perRow.ranks ?? NO_RANKS;
    const sameColumn = last !== null && last.column === by.column;
    const perRow = this.spare;
    if (perRow.ranks.length < n) perRow.ranks = new Int32Array(n + (n >> 2));
    const { inputs, keys: sortKeys, ranks } = perRow;
    // Rows found in the last sort, at their old places (-1: gone); the others in feed order.
    if (this.atRank.length < lastN) this.atRank = new Int32Array(lastN + (lastN >> 2));
    const atRank = this.atRank.fill(-1, 0, lastN);
    const fresh = this.fresh;
    fresh.length = 0;
    // Whether a known row may have moved: its key changed, or the sort did.
    let moved = !sameColumn || last.descending !== by.descending;
    let at = 0;
    // Searching ahead for a row after a gap is bounded, so a wholly new list costs O(n), not O(n^2).
    let searchBudget = 2 * lastN + 64;
    for (let j = 0; j < n; j += 1) {
      const row = rows[j] as T;
      let found = -1;
      if (at < lastN && lastRows[at] === row) {
        found = at;
        at += 1;
      } else if (at < lastN && searchBudget > 0) {
        const limit = Math.min(lastN, at + searchBudget);
        let k = at + 1;
        while (k < limit && lastRows[k] !== row) k += 1;
        searchBudget -= k - at;
        if (k < limit) {
          found = k;
          at = k + 1;
        }
      }
      if (found >= 0 && sameColumn && by.fixed) {
        inputs[j] = lastInputs[found] as string | number;
        sortKeys[j] = lastKeys[found] as string | number;
      } else {
        const input = by.inputOf(row);
        inputs[j] = input;
        if (found >= 0 && sameColumn && lastInputs[found] === input) sortKeys[j] = lastKeys[found] as string | number;
        else {
          sortKeys[j] = typeof input === 'number' ? input : keys.of(input);
          if (found >= 0) moved = true;
        }
      }
      if (found >= 0) atRank[lastRanks[found] as number] = j;
      else fresh.push(j);
    }
    inputs.length = n;
    sortKeys.length = n;

    const sign = by.descending ? -1 : 1;
    const compare = (a: number, b: number): number => sign * compareKeys(sortKeys[a] as string | number, sortKeys[b] as string | number) || a - b;
    const known = this.known;
    let knownN = 0;
    for (let r = 0; r < lastN; r += 1) {
      const j = atRank[r] as number;
      if (j >= 0) known[knownN++] = j;
    }
    known.length = knownN;
    const index = this.index;
    if (moved) {
      for (let i = 0; i < knownN; i += 1) index[i] = known[i] as number;
      for (let i = 0; i < fresh.length; i += 1) index[knownN + i] = fresh[i] as number;
      index.length = n;
      index.sort(compare);
    } else {
      // The known rows are still in order (same keys, same sort, same relative feed order): merge the new ones in.
      fresh.sort(compare);
      mergeInto(index, known, fresh, compare);
    }

    const order = new Array<T>(n);
    for (let r = 0; r < n; r += 1) {
      const j = index[r] as number;
      order[r] = rows[j] as T;
      ranks[j] = r;
    }
    this.spare = last?.perRow ?? { inputs: [], keys: [], ranks: new Int32Array(0) };
    this.last = { column: by.column, descending: by.descending, rows, perRow };
    return order;
  }
}

/** Writes `sorted` (long) with `extra` (sorted, short) merged in to `out`: a binary search per extra item, the rest copied. */
function mergeInto(out: number[], sorted: readonly number[], extra: readonly number[], compare: (a: number, b: number) => number): void {
  let o = 0;
  let from = 0;
  for (const item of extra) {
    // The first place in sorted[from..] that goes after `item`.
    let lo = from;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(sorted[mid] as number, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i += 1) out[o++] = sorted[i] as number;
    out[o++] = item;
    from = lo;
  }
  for (let i = from; i < sorted.length; i += 1) out[o++] = sorted[i] as number;
  out.length = o;
}
