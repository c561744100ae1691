import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, type Scenario } from '../../../src/chaos/scenario/index.js';
import type { RunProgress, RunResult } from '../../../src/chaos/runner/index.js';
import { runScenario } from '../../../src/cli/sim-runtime.js';

/** A scenario from inline YAML (fast profile, small cluster unless told). */
function scenarioOf(text: string, file = 'inline.yaml'): Scenario {
  const parsed = parseScenario(text, file);
  assert.ok(parsed.ok, parsed.ok ? '' : `${parsed.error.where}: ${parsed.error.message}`);
  return parsed.value;
}

const WEB = `
cluster:
  masters: 1
  agents: {count: 3, resources: "cpus:2;mem:4096;ports:[31000-32000]"}
workload:
  services:
    - name: web
      instances: 3
steady:
  - service web running == 3
`;

function check(result: RunResult, name: string) {
  const found = result.checks.find((c) => c.name === name);
  assert.ok(found, `no check ${name} in ${result.checks.map((c) => c.name).join(', ')}`);
  return found;
}

describe('runScenario', () => {
  it('passes a kill-agent scenario: phases in order, faults recorded with their phase, hash printed, reproducible command', async () => {
    const phases: string[] = [];
    const result = await runScenario(
      scenarioOf(`name: loss\nseed: 5\n${WEB}method:\n  - kill-agent: {running: web}\n  - until: service web unreachable >= 1\n    within: 10s\n  - until: service web running == 3\n    within: 10s\nrollbacks:\n  - heal\nliveness: 30s\n`),
      'scenarios/loss.yaml',
      { onProgress: (p: RunProgress) => (phases.at(-1) === p.phase ? undefined : phases.push(p.phase)) },
    );
    assert.equal(result.verdict, 'pass', result.checks.map((c) => `${c.name}: ${c.verdict} ${c.detail}`).join('\n'));
    assert.equal(result.exitCode, 0);
    assert.deepEqual(phases, ['steady-before', 'method', 'rollbacks', 'liveness', 'steady-after', 'checks', 'done']);
    assert.equal(result.seed, '5');
    assert.match(result.historyHash, /^[0-9a-f]{64}$/);
    assert.equal(result.reproduce, 'faultline run scenarios/loss.yaml --seed 5');
    assert.deepEqual(
      result.faults.map((f) => [f.kind, f.phase]),
      [
        ['kill-agent', 'method'],
        ['heal', 'rollbacks'],
        ['heal', 'liveness'],
        ['restart-agent', 'liveness'],
      ],
    );
    const killed = result.faults[0];
    assert.ok(killed && killed.fault.kind === 'kill-agent' && killed.target === killed.fault.node);
    assert.ok(result.methodStartMs !== undefined && killed.atMs === result.methodStartMs, 'the method starts when the steady state holds');
    assert.equal(result.livenessStartMs, result.faults[2]?.atMs);
    // The phase boundaries, in time and in records: each fault's record falls in the phase that injected it.
    const bounds = result.phases ?? [];
    assert.deepEqual(bounds.map((b) => b.phase), ['steady-before', 'method', 'rollbacks', 'liveness', 'steady-after', 'end']);
    assert.equal(bounds.find((b) => b.phase === 'method')?.atMs, result.methodStartMs);
    assert.equal(bounds.find((b) => b.phase === 'liveness')?.atMs, result.livenessStartMs);
    assert.equal(bounds.at(-1)?.atMs, result.simulatedMs);
    assert.equal(bounds.at(-1)?.position, result.history?.length);
    const history = result.history ?? [];
    // Faults in order of injection: two heals at the same ms are told apart by their order.
    let index = -1;
    for (const fault of result.faults) {
      index = history.findIndex((r, i) => i > index && r.type === 'fault.injected' && JSON.stringify(r.fault) === JSON.stringify(fault.fault));
      assert.ok(index >= 0, `${fault.kind} is in the history`);
      const at = bounds.findLastIndex((b) => b.position <= index);
      assert.equal(bounds[at]?.phase, fault.phase, `${fault.kind} at record ${index} is in ${fault.phase}`);
    }
    assert.equal(result.convergence?.converged, true);
    assert.equal(result.recovery[0]?.fault, `kill-agent ${killed.target}`);
    assert.ok((result.recovery[0]?.detectedMs ?? 0) > 0);
    assert.ok(result.history !== null && result.history.length > 0 && result.history[0]?.type === 'cluster.started');
  });

  it('gives the same history hash for the same seed, another for another seed', async () => {
    const scenario = scenarioOf(`name: twice\n${WEB}method:\n  - kill-task: {of: web}\n  - wait: 2s\nliveness: 20s\n`);
    const [a, b, c] = [await runScenario(scenario, null), await runScenario(scenario, null), await runScenario(scenario, null, { seed: '99' })];
    assert.equal(a.historyHash, b.historyHash);
    assert.notEqual(a.historyHash, c.historyHash);
    assert.equal(c.seed, '99');
    assert.equal(a.reproduce, 'faultline run twice.yaml --seed 1');
  });

  it('fails with liveness and names the step when an until misses its deadline; the method stops, the rollbacks still run', async () => {
    const result = await runScenario(
      scenarioOf(`name: never\n${WEB}method:\n  - until: service web running == 5\n    within: 3s\n  - kill-agent: one\nrollbacks:\n  - wait: 1s\n  - heal\nliveness: 20s\n`, 'never.yaml'),
      'never.yaml',
    );
    assert.equal(result.verdict, 'liveness');
    assert.equal(result.exitCode, 2);
    assert.equal(check(result, 'method').verdict, 'fail');
    assert.deepEqual(result.stepFailures, ['until service web running == 5 did not hold within 3s (was 3) (never.yaml:13:5)']);
    assert.ok(!result.faults.some((f) => f.kind === 'kill-agent'), 'the step after the failed until did not run');
    assert.deepEqual(
      result.faults.filter((f) => f.phase === 'rollbacks').map((f) => f.kind),
      ['heal'],
    );
    assert.equal(check(result, 'rollbacks').verdict, 'pass');
  });

  it('is inconclusive when a target resolves to nothing, and goes on with the method', async () => {
    const result = await runScenario(scenarioOf(`name: nothing\n${WEB}method:\n  - resume-agent: one\n  - kill-task: {of: web}\n  - wait: 2s\nliveness: 20s\n`, 'nothing.yaml'), 'nothing.yaml');
    assert.equal(result.verdict, 'inconclusive', result.checks.map((c) => `${c.name}: ${c.verdict} ${c.detail}`).join('\n'));
    assert.equal(result.exitCode, 3);
    assert.equal(check(result, 'method').verdict, 'inconclusive');
    assert.match(result.stepFailures[0] ?? '', /resume-agent: .*the fault was not injected \(nothing.yaml:13:5\)/);
    assert.ok(result.faults.some((f) => f.kind === 'kill-task'), 'the next step ran');
  });

  it('fails with liveness, naming the conditions, when the steady state never holds; the method is skipped', async () => {
    const result = await runScenario(scenarioOf(`name: unsteady\n${WEB}  - agents registered == 4\nmethod:\n  - kill-agent: one\nliveness: 10s\n`.replace('steady:\n', 'steady:\n  within: 5s\n  conditions:\n').replace('  - service web running == 3\n  - agents', '    - service web running == 3\n    - agents'), 'unsteady.yaml'), 'unsteady.yaml');
    assert.equal(result.verdict, 'liveness');
    const steady = check(result, 'steady-before');
    assert.equal(steady.verdict, 'fail');
    assert.match(steady.detail, /did not hold within 5s: agents registered == 4 \(was 3\) \(unsteady.yaml:\d+:\d+\)/);
    assert.equal(check(result, 'method').verdict, 'inconclusive');
    assert.ok(!result.faults.some((f) => f.phase === 'method'));
  });

  it('names why the liveness phase did not converge: a service short of tasks with no offers for it', async () => {
    const text = `name: starved
cluster:
  masters: 1
  agents: {count: 2, resources: "cpus:1;mem:1024;ports:[31000-32000]"}
workload:
  services:
    - name: web
      instances: 2
steady:
  - service web running == 2
method:
  - kill-agent: {running: web}
  - until: service web unreachable == 1
    within: 10s
liveness:
  deadline: 10s
  conditions:
    - tasks TASK_LOST == 5
`;
    // Restarting the killed host gives the capacity back, so the service converges; the extra condition cannot hold.
    const result = await runScenario(scenarioOf(text, 'starved.yaml'), 'starved.yaml');
    assert.equal(result.verdict, 'liveness');
    assert.equal(result.convergence?.converged, false);
    assert.deepEqual(result.convergence?.reasons, ['tasks TASK_LOST == 5 does not hold (0) (starved.yaml:18:7)']);
    assert.match(check(result, 'convergence').detail, /^not converged 10s after the heal: tasks TASK_LOST == 5 does not hold/);
  });

  it('on a stop request: stops the method, still runs the rollbacks, skips the liveness phase, reports interrupted', async () => {
    let yields = 0;
    const result = await runScenario(scenarioOf(`name: stopped\n${WEB}method:\n  - partition: {isolate: {running: web}}\n  - wait: 10m\nrollbacks:\n  - wait: 2s\n  - heal\nliveness: 30s\n`), 'stopped.yaml', {
      shouldStop: () => yields >= 8,
      yieldControl: () => {
        yields += 1;
        return Promise.resolve();
      },
    });
    assert.equal(result.interrupted, true);
    assert.equal(check(result, 'method').verdict, 'inconclusive');
    assert.match(check(result, 'method').detail, /^interrupted at/);
    assert.equal(check(result, 'rollbacks').verdict, 'pass', 'the rollbacks ran to their end');
    assert.deepEqual(
      result.faults.map((f) => `${f.kind}/${f.phase}`),
      ['partition/method', 'heal/rollbacks'],
    );
    assert.equal(result.convergence, null);
    assert.equal(result.livenessStartMs, null);
    assert.ok(!result.checks.some((c) => c.name === 'convergence' || c.name === 'steady-after'));
    assert.ok(result.simulatedMs < 60_000, `stopped early, at ${result.simulatedMs} ms`);
  });

  it('runs parallel branches in one clock and resolves random targets from the scenario stream', async () => {
    const text = `name: par\n${WEB}method:\n  - parallel:\n      - wait: 4s\n      - repeat: {times: 2, steps: [kill-task: {of: web}, wait: 1s]}\n  - kill-task: {of: web}\nliveness: 20s\n`;
    const result = await runScenario(scenarioOf(text), null);
    const kills = result.faults.filter((f) => f.kind === 'kill-task');
    const start = result.methodStartMs ?? 0;
    assert.deepEqual(
      kills.map((f) => Math.round(f.atMs - start)),
      [0, 1_000, 4_000],
    );
  });

  it('keeps no history when asked not to, with the same hash', async () => {
    const scenario = scenarioOf(`name: lean\n${WEB}method:\n  - wait: 1s\nliveness: 10s\n`);
    const lean = await runScenario(scenario, null, { keepHistory: false });
    const full = await runScenario(scenario, null);
    assert.equal(lean.history, null);
    assert.equal(lean.historyHash, full.historyHash);
  });
});
