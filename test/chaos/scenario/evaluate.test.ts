import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, parseCondition, type AppNames } from '../../../src/chaos/scenario/index.js';
import { stateOf } from './cluster-state.js';

// web: 3 running on agent-1/agent-2, 1 staging; db: 1 running, 1 unreachable; agent-3 unreachable.
const state = stateOf({
  leader: { node: 'master-2', epoch: 3 },
  masters: [{ node: 'master-1', state: 'down' }, { node: 'master-2' }, { node: 'master-3' }],
  agents: [{ host: 'agent-1' }, { host: 'agent-2' }, { host: 'agent-3', state: 'unreachable' }],
  frameworks: [
    { frameworkId: 'M-0000', name: 'web' },
    { frameworkId: 'M-0001', name: 'db', state: 'disconnected' },
    { frameworkId: 'M-0002', name: 'old', state: 'removed' },
  ],
  tasks: [
    { taskId: 'web.1', name: 'web', frameworkId: 'M-0000', host: 'agent-1', state: 'TASK_RUNNING' },
    { taskId: 'web.2', name: 'web', frameworkId: 'M-0000', host: 'agent-2', state: 'TASK_RUNNING' },
    { taskId: 'web.3', name: 'web', frameworkId: 'M-0000', host: 'agent-2', state: 'TASK_RUNNING' },
    { taskId: 'web.4', name: 'web', frameworkId: 'M-0000', host: 'agent-1', state: 'TASK_STAGING' },
    { taskId: 'db.1', name: 'db', frameworkId: 'M-0001', host: 'agent-1', state: 'TASK_RUNNING' },
    { taskId: 'db.2', name: 'db', frameworkId: 'M-0001', host: 'agent-3', state: 'TASK_UNREACHABLE' },
    { taskId: 'web.0', name: 'web', frameworkId: 'M-0000', host: 'agent-3', state: 'TASK_KILLED' },
  ],
  offers: 2,
});

/** The runner's mapping: service name -> framework id (here, db's framework is unknown to the runner). */
const names: AppNames = { frameworkIdOfService: (name) => (name === 'web' ? 'M-0000' : undefined) };

const cases: ReadonlyArray<readonly [string, boolean, string]> = [
  ['service web running == 3', true, '3'],
  ['service web running == 4', false, '3'],
  ['service web running >= 2', true, '3'],
  ['service web staging == 1', true, '1'],
  ['service db running == 1', true, '1'], // found by framework name when `names` does not know it
  ['service db unreachable > 0', true, '1'],
  ['service ghost running == 0', true, '0 (no framework for ghost yet)'],
  ['service ghost running == 1', false, '0 (no framework for ghost yet)'],
  ['tasks TASK_RUNNING == 4', true, '4'],
  ['tasks killed == 1', true, '1'],
  ['agents unreachable == 0', false, '1'],
  ['agents registered == 2', true, '2'],
  ['masters down == 1', true, '1'],
  ['masters standby == 1', true, '1'],
  ['masters leading == 1', true, '1'],
  ['offers >= 2', true, '2'],
  ['offers < 2', false, '2'],
  ['leader elected', true, 'leader master-2 (epoch 3)'],
  ['no leader', false, 'leader master-2 (epoch 3)'],
  ['leader epoch >= 2', true, '3'],
  ['leader epoch > 3', false, '3'],
  ['task web.0 state == TASK_KILLED', true, 'TASK_KILLED'],
  ['task web.1 state == TASK_KILLED', false, 'TASK_RUNNING'],
  ['task web.1 state != TASK_KILLED', true, 'TASK_RUNNING'],
  ['task web.99 state == TASK_KILLED', false, 'no task web.99'],
  ['framework web connected', true, 'connected'],
  ['framework db connected', false, 'disconnected'],
  ['framework db disconnected', true, 'disconnected'],
  ['framework old removed', true, 'removed'],
  ['framework M-0000 connected', true, 'connected'],
  ['framework scheduler-web connected', true, 'connected'],
  ['framework ghost connected', false, 'no framework ghost'],
  ['leader elected and service web running == 3', true, 'leader master-2 (epoch 3); 3'],
  ['leader elected and agents unreachable == 0', false, 'leader master-2 (epoch 3); 1'],
];

for (const [text, holds, actual] of cases) {
  test(`"${text}" ${holds ? 'holds' : 'does not hold'} (actual ${actual})`, () => {
    const parsed = parseCondition(text);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
    assert.deepEqual(evaluate(parsed.condition, state, names), { holds, actual });
  });
}

test('without a leader, leader conditions answer from the empty seat', () => {
  const leaderless = stateOf({ leader: null });
  const check = (text: string) => {
    const parsed = parseCondition(text);
    assert.ok(parsed.ok);
    return evaluate(parsed.condition, leaderless, names);
  };
  assert.deepEqual(check('no leader'), { holds: true, actual: 'no leader' });
  assert.deepEqual(check('leader elected'), { holds: false, actual: 'no leader' });
  assert.deepEqual(check('leader epoch >= 0'), { holds: false, actual: 'no leader' });
});

test('evaluation is pure: the state is not changed and repeats give the same answer', () => {
  const parsed = parseCondition('service web running == 3 and framework db disconnected');
  assert.ok(parsed.ok);
  const before = JSON.stringify([...state.tasks.values(), ...state.frameworks.values()]);
  const first = evaluate(parsed.condition, state, names);
  const second = evaluate(parsed.condition, state, names);
  assert.deepEqual(first, second);
  assert.equal(JSON.stringify([...state.tasks.values(), ...state.frameworks.values()]), before);
});
