/**
 * The scenario-run panel: the scenario's steps, the current phase, every check
 * with its live verdict, and the final verdict. States are words (`done`,
 * `FAIL`), never colour alone.
 */
import { assertNever } from '../core/errors.js';
import type { ScenarioCheckView, ScenarioRunSnapshot, ScenarioVerdict } from './source.js';

/** The verdict in words with its exit code (README.md lists the codes). */
export function verdictText(verdict: ScenarioVerdict | null): string {
  switch (verdict) {
    case null:
      return 'running';
    case 'pass':
      return 'PASS (exit 0)';
    case 'safety-violation':
      return 'SAFETY VIOLATION (exit 1)';
    case 'liveness-failure':
      return 'LIVENESS FAILURE (exit 2)';
    case 'inconclusive':
      return 'INCONCLUSIVE (exit 3)';
    case 'error':
      return 'ERROR (exit 70)';
    default:
      return assertNever(verdict, 'verdict');
  }
}

function checkWord(verdict: ScenarioCheckView['verdict']): string {
  switch (verdict) {
    case 'pending':
      return '....';
    case 'pass':
      return 'pass';
    case 'fail':
      return 'FAIL';
    case 'inconclusive':
      return 'INCONCLUSIVE';
    default:
      return assertNever(verdict, 'check verdict');
  }
}

/** A short progress summary for the header (the name is in the panel): `method 2/5`, `PASS`. */
export function runSummary(run: ScenarioRunSnapshot): string {
  const done = run.steps.filter((s) => s.state === 'done' || s.state === 'failed' || s.state === 'skipped').length;
  return run.verdict === null ? `${run.phase} ${done}/${run.steps.length}` : (verdictText(run.verdict).split(' (')[0] ?? '');
}

/** The panel's lines. */
export function runPanelLines(run: ScenarioRunSnapshot | null): string[] {
  if (run === null) return ['No scenario run. Start one with :run <scenario.yaml> (or --scenario FILE).'];
  const lines = [`Scenario  ${run.scenario}`, `Phase     ${run.phase}`, `Verdict   ${verdictText(run.verdict)}${run.verdictDetail ? `: ${run.verdictDetail}` : ''}`, '', `Steps (${run.steps.length})`];
  for (const step of run.steps) {
    const marker = step.state === 'running' ? '>' : ' ';
    lines.push(`${marker} ${`[${step.state}]`.padEnd(10)} ${step.label}`);
  }
  lines.push('', `Checks (${run.checks.length})`);
  for (const check of run.checks) {
    lines.push(`  ${checkWord(check.verdict).padEnd(12)} ${check.name}${check.detail ? `: ${check.detail}` : ''}`);
  }
  return lines;
}
