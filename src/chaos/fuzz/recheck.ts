/**
 * Determinism re-checks (FoundationDB's unseed check): a share of the seeds is
 * run twice and must give the same history hash. Which seeds is itself drawn
 * from the range, so the same command re-checks the same seeds.
 */
import { Prng } from '../../core/prng.js';

/** The share of seeds re-run by default (FoundationDB re-runs 5%). */
export const DEFAULT_RECHECK_RATIO = 0.05;
/** From this many seeds on, at least one is re-run. */
export const RECHECK_MIN_SEEDS = 20;

/** Options of `recheckSeeds`. */
export interface RecheckOptions {
  readonly start: number;
  readonly count: number;
  /** Share of the seeds to re-run (0..1); default DEFAULT_RECHECK_RATIO. */
  readonly ratio?: number;
}

/** The seeds to re-run, ascending: round(count x ratio), at least one from RECHECK_MIN_SEEDS seeds on. */
export function recheckSeeds(options: RecheckOptions): number[] {
  const ratio = Math.min(1, Math.max(0, options.ratio ?? DEFAULT_RECHECK_RATIO));
  const count = Math.max(0, Math.floor(options.count));
  let picks = Math.round(count * ratio);
  if (ratio > 0 && count >= RECHECK_MIN_SEEDS) picks = Math.max(1, picks);
  if (picks === 0) return [];
  const prng = Prng.from(`fuzz-recheck\u0000${options.start}\u0000${count}`);
  const offsets = prng.shuffle(Array.from({ length: count }, (_, i) => i)).slice(0, picks);
  return offsets.sort((a, b) => a - b).map((offset) => options.start + offset);
}
