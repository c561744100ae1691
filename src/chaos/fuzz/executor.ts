/**
 * Running one fuzz scenario: the small summary a worker posts back, and an
 * executor that runs scenarios on the current thread (`--workers 0`, tests).
 */
import type { ServiceBugs } from '../../schedulers/workload.js';
import type { RunResult, RunScenario } from '../runner/types.js';
import type { Scenario } from '../scenario/index.js';
import type { RunSummary, ScenarioExecutor } from './types.js';

/** Longest `detail` kept: a summary line, not a report. */
const DETAIL_MAX_CHARS = 400;

/** The parts of a run result the fuzzer keeps. */
export function summarizeRun(result: RunResult): RunSummary {
  const parts: string[] = [];
  for (const check of result.checks) if (check.verdict !== 'pass') parts.push(`${check.name} ${check.verdict}: ${check.detail}`);
  for (const failure of result.stepFailures) parts.push(failure);
  if (result.convergence && !result.convergence.converged && result.convergence.reasons.length > 0) parts.push(`not converged: ${result.convergence.reasons.join('; ')}`);
  const detail = parts.join(' | ');
  return {
    verdict: result.verdict,
    historyHash: result.historyHash,
    simulatedMs: result.simulatedMs,
    wallMs: result.wallMs,
    faultsInjected: result.faults.filter((f) => f.phase === undefined || f.phase === 'method').length,
    detail: detail.length > DETAIL_MAX_CHARS ? `${detail.slice(0, DETAIL_MAX_CHARS - 3)}...` : detail,
  };
}

/** Options of the executors. */
export interface ExecutorOptions {
  /** Deliberately broken service schedulers, by app name (the checkers' own tests). */
  readonly bugs?: Readonly<Record<string, ServiceBugs>>;
}

/** Runs scenarios one at a time on this thread with `run` (the runner, or a fake in tests). */
export function inProcessExecutor(run: RunScenario, options: ExecutorOptions = {}): ScenarioExecutor {
  return {
    parallelism: 1,
    run: async (scenario: Scenario) => summarizeRun(await run(scenario, null, { keepHistory: false, ...(options.bugs ? { bugs: options.bugs } : {}) })),
    close: async () => {},
  };
}
