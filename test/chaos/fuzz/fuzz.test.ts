import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultBaseScenario,
  DEFAULT_METHOD_MS,
  generateSchedule,
  recheckSeeds,
  runFuzz,
  type FuzzConfig,
  type FuzzEvent,
  type FuzzKind,
} from '../../../src/chaos/fuzz/index.js';
import type { Verdict } from '../../../src/chaos/runner/index.js';
import { parseScenario, type FaultStep } from '../../../src/chaos/scenario/index.js';
import { fakeExecutor, faultSteps } from '../../helpers/fuzz-executor.js';

const base = defaultBaseScenario();

function config(overrides: Partial<FuzzConfig> = {}): FuzzConfig {
  return { start: 1, seeds: 20, base, kinds: ['kill-agent'], methodMs: DEFAULT_METHOD_MS, outDir: 'out', baseFile: null, kindsFlag: 'kill-agent', ...overrides };
}

function files(): { written: Map<string, string>; writeFile: (path: string, text: string) => Promise<void> } {
  const written = new Map<string, string>();
  return { written, writeFile: async (path, text) => void written.set(path, text) };
}

function clock(): () => number {
  let nowMs = 0;
  return () => (nowMs += 7);
}

const killsAgent3 = (steps: readonly FaultStep[]): boolean => steps.some((s) => s.kind === 'kill-agent' && s.agent.kind === 'id' && s.agent.id === 'agent-3');

