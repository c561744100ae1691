import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderTui, settle, type Harness } from './harness.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const VIEW_KEYS: Array<[string, RegExp, RegExp]> = [
  ['1', /\[1 Overview\]/, /Leader\s+master-1 epoch 1/],
  ['2', /\[2 Agents\]/, /ID\s+HOST\s+STATE\s+ACTUAL\s+CPUS\s+MEM\s+TASKS/],
  ['3', /\[3 Frameworks\]/, /ID\s+NAME\s+STATE\s+AWARE\s+TASKS\s+CPUS\s+MEM/],
  ['4', /\[4 Tasks\]/, /ID\s+NAME\s+FRAMEWORK\s+AGENT\s+STATE\s+REASON\s+AGE/],
  ['5', /\[5 Offers\]/, /ID\s+FRAMEWORK\s+AGENT\s+CPUS\s+MEM\s+AGE/],
  ['6', /\[6 Events\]/, /SEQ\s+TIME\s+!\s+TYPE\s+DETAIL/],
  ['7', /\[7 Masters\]/, /NODE\s+STATE\s+MASTER ID\s+EPOCH\s+ELECTED/],
];

for (const [key, tab, body] of VIEW_KEYS) {
  test(`key ${key} opens its view`, async () => {
    h = await renderTui();
    await h.press(key === '1' ? '2' : '1');
    await h.press(key);
    assert.match(h.frame(), tab);
    assert.match(h.frame(), body);
  });
}

test('the first frame is the overview with seed, leader and the key-hint line', async () => {
  h = await renderTui();
  const lines = h.lines();
  assert.equal(lines.length, 23, '24 rows: draw 23 lines');
  assert.match(lines[0] ?? '', /^faultline {2}seed 42 fast {2}leader master-1 e1/);
  assert.match(lines[1] ?? '', /\[1 Overview\]/);
  assert.match(lines[22] ?? '', /^\? help .*q quit/);
});

test('agents view: id, host, state, cpus and mem used/total, tasks', async () => {
  h = await renderTui();
  await h.press('2');
  assert.match(h.frame(), /> m1-S0\s+agent-1\s+registered\s+up\s+1\.5\/4\s+768\/8192\s+3/);
});

test('tasks view: id, name, framework, agent, state, reason, age', async () => {
  h = await renderTui();
  h.feed.setTaskState('web.2', 'TASK_UNREACHABLE', 'REASON_AGENT_REMOVED');
  await h.press('4');
  assert.match(h.frame(), /web\.2\s+web\s+web\s+agent-3\s+UNREACHABLE\s+AGENT_REMOVED\s+\d+s/);
});

test('offers, frameworks and masters show their rows', async () => {
  h = await renderTui();
  await h.press('5');
  assert.match(h.frame(), /m1-O1\s+api\s+agent-1\s+1\s+512\s+10s/);
  await h.press('3');
  assert.match(h.frame(), /m1-0000\s+web\s+active\s+yes\s+6/);
  assert.match(h.frame(), /m1-0001\s+api\s+active\s+no\s+3/);
  await h.press('7');
  assert.match(h.frame(), /master-1\s+leading\s+m1\s+1\s+00:00/);
  assert.match(h.frame(), /master-2\s+standby\s+-\s+-\s+-/);
});

test('events are newest first and W toggles warnings only', async () => {
  h = await renderTui();
  h.feed.setTaskState('web.1', 'TASK_LOST', 'REASON_AGENT_REMOVED');
  h.feed.emit({ type: 'scheduler.note', frameworkId: null, node: 'scheduler-web', app: 'web', note: 'scaling' });
  await h.press('6');
  const rows = h.lines().filter((l) => /^[> ] +\d+ /.test(l));
  assert.match(rows[0] ?? '', /scheduler\.note\s+web: scaling/);
  assert.match(rows[1] ?? '', /!\s+task\.updated\s+web\.1 LOST AGENT_REMOVED/);
  await h.press('W');
  assert.match(h.frame(), /warnings only/);
  assert.doesNotMatch(h.frame(), /scheduler\.note/);
  assert.match(h.frame(), /task\.updated\s+web\.1 LOST/);
  await h.press('W');
  assert.match(h.frame(), /scheduler\.note/);
});

