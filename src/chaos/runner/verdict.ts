/**
 * From checks to a verdict and its exit code: a safety failure beats a
 * liveness failure beats an inconclusive check beats a pass (TigerBeetle's
 * VOPR classes; README.md lists the exit codes).
 */
import { EXIT } from '../../core/exit-codes.js';
import type { CheckResult } from '../checkers/index.js';
import type { Verdict } from './types.js';

/** The exit code of each verdict. */
export const EXIT_OF_VERDICT: Readonly<Record<Verdict, 0 | 1 | 2 | 3>> = {
  pass: EXIT.pass,
  safety: EXIT.safety,
  liveness: EXIT.liveness,
  inconclusive: EXIT.inconclusive,
};

/** How bad each verdict is, worst highest (1 > 2 > 3 > 0). */
const SEVERITY: Readonly<Record<Verdict, number>> = { pass: 0, inconclusive: 1, liveness: 2, safety: 3 };

/** The verdict of a set of checks: any safety failure, else any failure, else any inconclusive, else pass. */
export function verdictOf(checks: readonly CheckResult[]): Verdict {
  if (checks.some((c) => c.verdict === 'fail' && c.kind === 'safety')) return 'safety';
  if (checks.some((c) => c.verdict === 'fail')) return 'liveness';
  if (checks.some((c) => c.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

/** The worst of several verdicts (a run of many scenarios exits with it). */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = 'pass';
  for (const v of verdicts) if (SEVERITY[v] > SEVERITY[worst]) worst = v;
  return worst;
}
