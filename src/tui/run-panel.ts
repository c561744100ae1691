/**
 * The scenario-run panel: the scenario's steps, the current phase, every check
 * with its live verdict, and the final verdict. States are words (`done`,
 * `FAIL`), never colour alone.
 */
import { assertNever } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { ScenarioCheckView, ScenarioRunSnapshot, ScenarioVerdict } from './source.js';

/** The exit code of a scenario verdict: what `q` exits with after a run. */
export function exitCodeOfVerdict(verdict: ScenarioVerdict): number {
  switch (verdict) {
    case 'pass':
      return EXIT.pass;
    case 'safety-violation':
      return EXIT.safety;
    case 'liveness-failure':
      return EXIT.liveness;
    case 'inconclusive':
      return EXIT.inconclusive;
    case 'error':
      return EXIT.internal;
    default:
      return assertNever(verdict, 'verdict');
  }
}

/** The line the CLI prints after the TUI quits when a scenario ran: its verdict and exit code, or that it was cut short. */
export function runExitLine(run: ScenarioRunSnapshot): string {
  if (run.verdict === null) return `scenario ${run.scenario}: quit while it ran (${run.phase}): no verdict`;
  return `scenario ${run.scenario}: ${verdictText(run.verdict)}${run.verdictDetail ? `: ${run.verdictDetail}` : ''}`;
}

/** The verdict in words with its exit code (README.md lists the codes). */
export function verdictText(verdict: ScenarioVerdict | null): string {
  switch (verdict) {
    case null:
      return 'running';
    case 'pass':
      return `PASS (exit ${EXIT.pass})`;
    case 'safety-violation':
      return `SAFETY VIOLATION (exit ${EXIT.safety})`;
    case 'liveness-failure':
      return `LIVENESS FAILURE (exit ${EXIT.liveness})`;
    case 'inconclusive':
      return `INCONCLUSIVE (exit ${EXIT.inconclusive})`;
    case 'error':
      return `ERROR (exit ${EXIT.internal})`;
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
