/**
 * What a fuzz run reports: each seed's outcome, each failure (with its
 * reproduce command and shrunk file), the summary `--json` prints, the events
 * the progress display follows, and the exit code.
 */
import { EXIT } from '../../core/exit-codes.js';
import { EXIT_OF_VERDICT, worstVerdict, type Verdict } from '../runner/index.js';
import type { FuzzSchedule, RunSummary } from './types.js';

/** Exit code when a seed's run threw or a re-run gave another history hash: the simulator itself is broken. */
export const EXIT_INTERNAL = EXIT.internal;

/** One seed: its schedule, its run, and the re-run's hash when it was re-checked. */
export interface SeedOutcome {
  readonly seed: number;
  readonly schedule: FuzzSchedule;
  summary: RunSummary | null;
  /** The run threw (an internal error). */
  error: string | null;
  /** The determinism re-run's history hash, when this seed was re-run. */
  rerunHash: string | null;
}

/** What makes a seed a failure. */
export type FailureVerdict = Exclude<Verdict, 'pass'> | 'nondeterministic' | 'error';

/** A failing seed as reported. */
export interface FuzzFailure {
  readonly seed: number;
  readonly verdict: FailureVerdict;
  /** The failed checks (or both hashes, or the error), one line. */
  readonly detail: string;
  /** `faultline fuzz --seeds 1 --start <seed> ...`. */
  readonly reproduce: string;
  /** The shrunk scenario file, or null (not shrunk: non-determinism, an error, or --no-shrink). */
  readonly shrunkFile: string | null;
  /** `faultline run <shrunkFile>`. */
  readonly replay: string | null;
  /** `faultline replay <shrunkFile> --violation 1`: the TUI at its first finding. */
  readonly open: string | null;
  readonly faultsBefore: number;
  readonly faultsAfter: number | null;
  /** Runs the shrinker spent. */
  readonly shrinkRuns: number;
  /** The faults left, one line each (`kill-agent: agent-3 at 2m14s`). */
  readonly shrunkFaults: readonly string[];
  /** Whether the written file, read back and run, failed with the same verdict (null: not checked). */
  readonly reproduces: boolean | null;
}

/** The summary of a fuzz run (`--json` prints it). */
export interface FuzzSummary {
  readonly start: number;
  /** Seeds run (fewer than requested when stopped early). */
  readonly seeds: number;
  readonly requested: number;
  readonly passed: number;
  /** Seeds that failed: safety, liveness, non-determinism or an internal error. */
  readonly failed: number;
  /** Seeds where a fault never bit: counted, not failures (unless --strict). */
  readonly inconclusive: number;
  readonly byVerdict: { readonly safety: number; readonly liveness: number; readonly inconclusive: number; readonly nondeterministic: number; readonly error: number };
  readonly determinismChecks: {
    readonly checked: number;
    readonly matched: number;
    readonly mismatched: readonly { readonly seed: number; readonly firstHash: string; readonly secondHash: string }[];
  };
  readonly failures: readonly FuzzFailure[];
  readonly inconclusiveSeeds: readonly number[];
  /** Seeds per minute of wall time over the seed phase (re-checks included in the time, shrinking not). */
  readonly seedsPerMin: number;
  readonly wallMs: number;
  /** Stopped before every requested seed ran (Ctrl-C or --max-failures). */
  readonly stopped: boolean;
  readonly exitCode: number;
}

/** What the progress display follows. */
export type FuzzEvent =
  | { readonly kind: 'seed'; readonly outcome: SeedOutcome; readonly done: number; readonly total: number; readonly failing: number; readonly elapsedMs: number }
  | { readonly kind: 'recheck'; readonly seed: number; readonly firstHash: string; readonly secondHash: string }
  | { readonly kind: 'shrink-start'; readonly seed: number; readonly verdict: FailureVerdict; readonly faults: number; readonly reproduce: string }
  | { readonly kind: 'shrink-progress'; readonly seed: number; readonly faults: number; readonly runs: number }
  | { readonly kind: 'failure'; readonly failure: FuzzFailure };

/** 70 when a run threw or a re-run differed; else the worst verdict's code (safety 1 > liveness 2 > inconclusive 3), 0 when all passed. */
export function exitCodeOf(outcomes: readonly SeedOutcome[]): number {
  if (outcomes.some((o) => o.error !== null || (o.rerunHash !== null && o.summary !== null && o.rerunHash !== o.summary.historyHash))) return EXIT_INTERNAL;
  return EXIT_OF_VERDICT[worstVerdict(outcomes.flatMap((o) => (o.summary === null ? [] : [o.summary.verdict])))];
}
