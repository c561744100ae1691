/**
 * The method's and the rollbacks' steps as programs (program.ts): a fault is
 * injected at once, `wait` waits for a time, `until` for a condition or its
 * deadline, `parallel` forks branches that share the clock, `repeat` loops.
 */
import { assertNever } from '../../core/errors.js';
import { formatCondition, formatDuration, formatLoc, type Condition, type Evaluation, type FaultStep, type Loc, type Step } from '../scenario/index.js';
import { stepLabel } from './label.js';
import type { Program } from './program.js';

/** How a step failed: a missed deadline is a liveness failure; a fault with nothing to hit makes the run inconclusive. */
export type StepFailureClass = 'liveness' | 'inconclusive';

/** What steps act on; the runner implements it over the cluster. */
export interface StepEnv {
  now(): number;
  evaluate(condition: Condition): Evaluation;
  /** Resolves the fault's targets now and injects it; false (after reporting) when it cannot. */
  inject(fault: FaultStep, loc: Loc): boolean;
  /** Records a failed step. */
  fail(text: string, failure: StepFailureClass): void;
  /** A step started (label) or ended (null). */
  progress(label: string | null): void;
  /** Set when a failure must stop every branch (the method); rollbacks carry on. */
  readonly stopsOnFailure: boolean;
}

/** Runs steps in order; stops early when a failure stops the phase. */
export function* stepsProgram(steps: readonly Step[], env: StepEnv, failed: () => boolean): Program {
  for (const step of steps) {
    if (env.stopsOnFailure && failed()) return;
    yield* stepProgram(step, env, failed);
  }
}

/** One step as a program. */
export function* stepProgram(step: Step, env: StepEnv, failed: () => boolean): Program {
  env.progress(stepLabel(step));
  switch (step.kind) {
    case 'fault':
      env.inject(step.fault, step.loc);
      break;
    case 'wait':
      yield { kind: 'time', atMs: env.now() + step.ms };
      break;
    case 'until': {
      const condition = step.condition;
      const startMs = env.now();
      const held = yield { kind: 'until', test: () => env.evaluate(condition).holds, deadlineMs: startMs + step.withinMs };
      if (!held) {
        const actual = env.evaluate(condition).actual;
        env.fail(`until ${formatCondition(condition)} did not hold within ${formatDuration(step.withinMs)} (was ${actual}) (${formatLoc(step.loc)})`, 'liveness');
      }
      break;
    }
    case 'parallel':
      yield { kind: 'all', branches: step.steps.map((s) => stepProgram(s, env, failed)) };
      break;
    case 'repeat':
      for (let i = 0; i < step.times; i += 1) {
        if (env.stopsOnFailure && failed()) break;
        yield* stepsProgram(step.steps, env, failed);
      }
      break;
    default:
      assertNever(step, 'step');
  }
  env.progress(null);
}
