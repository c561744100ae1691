/** A fuzz ScenarioExecutor for tests: it judges each scenario instead of simulating it. */
import { createHash } from 'node:crypto';
import { DEFAULT_METHOD_MS, type RunSummary, type ScenarioExecutor } from '../../src/chaos/fuzz/index.js';
import type { Verdict } from '../../src/chaos/runner/index.js';
import type { FaultStep, Scenario } from '../../src/chaos/scenario/index.js';

/** The executor, with what it ran and whether it was closed. */
export type FakeExecutor = ScenarioExecutor & { runs: Scenario[]; closed: boolean };

/** The fault steps of a scenario's method, in order. */
export function faultSteps(scenario: Scenario): FaultStep[] {
  return scenario.method.flatMap((step) => (step.kind === 'fault' ? [step.fault] : []));
}

/** A stand-in history hash: the same seed and method give the same hash. */
export function hashOf(scenario: Scenario): string {
  return createHash('sha256').update(JSON.stringify([scenario.seed, scenario.method])).digest('hex').slice(0, 16);
}

/**
 * Judges each scenario with `judge` (a verdict, or fields of the summary over a
 * passing one) a tick later, as a worker would answer.
 */
export function fakeExecutor(judge: (scenario: Scenario) => Verdict | Partial<RunSummary>, parallelism = 2): FakeExecutor {
  const executor: FakeExecutor = {
    parallelism,
    runs: [],
    closed: false,
    run: async (scenario: Scenario): Promise<RunSummary> => {
      executor.runs.push(scenario);
      await new Promise((resolve) => setImmediate(resolve));
      const judged = judge(scenario);
      const partial = typeof judged === 'string' ? { verdict: judged } : judged;
      return { verdict: 'pass', historyHash: hashOf(scenario), simulatedMs: DEFAULT_METHOD_MS, wallMs: 1, faultsInjected: faultSteps(scenario).length, detail: '', ...partial };
    },
    close: async () => {
      executor.closed = true;
    },
  };
  return executor;
}
