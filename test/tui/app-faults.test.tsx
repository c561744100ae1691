import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fault } from '../../src/core/faults.js';
import { KEY, renderTui, statusLine, type Harness } from './harness.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

async function selectTask(harness: Harness, taskId: string): Promise<void> {
  await harness.press('4');
  for (let i = 0; i < 20 && !harness.lines().some((l) => l.startsWith(`> ${taskId} `)); i += 1) await harness.press('j');
  assert.ok(harness.lines().some((l) => l.startsWith(`> ${taskId} `)), `${taskId} selected`);
}

test('kill-task flow: select a running task, x, y: the feed gets the fault, the task is KILLED, a replacement runs', async () => {
  h = await renderTui();
  await selectTask(h, 'web.2');
  await h.press('x');
  assert.match(statusLine(h), /^kill task web\.2 on agent-3\? \[y\/n\]$/);
  assert.deepEqual(h.feed.injected, [], 'nothing happens before y');
  await h.press('y');
  assert.deepEqual(h.feed.injected, [{ kind: 'kill-task', taskId: 'web.2', frameworkId: 'm1-0000' }]);
  assert.match(statusLine(h), /^injected: kill-task web\.2$/);
  assert.doesNotMatch(h.frame(), /^[> ] web\.2\s+web/m, 'completed: off the active list');
  assert.match(h.frame(), /web\.6\s+web\s+web\s+\S+\s+RUNNING/, 'the service launched a replacement');
  await h.press('c');
  assert.match(h.frame(), /web\.2\s+web\s+web\s+agent-3\s+KILLED/, 'c shows the completed tasks too');
  await h.press('6');
  assert.match(h.frame(), /!\s+fault\.injected\s+kill-task web\.2/);
  await h.press('1');
  assert.match(h.frame(), /Last faults\n\s+01:00\s+kill-task web\.2/);
});

test('n refuses a fault: nothing is injected and the status says so', async () => {
  h = await renderTui();
  await selectTask(h, 'api.1');
  await h.press('x');
  await h.press('n');
  assert.deepEqual(h.feed.injected, []);
  assert.match(statusLine(h), /^cancelled$/);
  assert.match(h.frame(), /api\.1\s+api\s+api\s+\S+\s+RUNNING/);
});

test('esc (or any other key) also refuses', async () => {
  h = await renderTui();
  await selectTask(h, 'api.1');
  await h.press('x');
  await h.press(KEY.escape);
  assert.match(statusLine(h), /^cancelled$/);
  await h.press('x');
  await h.press('j');
  assert.match(statusLine(h), /^cancelled$/);
  assert.match(h.frame(), /> api\.1 /, 'the refusing key did not move the cursor');
  assert.deepEqual(h.feed.injected, []);
});

test('"xy" typed fast in one input string still asks, then confirms', async () => {
  h = await renderTui();
  await selectTask(h, 'api.0');
  await h.press('xy');
  assert.deepEqual(h.feed.injected, [{ kind: 'kill-task', taskId: 'api.0', frameworkId: 'm1-0001' }]);
});

test('x outside the Tasks view, or on a finished task, is a one-line error', async () => {
  h = await renderTui();
  await h.press('2');
  await h.press('x');
  assert.match(statusLine(h), /^error: select a task first: open Tasks \(4\)$/);
  h.feed.setTaskState('api.0', 'TASK_FINISHED');
  await h.press('4');
  await h.press('c');
  await h.press('x');
  assert.match(statusLine(h), /^error: task api\.0 is already FINISHED$/);
  assert.deepEqual(h.feed.injected, []);
});

test('x from a task describe pane kills that task', async () => {
  h = await renderTui();
  await selectTask(h, 'web.0');
  await h.press(KEY.enter);
  await h.press('xy');
  assert.deepEqual(h.feed.injected, [{ kind: 'kill-task', taskId: 'web.0', frameworkId: 'm1-0000' }]);
});

const AGENT_KEYS: Array<[string, RegExp, Fault]> = [
  ['K', /^kill agent agent-2 \(m1-S1, 2 tasks\)\? \[y\/n\]$/, { kind: 'kill-agent', node: 'agent-2' }],
  ['R', /^restart agent agent-2 \(m1-S1, 2 tasks\)\? \[y\/n\]$/, { kind: 'restart-agent', node: 'agent-2' }],
  ['p', /^pause agent agent-2 \(m1-S1, 2 tasks\)\? \[y\/n\]$/, { kind: 'pause-agent', node: 'agent-2' }],
];
for (const [key, prompt, fault] of AGENT_KEYS) {
  test(`${key} on the selected agent asks, then injects ${fault.kind}`, async () => {
    h = await renderTui();
    await h.press('2');
    await h.press('j');
    await h.press(key);
    assert.match(statusLine(h), prompt);
    await h.press('y');
    assert.deepEqual(h.feed.injected, [fault]);
    assert.match(statusLine(h), new RegExp(`^injected: ${fault.kind} agent-2$`));
  });
}

