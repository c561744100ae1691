import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  faultOf,
  resolveTarget,
  splitMajorityMinority,
  type FaultStep,
  type ResolveOptions,
  type TargetSpec,
} from '../../../src/chaos/scenario/index.js';
import { draws, stateOf, type StateInput } from './cluster-state.js';
import { seeded } from '../../helpers/random.js';

const input: StateInput = {
  leader: { node: 'master-1', epoch: 1 },
  agents: [
    { host: 'agent-1' },
    { host: 'agent-2' },
    { host: 'agent-3', state: 'unreachable' },
    { host: 'agent-4', state: 'paused' },
    { host: 'agent-5', state: 'down' },
  ],
  frameworks: [
    { frameworkId: 'M-0000', name: 'web' },
    { frameworkId: 'M-0001', name: 'db', state: 'disconnected' },
  ],
  tasks: [
    { taskId: 'web.1', name: 'web', frameworkId: 'M-0000', host: 'agent-2', state: 'TASK_RUNNING' },
    { taskId: 'web.2', name: 'web', frameworkId: 'M-0000', host: 'agent-3', state: 'TASK_RUNNING' },
    { taskId: 'web.3', name: 'web', frameworkId: 'M-0000', host: 'agent-1', state: 'TASK_STAGING' },
    { taskId: 'web.0', name: 'web', frameworkId: 'M-0000', host: 'agent-1', state: 'TASK_FAILED' },
    { taskId: 'db.1', name: 'db', frameworkId: 'M-0001', host: 'agent-1', state: 'TASK_RUNNING' },
  ],
};
const state = stateOf(input);

/** [what, spec, options, draw, expected ids or error code]. */
const cases: ReadonlyArray<readonly [string, TargetSpec, ResolveOptions, number, readonly string[] | string]> = [
  ['a host by name', { kind: 'id', id: 'agent-2' }, { role: 'agent' }, 0, ['agent-2']],
  ['an agent by its agent id', { kind: 'id', id: 'M-S1' }, { role: 'agent' }, 0, ['agent-2']],
  ['an unknown agent', { kind: 'id', id: 'agent-9' }, { role: 'agent' }, 0, 'UNKNOWN_TARGET'],
  ['the first running agent', { kind: 'random' }, { role: 'agent' }, 0, ['agent-1']],
  ['the last running agent (paused and down ones are not candidates)', { kind: 'one' }, { role: 'agent' }, 0.999, ['agent-3']],
  ['a paused agent to resume', { kind: 'random' }, { role: 'agent', pick: 'paused' }, 0.999, ['agent-4']],
  ['any agent to restart', { kind: 'random' }, { role: 'agent', pick: 'any' }, 0.999, ['agent-5']],
  ['an agent running web (first)', { kind: 'running', app: 'web' }, { role: 'agent' }, 0, ['agent-2']],
  ['an agent running web (last)', { kind: 'running', app: 'web' }, { role: 'agent' }, 0.999, ['agent-3']],
  ['an agent running an app with no running task', { kind: 'running', app: 'ghost' }, { role: 'agent' }, 0, 'UNKNOWN_TARGET'],
  ['the leader', { kind: 'leader' }, { role: 'master' }, 0, ['master-1']],
  ['a random master', { kind: 'random' }, { role: 'master' }, 0.999, ['master-3']],
  ['a master by node', { kind: 'id', id: 'master-2' }, { role: 'master' }, 0, ['master-2']],
  ['an active task of web (staging counts)', { kind: 'of', app: 'web' }, { role: 'task' }, 0, ['web.1']],
  ['an active task of web (last)', { kind: 'of', app: 'web' }, { role: 'task' }, 0.999, ['web.3']],
  ['any active task', { kind: 'random' }, { role: 'task' }, 0, ['db.1']],
  ['a task by id', { kind: 'id', id: 'web.0' }, { role: 'task' }, 0, ['web.0']],
  ['an unknown task', { kind: 'id', id: 'web.9' }, { role: 'task' }, 0, 'UNKNOWN_TARGET'],
  ['a framework by app name', { kind: 'id', id: 'web' }, { role: 'framework' }, 0, ['scheduler-web']],
  ['a framework by id', { kind: 'id', id: 'M-0001' }, { role: 'framework' }, 0, ['scheduler-db']],
  ['a connected framework', { kind: 'random' }, { role: 'framework' }, 0.999, ['scheduler-web']],
  ['any framework', { kind: 'random' }, { role: 'framework', pick: 'any' }, 0, ['scheduler-db']],
  ['every node', { kind: 'all' }, {}, 0, ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', 'master-1', 'master-2', 'master-3', 'scheduler-db', 'scheduler-web']],
  ['every node the runtime names', { kind: 'all' }, { nodes: ['master-1', 'coordinator', 'agent-1'] }, 0, ['agent-1', 'coordinator', 'master-1']],
  ['a list, without repeats', { kind: 'list', items: [{ kind: 'leader' }, { kind: 'id', id: 'agent-1' }, { kind: 'id', id: 'master-1' }] }, {}, 0, ['master-1', 'agent-1']],
  ['a keyword in the wrong role', { kind: 'leader' }, { role: 'agent' }, 0, 'FAULT_INVALID'],
];

for (const [what, spec, options, draw, expected] of cases) {
  test(`resolves ${what}`, () => {
    const result = resolveTarget(spec, state, draws(draw), options);
    if (typeof expected === 'string') {
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.error.code, expected);
      return;
    }
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.deepEqual(result.value, expected);
  });
}

