/**
 * Delta debugging (Zeller and Hildebrandt's ddmin): the smallest subset of a
 * failing input that still fails, one-minimal (removing any one item makes it
 * pass). Candidates of one round are independent, so they are tested in
 * batches of `parallelism` (in list order, taking the first failing one in that
 * order): the result is the same at any parallelism, only faster. Results are
 * cached by subset, so no candidate runs twice.
 */

/** Options of `ddmin`. */
export interface DdminOptions<T> {
  /** True when the candidate still fails. Called with subsets in the input's order. */
  readonly fails: (candidate: readonly T[]) => Promise<boolean>;
  /** Candidates tested at once; default 1. */
  readonly parallelism?: number;
  /** Stop after this many tests and return the smallest failing subset so far; default unlimited. */
  readonly maxTests?: number;
  /** Polled before each test: true ends the search like `maxTests` (Ctrl-C). */
  readonly shouldStop?: () => boolean;
  /** Try the empty subset first (a failure that needs no input at all); default true. */
  readonly tryEmpty?: boolean;
  /** Called after each round that shrank the input. */
  readonly onProgress?: (progress: DdminProgress) => void;
}

/** Where the search is. */
export interface DdminProgress {
  readonly size: number;
  readonly tests: number;
}

/** What ddmin found. */
export interface DdminResult<T> {
  /** The smallest failing subset found, in the input's order. */
  readonly items: readonly T[];
  /** Distinct candidates tested. */
  readonly tests: number;
  /** False when `maxTests` or `shouldStop` cut the search short (the result may not be one-minimal). */
  readonly complete: boolean;
}

/** Shrinks `input` (assumed to fail) to a one-minimal failing subset. */
export async function ddmin<T>(input: readonly T[], options: DdminOptions<T>): Promise<DdminResult<T>> {
  const parallelism = Math.max(1, Math.floor(options.parallelism ?? 1));
  const maxTests = options.maxTests ?? Infinity;
  const cache = new Map<string, boolean>();
  let tests = 0;
  let cutShort = false;

  /** Tests candidates (index lists) in order, a batch at a time; the first failing one, or null. */
  const firstFailing = async (candidates: readonly (readonly number[])[]): Promise<readonly number[] | null> => {
    for (let i = 0; i < candidates.length; i += parallelism) {
      const batch = candidates.slice(i, i + parallelism);
      const outcomes = await Promise.all(
        batch.map(async (indices) => {
          const key = indices.join(',');
          const known = cache.get(key);
          if (known !== undefined) return known;
          if (tests >= maxTests || (options.shouldStop?.() ?? false)) {
            cutShort = true;
            return false;
          }
          tests += 1;
          const failed = await options.fails(indices.map((index) => input[index] as T));
          cache.set(key, failed);
          return failed;
        }),
      );
      const hit = outcomes.indexOf(true);
      if (hit >= 0) return batch[hit] ?? null;
    }
    return null;
  };

  let current: readonly number[] = input.map((_, index) => index);
  cache.set(current.join(','), true);
  if ((options.tryEmpty ?? true) && current.length > 0 && (await firstFailing([[]])) !== null) {
    return { items: [], tests, complete: true };
  }
  let granularity = 2;
  while (current.length >= 2) {
    const chunks: readonly (readonly number[])[] = split(current, Math.min(granularity, current.length));
    const complements = chunks.length > 2 ? chunks.map((_, i) => chunks.filter((__, j) => j !== i).flat()) : [];
    const found = await firstFailing([...chunks, ...complements]);
    if (found !== null) {
      // A chunk restarts at two halves; a complement keeps most of the granularity.
      granularity = chunks.includes(found) ? 2 : Math.max(granularity - 1, 2);
      current = found;
      options.onProgress?.({ size: current.length, tests });
      continue;
    }
    if (cutShort) break;
    if (granularity >= current.length) break;
    granularity = Math.min(granularity * 2, current.length);
  }
  return { items: current.map((index) => input[index] as T), tests, complete: !cutShort };
}

/** Splits into n nearly equal consecutive chunks. */
function split(items: readonly number[], n: number): number[][] {
  const chunks: number[][] = [];
  let start = 0;
  for (let i = 0; i < n; i += 1) {
    const end = start + Math.floor((items.length - start) / (n - i));
    chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks;
}
