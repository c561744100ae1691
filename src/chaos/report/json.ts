/**
 * The JSON report of one run (the shape is JsonReport below): the RunResult without the
 * history, with every check, fault, recovery metric and the convergence.
 */
import type { CheckFinding, CheckKind, CheckVerdict, RecoverySummary } from '../checkers/index.js';
import type { ConvergenceResult, FaultRecord, LiveRunInfo, RunResult, Verdict } from '../runner/index.js';

/** The JSON report's shape. */
export interface JsonReport {
  readonly scenario: string;
  readonly file: string | null;
  readonly seed: string;
  readonly verdict: Verdict;
  readonly exitCode: number;
  readonly interrupted: boolean;
  readonly historyHash: string;
  readonly simulatedMs: number;
  readonly wallMs: number;
  readonly checks: ReadonlyArray<{ readonly name: string; readonly kind: CheckKind | null; readonly verdict: CheckVerdict; readonly detail: string; readonly findings: readonly CheckFinding[] }>;
  readonly faults: ReadonlyArray<{ readonly atMs: number; readonly kind: FaultRecord['kind']; readonly target: string; readonly phase: string; readonly fault: FaultRecord['fault'] }>;
  readonly recovery: ReadonlyArray<{ readonly fault: string; readonly atMs: number; readonly detectedMs: number | null; readonly rescheduledMs: number | null }>;
  readonly recoverySummary: RecoverySummary;
  readonly convergence: ConvergenceResult | null;
  readonly stepFailures: readonly string[];
  readonly methodStartMs: number | null;
  readonly livenessStartMs: number | null;
  readonly reproduce: string;
  /** `runtime` "live" with how network faults were applied and the runtime's notes; "simulation" otherwise. */
  readonly runtime: 'simulation' | 'live';
  readonly live?: LiveRunInfo;
}

/** Virtual times carry latency fractions; reports show whole milliseconds. */
function whole(ms: number): number;
function whole(ms: number | null): number | null;
function whole(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms);
}

/** The JSON report of a run (plain data: `JSON.stringify` it). */
export function jsonReport(result: RunResult): JsonReport {
  const convergence = result.convergence;
  return {
    scenario: result.scenario,
    file: result.file,
    seed: result.seed,
    verdict: result.verdict,
    exitCode: result.exitCode,
    interrupted: result.interrupted,
    historyHash: result.historyHash,
    simulatedMs: whole(result.simulatedMs),
    wallMs: result.wallMs,
    checks: result.checks.map((c) => ({ name: c.name, kind: c.kind ?? null, verdict: c.verdict, detail: c.detail, findings: c.findings ?? [] })),
    faults: result.faults.map((f) => ({ atMs: whole(f.atMs), kind: f.kind, target: f.target, phase: f.phase ?? 'method', fault: f.fault })),
    recovery: result.recovery.map((r) => ({ fault: r.fault, atMs: whole(r.atMs), detectedMs: whole(r.detectedMs), rescheduledMs: whole(r.rescheduledMs) })),
    recoverySummary: result.recoverySummary,
    convergence: convergence === null ? null : { ...convergence, convergedAfterMs: whole(convergence.convergedAfterMs) },
    stepFailures: result.stepFailures,
    methodStartMs: result.methodStartMs === undefined ? null : whole(result.methodStartMs),
    livenessStartMs: result.livenessStartMs === undefined ? null : whole(result.livenessStartMs),
    reproduce: result.reproduce,
    runtime: result.live === undefined ? 'simulation' : 'live',
    ...(result.live === undefined ? {} : { live: result.live }),
  };
}
