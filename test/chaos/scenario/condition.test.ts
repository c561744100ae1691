import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCondition, parseCondition, type Condition } from '../../../src/chaos/scenario/index.js';

const parses: ReadonlyArray<readonly [string, Condition]> = [
  ['service web running == 10', { kind: 'app-tasks', app: 'web', state: 'TASK_RUNNING', op: '==', value: 10 }],
  ['service web running >= 8', { kind: 'app-tasks', app: 'web', state: 'TASK_RUNNING', op: '>=', value: 8 }],
  ['service web TASK_STAGING < 1', { kind: 'app-tasks', app: 'web', state: 'TASK_STAGING', op: '<', value: 1 }],
  ['job etl finished == 10', { kind: 'app-tasks', app: 'etl', state: 'TASK_FINISHED', op: '==', value: 10 }],
  ['app web gone_by_operator != 0', { kind: 'app-tasks', app: 'web', state: 'TASK_GONE_BY_OPERATOR', op: '!=', value: 0 }],
  ['agents unreachable == 0', { kind: 'agents', state: 'unreachable', op: '==', value: 0 }],
  ['agents registered == 8', { kind: 'agents', state: 'registered', op: '==', value: 8 }],
  ['tasks TASK_RUNNING >= 20', { kind: 'tasks', state: 'TASK_RUNNING', op: '>=', value: 20 }],
  ['tasks lost <= 3', { kind: 'tasks', state: 'TASK_LOST', op: '<=', value: 3 }],
  ['masters down == 0', { kind: 'masters', state: 'down', op: '==', value: 0 }],
  ['offers > 0', { kind: 'offers', op: '>', value: 0 }],
  ['leader elected', { kind: 'leader-elected' }],
  ['no leader', { kind: 'no-leader' }],
  ['leader epoch >= 2', { kind: 'leader-epoch', op: '>=', value: 2 }],
  ['task web.3 state == TASK_KILLED', { kind: 'task-state', taskId: 'web.3', op: '==', state: 'TASK_KILLED' }],
  ['task web.3 state != killed', { kind: 'task-state', taskId: 'web.3', op: '!=', state: 'TASK_KILLED' }],
  ['framework web connected', { kind: 'framework', app: 'web', state: 'connected' }],
  ['framework web removed', { kind: 'framework', app: 'web', state: 'removed' }],
  ['  service   web running==3  ', { kind: 'app-tasks', app: 'web', state: 'TASK_RUNNING', op: '==', value: 3 }],
  [
    'leader elected and agents unreachable == 0 and service web running == 3',
    {
      kind: 'and',
      conditions: [
        { kind: 'leader-elected' },
        { kind: 'agents', state: 'unreachable', op: '==', value: 0 },
        { kind: 'app-tasks', app: 'web', state: 'TASK_RUNNING', op: '==', value: 3 },
      ],
    },
  ],
];

for (const [text, expected] of parses) {
  test(`parses "${text}"`, () => {
    const parsed = parseCondition(text);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
    assert.deepEqual(parsed.condition, expected);
  });
  test(`formats "${text}" canonically and reads it back`, () => {
    const canonical = formatCondition(expected);
    const again = parseCondition(canonical);
    assert.ok(again.ok);
    assert.deepEqual(again.condition, expected);
    assert.equal(formatCondition(again.condition), canonical);
  });
}

/** [text, the word the error points at (its first occurrence), a piece of the message]. */
const errors: ReadonlyArray<readonly [string, string, string]> = [
  ['', '', 'empty condition'],
  ['servce web running == 3', 'servce', 'unknown condition "servce", did you mean "service"?'],
  ['service web runing == 3', 'runing', 'unknown task state "runing", did you mean "running"?'],
  ['service web running = 3', '=', 'expected a comparison (== != >= <= > <), got "=", did you mean "=="?'],
  ['service web running == ten', 'ten', 'expected a whole number, got "ten"'],
  ['service web running == -1', '-1', 'expected a whole number'],
  ['service web running ==', '', 'expected a whole number'],
  ['service web running', '', 'expected a comparison'],
  ['agents unreachabel == 0', 'unreachabel', 'did you mean "unreachable"?'],
  ['leader electd', 'electd', 'did you mean "elected"?'],
  ['no leaders', 'leaders', 'expected "leader"'],
  ['task web.1 state >= TASK_RUNNING', '>=', 'a task state compares with == or !='],
  ['task web.1 status == TASK_RUNNING', 'status', 'expected "state"'],
  ['framework web online', 'online', 'expected a framework state (connected, disconnected, removed)'],
  ['leader elected or no leader', 'or', 'expected "and" or the end of the condition, got "or"'],
  ['leader elected and', '', 'expected a condition'],
  ['masters leader == 1', 'leader', 'expected a master state (leading, standby, down, paused), got "leader"'],
];

for (const [text, word, says] of errors) {
  test(`rejects "${text}" at the column of "${word}"`, () => {
    const parsed = parseCondition(text);
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.ok(parsed.message.includes(says), parsed.message);
    const expectedOffset = word === '' ? text.trimEnd().length : text.indexOf(word);
    assert.equal(parsed.offset, expectedOffset);
  });
}

test('with the file\'s apps, an unknown app is named at its column with a suggestion', () => {
  const apps = new Set(['web', 'db']);
  const parsed = parseCondition('agents registered == 3 and service wbe running == 2', { apps });
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  assert.equal(parsed.offset, 35);
  assert.match(parsed.message, /unknown app "wbe", did you mean "web"\?/);
  assert.ok(parseCondition('service db running == 2', { apps }).ok);
  assert.ok(parseCondition('framework 5e4a3b2c-0001 connected', { apps }).ok, 'a framework id passes without an app of that name');
});
