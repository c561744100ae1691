import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fault } from '../../../src/core/faults.js';
import { parseScenario, scenarioFromFaults, scenarioToYaml, type Scenario, type TimedFault } from '../../../src/chaos/scenario/index.js';
import { validFixture, withoutLocs } from './fixtures.js';

function reparse(scenario: Scenario): Scenario {
  const text = scenarioToYaml(scenario);
  const back = parseScenario(text, 'saved.yaml');
  assert.ok(back.ok, back.ok ? '' : `${back.error.where}: ${back.error.message}\n${text}`);
  return back.value;
}

for (const name of ['minimal.yaml', 'agent-loss.yaml', 'every-step.yaml', 'cluster-list.yaml']) {
  test(`round trip: parse(serialize(${name})) equals the parsed file, locations aside`, () => {
    const parsed = validFixture(name);
    const back = reparse(parsed);
    assert.deepEqual(withoutLocs(back), withoutLocs(parsed));
    assert.equal(scenarioToYaml(back), scenarioToYaml(parsed), 'serializing is stable');
  });
}

const base = validFixture('agent-loss.yaml');

const everyFault: readonly TimedFault[] = [
  { atMs: 0, fault: { kind: 'kill-agent', node: 'agent-1' } },
  { atMs: 5_000, fault: { kind: 'restart-agent', node: 'agent-1' } },
  { atMs: 5_000, fault: { kind: 'pause-agent', node: 'agent-2' } },
  { atMs: 6_500, fault: { kind: 'resume-agent', node: 'agent-2' } },
  { atMs: 7_000, fault: { kind: 'partition', groups: [['master-1', 'agent-1'], ['master-2', 'master-3', 'coordinator', 'scheduler-web']], oneWay: true } },
  { atMs: 8_000, fault: { kind: 'heal' } },
  { atMs: 9_000, fault: { kind: 'link', from: [], to: ['master-1'], oneWay: false, spec: { delayMs: 150, jitterMs: 20, loss: 0.25, duplicate: 0.1 } } },
  { atMs: 9_000, fault: { kind: 'clog', nodes: ['agent-3', 'agent-4'] } },
  { atMs: 9_000, fault: { kind: 'unclog', nodes: ['agent-3'] } },
  { atMs: 10_000, fault: { kind: 'swizzle-clog', nodes: ['agent-1', 'agent-2', 'master-2'], stepMs: 750 } },
  { atMs: 60_000, fault: { kind: 'kill-master', node: 'master-1' } },
  { atMs: 61_000, fault: { kind: 'restart-master', node: 'master-1' } },
  { atMs: 62_000, fault: { kind: 'pause-master', node: 'master-2' } },
  { atMs: 63_000, fault: { kind: 'resume-master', node: 'master-2' } },
  { atMs: 64_000, fault: { kind: 'failover', node: 'master-3' } },
  { atMs: 65_000, fault: { kind: 'kill-task', taskId: 'web.4', frameworkId: 'abc-0000' } },
  { atMs: 66_000, fault: { kind: 'kill-task', taskId: 'one', frameworkId: 'abc-0000' } },
  { atMs: 70_000, fault: { kind: 'crash-framework', node: 'scheduler-web' } },
  { atMs: 95_000, fault: { kind: 'restart-framework', node: 'scheduler-web' } },
];

function fromFaults(faults: readonly TimedFault[]): Scenario {
  return scenarioFromFaults({
    name: 'saved-session',
    description: 'What I did in the TUI.',
    seed: '1234',
    timing: base.timing,
    cluster: base.cluster,
    workload: base.workload,
    faults,
  });
}

test('scenarioFromFaults: every fault kind, with waits between, survives the round trip', () => {
  const scenario = fromFaults(everyFault);
  const kinds = new Set(everyFault.map((f) => f.fault.kind));
  assert.equal(kinds.size, 18, 'the fixture covers every fault kind');
  const back = reparse(scenario);
  assert.deepEqual(withoutLocs(back), withoutLocs(scenario));
});

test('scenarioFromFaults: waits are the gaps, in order; equal times need no wait', () => {
  const scenario = fromFaults([
    { atMs: 3_000, fault: { kind: 'heal' } },
    { atMs: 1_000, fault: { kind: 'kill-agent', node: 'agent-1' } },
    { atMs: 1_000, fault: { kind: 'kill-agent', node: 'agent-2' } },
  ]);
  assert.deepEqual(withoutLocs(scenario.method), [
    { kind: 'wait', ms: 1_000 },
    { kind: 'fault', fault: { kind: 'kill-agent', agent: { kind: 'id', id: 'agent-1' } } },
    { kind: 'fault', fault: { kind: 'kill-agent', agent: { kind: 'id', id: 'agent-2' } } },
    { kind: 'wait', ms: 2_000 },
    { kind: 'fault', fault: { kind: 'heal' } },
  ]);
  assert.deepEqual(scenario.steady, { withinMs: 60_000, checks: [] });
  assert.deepEqual(scenario.rollbacks, []);
  assert.equal(scenario.liveness.deadlineMs, 60_000);
});

test('scenarioFromFaults: concrete faults resolve back to themselves', async () => {
  const { faultOf } = await import('../../../src/chaos/scenario/index.js');
  const { stateOf, draws } = await import('./cluster-state.js');
  const state = stateOf({
    agents: [{ host: 'agent-1' }, { host: 'agent-2' }, { host: 'agent-3' }, { host: 'agent-4' }],
    frameworks: [{ frameworkId: 'abc-0000', name: 'web' }],
    tasks: [
      { taskId: 'web.4', name: 'web', frameworkId: 'abc-0000', host: 'agent-1', state: 'TASK_RUNNING' },
      { taskId: 'one', name: 'web', frameworkId: 'abc-0000', host: 'agent-2', state: 'TASK_RUNNING' },
    ],
  });
  const nodes = ['master-1', 'master-2', 'master-3', 'agent-1', 'agent-2', 'agent-3', 'agent-4', 'coordinator', 'scheduler-web'];
  const faults: Fault[] = [];
  for (const step of reparse(fromFaults(everyFault)).method) {
    if (step.kind !== 'fault') continue;
    const fault = faultOf(step.fault, state, draws(0.5), { nodes });
    assert.ok(fault.ok, fault.ok ? '' : fault.error.message);
    faults.push(fault.value);
  }
  assert.deepEqual(faults, everyFault.map((f) => f.fault));
});

test('a saved file is short and readable', () => {
  const text = scenarioToYaml(fromFaults(everyFault.slice(0, 2)));
  assert.equal(
    text,
    [
      'name: saved-session',
      'description: What I did in the TUI.',
      'seed: 1234',
      'timing: fast',
      'cluster:',
      '  masters: 3',
      '  agents:',
      '    count: 4',
      '    resources: cpus:4;mem:8192;ports:[31000-32000]',
      '    attributes: {rack: r1}',
      'workload:',
      '  services:',
      '    - name: web',
      '      resources: cpus:0.5;mem:256',
      '      instances: 6',
      '      unreachableStrategy: {inactiveAfterSeconds: 0, expungeAfterSeconds: 30}',
      'method:',
      '  - kill-agent: agent-1',
      '  - wait: 5s',
      '  - restart-agent: agent-1',
      'liveness:',
      '  deadline: 1m',
      '',
    ].join('\n'),
  );
});

test('a seed that is not a plain number stays text through the round trip', () => {
  for (const seed of ['007', 'chaos-1', '12345678901234567890', '0']) {
    const scenario = { ...validFixture('minimal.yaml'), seed };
    assert.equal(reparse(scenario).seed, seed);
  }
});
