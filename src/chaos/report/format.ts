/**
 * Small formatting helpers shared by the reports.
 */
import { assertNever } from '../../core/errors.js';
import type { RunResult, Verdict } from '../runner/index.js';

/** Virtual or wall time in seconds with one decimal: `12.3 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A duration that may be missing: `3.2 s` or `-`. */
export function maybeSeconds(ms: number | null): string {
  return ms === null ? '-' : seconds(ms);
}

/** The verdict in words. */
export function verdictWords(verdict: Verdict): string {
  switch (verdict) {
    case 'pass':
      return 'pass';
    case 'safety':
      return 'safety violation';
    case 'liveness':
      return 'liveness failure';
    case 'inconclusive':
      return 'inconclusive';
    default:
      return assertNever(verdict, 'verdict');
  }
}

/** The one line `--quiet` prints, also the last line of the text report: `agent-loss: pass (exit 0, seed 42)`. */
export function verdictLine(result: RunResult): string {
  if (result.interrupted) return `${result.scenario}: interrupted at ${seconds(result.simulatedMs)} (seed ${result.seed}); checks so far: ${verdictWords(result.verdict)}`;
  return `${result.scenario}: ${verdictWords(result.verdict)} (exit ${result.exitCode}, seed ${result.seed})`;
}