describe('runFuzz', () => {
  it('passes when every seed passes, re-checking a share for determinism', async () => {
    const executor = fakeExecutor(() => 'pass');
    const events: FuzzEvent[] = [];
    const { writeFile, written } = files();
    const summary = await runFuzz(config({ seeds: 40 }), { executor, writeFile, clock: clock(), onEvent: (e) => events.push(e) });
    assert.equal(summary.exitCode, 0);
    assert.equal(summary.seeds, 40);
    assert.equal(summary.passed, 40);
    assert.equal(summary.failed, 0);
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.determinismChecks.checked, 2);
    assert.equal(summary.determinismChecks.matched, 2);
    assert.equal(executor.runs.length, 42, '40 seeds and 2 re-runs');
    assert.deepEqual(
      [...new Set(executor.runs.map((s) => Number(s.seed)))].sort((a, b) => a - b),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    assert.equal(events.filter((e) => e.kind === 'seed').length, 40);
    assert.deepEqual(
      events.flatMap((e) => (e.kind === 'recheck' ? [e.seed] : [])).sort((a, b) => a - b),
      recheckSeeds({ start: 1, count: 40 }),
    );
    assert.ok(summary.seedsPerMin > 0);
    assert.equal(written.size, 0);
  });

  it('runs each seed as its generated schedule with the fuzz seed', async () => {
    const executor = fakeExecutor(() => 'pass');
    await runFuzz(config({ start: 500, seeds: 3, kinds: ['pause-agent', 'partition'] }), { executor, ...files() });
    for (const scenario of executor.runs) {
      const schedule = generateSchedule({ seed: scenario.seed, base, kinds: ['pause-agent', 'partition'] });
      assert.deepEqual(faultSteps(scenario), schedule.faults.map((f) => f.step));
      assert.equal(scenario.name, `fuzz-${scenario.seed}`);
      assert.deepEqual(scenario.cluster, base.cluster);
    }
  });

  it('a re-run with another history hash is a failure with both hashes (exit 70)', async () => {
    const runsBySeed = new Map<string, number>();
    const executor = fakeExecutor((scenario) => {
      const n = (runsBySeed.get(scenario.seed) ?? 0) + 1;
      runsBySeed.set(scenario.seed, n);
      return { historyHash: n === 1 ? `first-${scenario.seed}` : `second-${scenario.seed}` };
    });
    const summary = await runFuzz(config({ seeds: 20 }), { executor, ...files() });
    const [rechecked] = recheckSeeds({ start: 1, count: 20 });
    assert.ok(rechecked !== undefined);
    assert.equal(summary.exitCode, 70);
    assert.equal(summary.failed, 1);
    assert.equal(summary.passed, 19);
    assert.deepEqual(summary.determinismChecks.mismatched, [{ seed: rechecked, firstHash: `first-${rechecked}`, secondHash: `second-${rechecked}` }]);
    assert.equal(summary.failures.length, 1);
    const failure = summary.failures[0];
    assert.equal(failure?.verdict, 'nondeterministic');
    assert.equal(failure?.seed, rechecked);
    assert.match(failure?.detail ?? '', new RegExp(`first-${rechecked}.*second-${rechecked}`));
    assert.equal(failure?.reproduce, `faultline fuzz --seeds 1 --start ${rechecked} --faults kill-agent`);
    assert.equal(failure?.shrunkFile, null);
  });

  it('shrinks every failing seed to its culprit and writes a file that reproduces it', async () => {
    const executor = fakeExecutor((scenario) => (killsAgent3(faultSteps(scenario)) ? { verdict: 'liveness', detail: 'web: 3 of 4 running' } : 'pass'));
    const { writeFile, written } = files();
    const summary = await runFuzz(config({ seeds: 30, outDir: 'fuzz-out' }), { executor, writeFile });
    const expected = Array.from({ length: 30 }, (_, i) => i + 1).filter((seed) => killsAgent3(generateSchedule({ seed: String(seed), base, kinds: ['kill-agent'] }).faults.map((f) => f.step)));
    assert.ok(expected.length >= 2, `some seeds kill agent-3 (${expected.join(',')})`);
    assert.deepEqual(summary.failures.map((f) => f.seed), expected);
    assert.equal(summary.exitCode, 2);
    for (const failure of summary.failures) {
      assert.equal(failure.verdict, 'liveness');
      assert.equal(failure.detail, 'web: 3 of 4 running');
      assert.equal(failure.faultsAfter, 1);
      assert.ok(failure.faultsBefore > 1);
      assert.deepEqual(failure.shrunkFaults.map((f) => f.replace(/ at .*/, '')), ['kill-agent: agent-3']);
      assert.equal(failure.shrunkFile, `fuzz-out/fuzz-${failure.seed}.yaml`);
      assert.equal(failure.replay, `faultline run fuzz-out/fuzz-${failure.seed}.yaml`);
      assert.equal(failure.reproduces, true);
      const text = written.get(failure.shrunkFile ?? '');
      assert.ok(text !== undefined);
      const parsed = parseScenario(text, failure.shrunkFile ?? '');
      assert.ok(parsed.ok);
      assert.equal(parsed.value.seed, String(failure.seed));
      assert.deepEqual(faultSteps(parsed.value), [{ kind: 'kill-agent', agent: { kind: 'id', id: 'agent-3' } }]);
      assert.match(parsed.value.description, new RegExp(`seed ${failure.seed}: 1 of ${failure.faultsBefore} fault\\(s\\) still give a liveness failure`));
    }
  });

  it('counts a candidate as failing only with the same verdict class', async () => {
    // The whole schedule fails safety; kill-agent of agent-3 alone gives liveness, which must not count.
    const seed = Array.from({ length: 40 }, (_, i) => i + 1).find((s) => {
      const steps = generateSchedule({ seed: String(s), base, kinds: ['kill-agent'] }).faults.map((f) => f.step);
      return killsAgent3(steps) && steps.length >= 4;
    });
    assert.ok(seed !== undefined);
    const full = generateSchedule({ seed: String(seed), base, kinds: ['kill-agent'] }).faults.length;
    const executor = fakeExecutor((scenario) => {
      const steps = faultSteps(scenario);
      if (steps.length === full) return 'safety';
      return killsAgent3(steps) ? 'liveness' : 'pass';
    });
    const summary = await runFuzz(config({ start: seed, seeds: 1 }), { executor, ...files() });
    assert.equal(summary.exitCode, 1);
    assert.equal(summary.failures[0]?.verdict, 'safety');
    assert.equal(summary.failures[0]?.faultsAfter, full, 'nothing smaller fails with safety');
  });

  const worst: Array<[string, Record<number, Verdict>, number, number]> = [
    ['safety beats liveness and inconclusive', { 3: 'inconclusive', 5: 'liveness', 8: 'safety' }, 1, 2],
    ['liveness beats inconclusive', { 3: 'inconclusive', 5: 'liveness' }, 2, 1],
    ['inconclusive alone exits 3 and is not a failure', { 3: 'inconclusive', 9: 'inconclusive' }, 3, 0],
  ];
  for (const [name, verdicts, exitCode, failures] of worst) {
    it(`exit code by the worst verdict: ${name}`, async () => {
      const executor = fakeExecutor((scenario) => verdicts[Number(scenario.seed)] ?? 'pass');
      const summary = await runFuzz(config({ seeds: 10 }), { executor, ...files() });
      assert.equal(summary.exitCode, exitCode);
      assert.equal(summary.failures.length, failures);
      const inconclusive = Object.entries(verdicts).filter(([, v]) => v === 'inconclusive').map(([s]) => Number(s));
      assert.deepEqual(summary.inconclusiveSeeds, inconclusive);
      assert.equal(summary.inconclusive, inconclusive.length);
      assert.equal(summary.passed + summary.failed + summary.inconclusive, 10);
    });
  }

  it('--strict shrinks and lists inconclusive seeds too', async () => {
    const executor = fakeExecutor((scenario) => (killsAgent3(faultSteps(scenario)) ? 'inconclusive' : 'pass'));
    const summary = await runFuzz(config({ seeds: 30, strict: true }), { executor, ...files() });
    assert.ok(summary.failures.length > 0);
    for (const failure of summary.failures) {
      assert.equal(failure.verdict, 'inconclusive');
      assert.equal(failure.faultsAfter, 1);
    }
    assert.equal(summary.exitCode, 3);
  });

  it('--max-failures stops starting seeds and keeps the lowest failing ones', async () => {
    const executor = fakeExecutor(() => 'liveness');
    const summary = await runFuzz(config({ seeds: 200, maxFailures: 1, shrink: false }), { executor, ...files() });
    assert.equal(summary.stopped, true);
    assert.ok(summary.seeds < 200 && summary.seeds <= 1 + 2 * executor.parallelism, `${summary.seeds} seeds ran`);
    assert.deepEqual(summary.failures.map((f) => f.seed), [1]);
    assert.equal(summary.failures[0]?.shrunkFile, null);
    assert.equal(summary.exitCode, 2);
  });

  it('a run that throws fails its seed (exit 70) and the other seeds still run', async () => {
    const executor = fakeExecutor((scenario) => {
      if (scenario.seed === '4') throw new Error('boom in the runner');
      return 'pass';
    });
    const summary = await runFuzz(config({ seeds: 6 }), { executor, ...files() });
    assert.equal(summary.exitCode, 70);
    assert.equal(summary.passed, 5);
    assert.equal(summary.byVerdict.error, 1);
    assert.deepEqual(summary.failures.map((f) => [f.seed, f.verdict, f.detail]), [[4, 'error', 'boom in the runner']]);
  });

  it('stops starting seeds when asked (Ctrl-C)', async () => {
    let done = 0;
    const executor = fakeExecutor(() => {
      done += 1;
      return 'pass';
    }, 1);
    const summary = await runFuzz(config({ seeds: 50 }), { executor, ...files(), shouldStop: () => done >= 3 });
    assert.equal(summary.stopped, true);
    assert.ok(summary.seeds >= 3 && summary.seeds <= 5, `${summary.seeds} seeds ran`);
    assert.equal(summary.exitCode, 0);
  });

  it('puts --base, --faults and --duration in the reproduce command', async () => {
    const kinds: FuzzKind[] = ['kill-agent'];
    const executor = fakeExecutor(() => 'liveness');
    const summary = await runFuzz(config({ start: 12, seeds: 1, kinds, kindsFlag: 'kill-agent', baseFile: 'my base.yaml', methodMs: 90_000, shrink: false }), { executor, ...files() });
    assert.equal(summary.failures[0]?.reproduce, "faultline fuzz --seeds 1 --start 12 --base 'my base.yaml' --faults kill-agent --duration 1m30s");
  });
});
