/**
 * The TUI's view of a scenario run: maps the runner's progress and result onto
 * the run panel (steps with their state, the phase, every check with its
 * verdict, the final verdict).
 */
import type { CheckResult } from '../chaos/checkers/index.js';
import { allCheckers } from '../chaos/checkers/index.js';
import { stepLabel, type RunPhase, type RunProgress, type RunResult, type Verdict } from '../chaos/runner/index.js';
import type { Scenario } from '../chaos/scenario/index.js';
import type { ScenarioCheckView, ScenarioRunFeed, ScenarioRunSnapshot, ScenarioStepView, ScenarioVerdict } from '../tui/index.js';

const VERDICT_OF: Readonly<Record<Verdict, ScenarioVerdict>> = {
  pass: 'pass',
  safety: 'safety-violation',
  liveness: 'liveness-failure',
  inconclusive: 'inconclusive',
};

/** A run feed plus the hooks the CLI calls as the run goes. */
export interface TuiRunFeed extends ScenarioRunFeed {
  progress(progress: RunProgress): void;
  finish(result: RunResult): void;
  fail(error: unknown): void;
}

/** Builds the feed for one scenario run. */
export function createTuiRunFeed(scenario: Scenario): TuiRunFeed {
  const listeners = new Set<() => void>();
  const labels = [...scenario.method.map(stepLabel), ...scenario.rollbacks.map((s) => `rollback: ${stepLabel(s)}`)];
  const methodCount = scenario.method.length;
  let steps: ScenarioStepView[] = labels.map((label) => ({ label, state: 'pending' }));
  let phase: RunPhase | 'error' = 'setup';
  let current = -1;
  let checks: ScenarioCheckView[] = allCheckers().map((c) => ({ name: c.name, verdict: 'pending', detail: null }));
  let verdict: ScenarioVerdict | null = null;
  let verdictDetail: string | null = null;
  let cached: ScenarioRunSnapshot | null = null;

  const changed = (): void => {
    cached = null;
    for (const listener of listeners) listener();
  };
  const mark = (index: number, state: ScenarioStepView['state']): void => {
    steps = steps.map((s, i) => (i === index ? { ...s, state } : s));
  };

  return {
    snapshot() {
      cached ??= { scenario: scenario.name, phase, steps, checks, verdict, verdictDetail };
      return cached;
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    progress(p) {
      phase = p.phase;
      if (p.step !== null) {
        // Steps report their label (with a location suffix): advance to the next step whose label it starts with.
        const inRollbacks = p.phase === 'rollbacks';
        const from = Math.max(current, inRollbacks ? methodCount - 1 : -1);
        const next = steps.findIndex((s, i) => i > from && p.step?.startsWith(inRollbacks ? s.label.replace(/^rollback: /, '') : s.label));
        if (next !== -1) {
          for (let i = Math.max(0, current); i < next; i += 1) if (steps[i]?.state === 'running' || steps[i]?.state === 'pending') mark(i, 'done');
          mark(next, 'running');
          current = next;
        }
      }
      changed();
    },
    finish(result) {
      phase = 'done';
      const failures = new Set(result.stepFailures.map((f) => f.split(':')[0]));
      steps = steps.map((s) => (s.state === 'running' || s.state === 'pending' ? { ...s, state: failures.size > 0 && s.state === 'running' ? 'failed' : s.state === 'running' ? 'done' : 'skipped' } : s));
      checks = result.checks.map((c: CheckResult) => ({ name: c.name, verdict: c.verdict, detail: c.verdict === 'pass' ? null : c.detail }));
      verdict = VERDICT_OF[result.verdict];
      const reasons = result.convergence && !result.convergence.converged ? result.convergence.reasons.join('; ') : null;
      verdictDetail = [result.interrupted ? 'interrupted' : null, reasons, ...result.stepFailures, `seed ${result.seed} · history ${result.historyHash.slice(0, 12)}`].filter((x): x is string => x !== null).join(' · ');
      changed();
    },
    fail(error) {
      phase = 'error';
      verdict = 'error';
      verdictDetail = error instanceof Error ? error.message : String(error);
      changed();
    },
  };
}