test('tab cycles forward and shift-tab back', async () => {
  h = await renderTui();
  await h.press(KEY.tab);
  assert.match(h.frame(), /\[2 Agents\]/);
  await h.press(KEY.tab);
  assert.match(h.frame(), /\[3 Frameworks\]/);
  await h.press(KEY.shiftTab);
  await h.press(KEY.shiftTab);
  await h.press(KEY.shiftTab);
  assert.match(h.frame(), /\[7 Masters\]/);
});

test('? shows help generated from the keymap and the commands; ? again closes it', async () => {
  h = await renderTui({ size: { columns: 80, rows: 60 } });
  await h.press('?');
  const text = h.frame();
  assert.match(text, /Help/);
  assert.match(text, /x {10}kill the selected task/);
  assert.match(text, /W {10}Events: warnings only \/ all/);
  assert.match(text, /:kill task <id>/);
  await h.press('?');
  assert.doesNotMatch(h.frame(), /Help/);
});

test('help scrolls with j on a small screen and esc closes it', async () => {
  h = await renderTui({ size: { columns: 80, rows: 15 } });
  await h.press('?');
  assert.match(h.frame(), /^Views$/m);
  await h.press('jjjjjjjjjjjj');
  assert.doesNotMatch(h.frame(), /^Views$/m);
  await h.press(KEY.escape);
  assert.doesNotMatch(h.frame(), /Help/);
});

test('enter on a task describes it: status history with reasons', async () => {
  h = await renderTui();
  h.feed.setTaskState('web.0', 'TASK_UNREACHABLE', 'REASON_AGENT_REMOVED');
  h.feed.setTaskState('web.0', 'TASK_RUNNING', 'REASON_AGENT_REREGISTERED');
  await h.press('4');
  await h.press('/web.0');
  await h.press(KEY.enter);
  await h.press(KEY.enter);
  const text = h.frame();
  assert.match(text, /Task web\.0 \(enter or esc closes\)/);
  assert.match(text, /Status history \(5\)/);
  assert.match(text, /STAGING\s+-/);
  assert.match(text, /UNREACHABLE\s+AGENT_REMOVED/);
  assert.match(text, /RUNNING\s+AGENT_REREGISTERED/);
  await h.press(KEY.enter);
  assert.doesNotMatch(h.frame(), /Status history/);
});

test('enter on an agent describes it: resources and its tasks', async () => {
  h = await renderTui();
  await h.press('2');
  await h.press('j');
  await h.press(KEY.enter);
  const text = h.frame();
  assert.match(text, /Agent agent-2 \(m1-S1\)/);
  assert.match(text, /total\s+cpus 4 mem 8192/);
  assert.match(text, /used\s+cpus 1 mem 512/);
  assert.match(text, /Tasks \(2: 2 active\)/);
  assert.match(text, /web\.1\s+RUNNING/);
  await h.press(KEY.escape);
  assert.match(h.frame(), /\[2 Agents\]/);
  assert.doesNotMatch(h.frame(), /Tasks \(2\)/);
});

test('enter describes frameworks, offers, events and masters too', async () => {
  h = await renderTui();
  for (const [view, title] of [['3', /Framework web \(m1-0000\)/], ['5', /Offer m1-O1/], ['7', /Master master-1/], ['6', /Event \d+/]] as const) {
    await h.press(view);
    await h.press(KEY.enter);
    assert.match(h.frame(), title);
    await h.press(KEY.escape);
  }
});

test('the describe pane follows live changes', async () => {
  h = await renderTui();
  await h.press('4');
  await h.press(KEY.enter);
  assert.match(h.frame(), /state\s+RUNNING/);
  h.feed.setTaskState('api.0', 'TASK_FAILED');
  await settle();
  assert.match(h.frame(), /state\s+FAILED/);
});

test('agents show the master’s view, with the simulation’s truth beside it', async () => {
  h = await renderTui({ size: { columns: 120, rows: 30 } });
  // Killed a moment ago: the master still has it registered; the simulation knows it is down.
  h.feed.patchAgent('agent-2', { state: 'down', registry: 'registered', condition: 'down' });
  await settle();
  assert.match(h.frame(), /Agents\s+4: 4 registered \(actually: 1 down\)/);
  await h.press('2');
  assert.match(h.frame(), /m1-S1\s+agent-2\s+registered\s+down\s/);
  h.feed.patchAgent('agent-2', { state: 'unreachable', registry: 'unreachable', condition: 'down' });
  await settle();
  assert.match(h.frame(), /m1-S1\s+agent-2\s+unreachable\s+down\s/);
});