test('K kills the agent: its tasks go LOST in the Tasks view', async () => {
  h = await renderTui();
  await h.press('2');
  await h.press('K');
  await h.press('y');
  assert.match(h.frame(), /> m1-S0\s+agent-1\s+unreachable/);
  await h.press('4');
  assert.match(h.frame(), /web\.0\s+web\s+web\s+agent-1\s+LOST\s+AGENT_REMOVED/);
});

test('p on a paused agent resumes it', async () => {
  h = await renderTui();
  await h.press('2');
  await h.pressEach('p', 'y');
  assert.match(h.frame(), /> m1-S0\s+agent-1\s+registered\s+paused/);
  await h.press('p');
  assert.match(statusLine(h), /^resume agent agent-1/);
  await h.press('y');
  assert.deepEqual(h.feed.injected.map((f) => f.kind), ['pause-agent', 'resume-agent']);
});

test('i isolates the selected agent: partition [agent] vs everything else', async () => {
  h = await renderTui();
  await h.press('2');
  await h.press('jj');
  await h.press('i');
  assert.match(statusLine(h), /^isolate agent agent-3 /);
  await h.press('y');
  const fault = h.feed.injected[0];
  assert.ok(fault?.kind === 'partition');
  assert.deepEqual(fault.groups[0], ['agent-3']);
  assert.deepEqual([...(fault.groups[1] ?? [])].sort(), ['agent-1', 'agent-2', 'agent-4', 'master-1', 'master-2', 'master-3', 'scheduler-api', 'scheduler-web']);
  assert.equal(fault.oneWay, false);
  assert.match(statusLine(h), /^injected: partition \[agent-3\] \| \[/);
});

test('h heals every partition and F fails over the leader (after y)', async () => {
  h = await renderTui();
  await h.press('h');
  assert.match(statusLine(h), /^heal every partition\? \[y\/n\]$/);
  await h.press('y');
  await h.press('F');
  assert.match(statusLine(h), /^fail over the leading master master-1\? \[y\/n\]$/);
  await h.press('y');
  assert.deepEqual(h.feed.injected, [{ kind: 'heal' }, { kind: 'failover', node: 'master-1' }]);
  assert.match(h.lines()[0] ?? '', /leader master-2 e2/);
});

test('K R p i on the Masters view act on the selected master', async () => {
  h = await renderTui();
  await h.press('7');
  await h.press('j');
  await h.pressEach('K', 'y', 'R', 'y', 'p', 'y', 'i', 'y');
  const kinds = h.feed.injected.map((f) => f.kind);
  assert.deepEqual(kinds, ['kill-master', 'restart-master', 'pause-master', 'partition']);
  assert.deepEqual(h.feed.injected[0], { kind: 'kill-master', node: 'master-2' });
  const partition = h.feed.injected[3];
  assert.ok(partition?.kind === 'partition' && partition.groups[1]?.includes('coordinator'));
});

test('K outside Agents and Masters is a one-line error', async () => {
  h = await renderTui();
  await h.press('K');
  assert.match(statusLine(h), /^error: select an agent first/);
  assert.deepEqual(h.feed.injected, []);
});

test('--readonly: fault keys say they are off and inject nothing; hints hide them', async () => {
  h = await renderTui({ readonly: true });
  assert.match(h.lines()[0] ?? '', /READONLY/);
  await h.press('4');
  assert.doesNotMatch(h.lines()[22] ?? '', /x kill/);
  for (const key of ['x', 'K', 'R', 'p', 'i', 'h', 'F']) {
    await h.press(key);
    assert.match(statusLine(h), /^error: read-only: .* is off \(--readonly\)$/, key);
    assert.equal(h.state().confirm, null, `${key} asks nothing`);
  }
  await h.press(':kill task web.1\r');
  assert.match(statusLine(h), /^error: read-only: :kill-task injects a fault/);
  await h.press(':heal\r');
  assert.match(statusLine(h), /^error: read-only/);
  await h.press(':run s.yaml\r');
  assert.match(statusLine(h), /^error: read-only: :run/);
  assert.deepEqual(h.feed.injected, []);
  assert.deepEqual(h.feed.runsStarted, []);
  await h.press('w');
  assert.match(statusLine(h), /^wrote 0 faults to faultline-session-42\.yaml$/, 'writing is not a fault');
});

test('a fault the feed refuses shows its error', async () => {
  h = await renderTui();
  const original = h.feed.inject.bind(h.feed);
  h.feed.inject = (fault) => (fault.kind === 'heal' ? { ok: false, error: { code: 'FAULT_INVALID', message: 'nothing to heal here' } } : original(fault));
  await h.pressEach('h', 'y');
  assert.match(statusLine(h), /^error: nothing to heal here$/);
});