test('the leader without one elected is an UNKNOWN_TARGET, not a crash', () => {
  const r = resolveTarget({ kind: 'leader' }, stateOf({ leader: null }), draws(0), { role: 'master' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error.message, /no leader/);
});

test('choices depend on the state and the stream, not on map insertion order', () => {
  const reversed = stateOf({ ...input, agents: [...(input.agents ?? [])].reverse(), tasks: [...(input.tasks ?? [])].reverse() });
  for (let seed = 1; seed <= 30; seed += 1) {
    for (const spec of [{ kind: 'random' }, { kind: 'running', app: 'web' }] as const) {
      const a = resolveTarget(spec, state, seeded(seed), { role: 'agent' });
      const b = resolveTarget(spec, reversed, seeded(seed), { role: 'agent' });
      assert.deepEqual(a, b);
    }
  }
});

test('the same seed picks the same target; different seeds spread over the candidates', () => {
  const picks = new Set<string>();
  for (let seed = 1; seed <= 40; seed += 1) {
    const first = resolveTarget({ kind: 'random' }, state, seeded(seed), { role: 'agent' });
    const again = resolveTarget({ kind: 'random' }, state, seeded(seed), { role: 'agent' });
    assert.deepEqual(first, again);
    if (first.ok) picks.add(first.value[0] ?? '');
  }
  assert.deepEqual([...picks].sort(), ['agent-1', 'agent-2', 'agent-3']);
});

test('minority and majority: a minority of the masters and of the agents, the rest opposite', () => {
  for (let seed = 1; seed <= 25; seed += 1) {
    const split = splitMajorityMinority(state, seeded(seed), 'any');
    assert.ok(split.ok);
    const { minority, majority, rest } = split.value;
    assert.equal(minority.filter((n) => n.startsWith('master-')).length, 1, '1 of 3 masters');
    assert.equal(minority.filter((n) => n.startsWith('agent-')).length, 2, '2 of 5 agents');
    assert.equal(majority.length, 5);
    assert.deepEqual([...minority, ...majority].sort(), ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', 'master-1', 'master-2', 'master-3']);
    assert.ok(rest.includes('scheduler-web') && !rest.some((n) => minority.includes(n)), 'schedulers stay with the majority');
  }
});

test('the leader can be placed in the minority or the majority of a split', () => {
  let leaderMovedAtLeastOnce = false;
  for (let seed = 1; seed <= 25; seed += 1) {
    const plain = splitMajorityMinority(state, seeded(seed), 'any');
    const inMinority = splitMajorityMinority(state, seeded(seed), 'minority');
    const inMajority = splitMajorityMinority(state, seeded(seed), 'majority');
    assert.ok(plain.ok && inMinority.ok && inMajority.ok);
    assert.ok(inMinority.value.minority.includes('master-1'));
    assert.equal(inMinority.value.minority.filter((n) => n.startsWith('master-')).length, 1);
    assert.ok(!inMajority.value.minority.includes('master-1'));
    if (!plain.value.minority.includes('master-1')) leaderMovedAtLeastOnce = true;
  }
  assert.ok(leaderMovedAtLeastOnce, 'without placement the leader is not always in the minority');
  const single = splitMajorityMinority(stateOf({ ...input, masters: [{ node: 'master-1' }] }), seeded(1), 'minority');
  assert.equal(single.ok, false);
});

/** [what, step, draw, expected fault or error code]. */
const faults: ReadonlyArray<readonly [string, FaultStep, number, object | string]> = [
  ['kill an agent running web', { kind: 'kill-agent', agent: { kind: 'running', app: 'web' } }, 0, { kind: 'kill-agent', node: 'agent-2' }],
  ['resume the paused agent', { kind: 'resume-agent', agent: { kind: 'random' } }, 0, { kind: 'resume-agent', node: 'agent-4' }],
  ['restart any agent', { kind: 'restart-agent', agent: { kind: 'random' } }, 0.999, { kind: 'restart-agent', node: 'agent-5' }],
  ['fail the leader over', { kind: 'failover', master: { kind: 'leader' } }, 0, { kind: 'failover', node: 'master-1' }],
  ['kill a master by node', { kind: 'kill-master', master: { kind: 'id', id: 'master-3' } }, 0, { kind: 'kill-master', node: 'master-3' }],
  ['resume a master when none is paused', { kind: 'resume-master', master: { kind: 'random' } }, 0, 'UNKNOWN_TARGET'],
  ['kill a task of web, with its framework', { kind: 'kill-task', task: { kind: 'of', app: 'web' } }, 0, { kind: 'kill-task', taskId: 'web.1', frameworkId: 'M-0000' }],
  ['crash web', { kind: 'crash-framework', framework: { kind: 'id', id: 'web' } }, 0, { kind: 'crash-framework', node: 'scheduler-web' }],
  ['heal', { kind: 'heal' }, 0, { kind: 'heal' }],
  [
    'isolate the leader, one-way',
    { kind: 'partition', partition: { kind: 'isolate', node: { kind: 'leader' } }, oneWay: true },
    0,
    {
      kind: 'partition',
      groups: [['master-1'], ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', 'master-2', 'master-3', 'scheduler-db', 'scheduler-web']],
      oneWay: true,
    },
  ],
  [
    'explicit groups',
    { kind: 'partition', partition: { kind: 'groups', groups: [{ kind: 'id', id: 'master-1' }, { kind: 'list', items: [{ kind: 'id', id: 'master-2' }, { kind: 'id', id: 'agent-1' }] }] }, oneWay: false },
    0,
    { kind: 'partition', groups: [['master-1'], ['master-2', 'agent-1']], oneWay: false },
  ],
  [
    'groups that overlap',
    { kind: 'partition', partition: { kind: 'groups', groups: [{ kind: 'leader' }, { kind: 'id', id: 'master-1' }] }, oneWay: false },
    0,
    'FAULT_INVALID',
  ],
  [
    'a link fault between every node',
    { kind: 'link', from: { kind: 'all' }, to: { kind: 'all' }, oneWay: false, spec: { loss: 0.3 } },
    0,
    { kind: 'link', from: [], to: [], oneWay: false, spec: { loss: 0.3 } },
  ],
  [
    'a link fault from an agent to the leader',
    { kind: 'link', from: { kind: 'id', id: 'agent-1' }, to: { kind: 'leader' }, oneWay: true, spec: { delayMs: 100 } },
    0,
    { kind: 'link', from: ['agent-1'], to: ['master-1'], oneWay: true, spec: { delayMs: 100 } },
  ],
  ['clog two agents', { kind: 'clog', nodes: { kind: 'list', items: [{ kind: 'id', id: 'agent-1' }, { kind: 'id', id: 'agent-2' }] } }, 0, { kind: 'clog', nodes: ['agent-1', 'agent-2'] }],
  ['swizzle-clog the masters', { kind: 'swizzle-clog', nodes: { kind: 'list', items: [{ kind: 'id', id: 'master-2' }, { kind: 'id', id: 'master-3' }] }, stepMs: 250 }, 0, { kind: 'swizzle-clog', nodes: ['master-2', 'master-3'], stepMs: 250 }],
];

for (const [what, step, draw, expected] of faults) {
  test(`faultOf: ${what}`, () => {
    const result = faultOf(step, state, draws(draw));
    if (typeof expected === 'string') {
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.error.code, expected);
      return;
    }
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.deepEqual(result.value, expected);
  });
}

test('faultOf: the runtime\'s node list puts the coordinator on the far side of an isolated leader', () => {
  const nodes = ['master-1', 'master-2', 'master-3', 'agent-1', 'coordinator', 'scheduler-web'];
  const result = faultOf({ kind: 'partition', partition: { kind: 'isolate', node: { kind: 'leader' } }, oneWay: false }, state, draws(0), { nodes });
  assert.ok(result.ok);
  assert.deepEqual(result.value, { kind: 'partition', groups: [['master-1'], ['agent-1', 'coordinator', 'master-2', 'master-3', 'scheduler-web']], oneWay: false });
});

test('faultOf: a majority-minority split with the leader in the minority', () => {
  const result = faultOf({ kind: 'partition', partition: { kind: 'majority-minority', leader: 'minority' }, oneWay: false }, state, seeded(7));
  assert.ok(result.ok);
  assert.equal(result.value.kind, 'partition');
  if (result.value.kind !== 'partition') return;
  const [minority, rest] = result.value.groups;
  assert.ok(minority?.includes('master-1'));
  assert.equal(minority?.length, 3);
  assert.ok(rest?.includes('master-2') && rest.includes('master-3') && rest.includes('scheduler-web'));
});

test('faultOf: errors carry the step location and name the fault', () => {
  const loc = { file: 'scenarios/x.yaml', line: 12, column: 5 };
  const result = faultOf({ kind: 'kill-agent', agent: { kind: 'running', app: 'ghost' } }, state, draws(0), { loc });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.code, 'UNKNOWN_TARGET');
  assert.equal(result.error.where, 'scenarios/x.yaml:12:5');
  assert.equal(result.error.message, 'kill-agent: no agent is running ghost');
});

test('faultOf draws only what it needs: a fault with fixed targets leaves the stream untouched', () => {
  let calls = 0;
  const counting = (): number => {
    calls += 1;
    return 0.5;
  };
  assert.ok(faultOf({ kind: 'kill-master', master: { kind: 'leader' } }, state, counting).ok);
  assert.ok(faultOf({ kind: 'clog', nodes: { kind: 'id', id: 'agent-1' } }, state, counting).ok);
  assert.equal(calls, 0);
  assert.ok(faultOf({ kind: 'kill-agent', agent: { kind: 'random' } }, state, counting).ok);
  assert.equal(calls, 1);
});
