/**
 * The contract between `npm run bench` (scripts/bench.ts) and the bench files:
 * every `bench/*.bench.ts` exports `benches: Bench[]`. Each bench runs in its
 * own child process, so module top level should stay cheap (build the cluster
 * inside `run`).
 */

/** One figure of BENCHMARKS.md. */
export interface Bench {
  /** Stable name, e.g. `drf-cycle-10k-1k-ms` (BENCHMARKS.md lists them). */
  name: string;
  /** Unit of the value: `ms`, `x`, `s`, `%`, `updates/s`, `bytes`. */
  unit: string;
  /** What we compare against, in words: `Mesos 1.8: ~1.06 s`. */
  anchor: string;
  /** The goal, in words: `<= 50 ms`. */
  goal: string;
  /** The anchor as a number in `unit`, when it has one: the table prints value / anchorValue. */
  anchorValue?: number;
  /** Whether a value meets the goal (given the child's peak RSS too, for memory goals); without it the table prints `-`. */
  goalCheck?: (value: number, run: { readonly peakRssMb: number }) => boolean;
  /** Node/V8 flags added to the child's `--max-old-space-size=8192` (a later flag wins, so a bench may set its own limit). */
  nodeFlags?: readonly string[];
  /** Measures and returns the value in `unit`; may log progress to stderr. */
  run(): Promise<number> | number;
}

/** A bench's figure as written to bench-results.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  anchor: string;
  goal: string;
}
