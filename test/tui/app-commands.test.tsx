import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fault } from '../../src/core/faults.js';
import { KEY, renderTui, statusLine, type Harness } from './harness.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

test(': opens the command line; typed text shows; esc cancels it', async () => {
  h = await renderTui();
  await h.press(':');
  assert.match(statusLine(h), /^:_$/);
  assert.match(h.lines()[22] ?? '', /enter run {2}tab complete {2}up\/down history {2}esc cancel/);
  await h.press('hea');
  assert.match(statusLine(h), /^:hea_$/);
  await h.press(KEY.backspace);
  assert.match(statusLine(h), /^:he_$/);
  await h.press(KEY.escape);
  assert.equal(statusLine(h).trim(), '');
  assert.deepEqual(h.feed.injected, []);
});

test('keys typed in the command line are text, not shortcuts', async () => {
  h = await renderTui();
  await h.press(':kill task web.1');
  assert.equal(h.state().view, 'overview', '4 and k did not act as keys');
  assert.match(statusLine(h), /^:kill task web\.1_$/);
});

const FAULT_COMMANDS: Array<[string, Fault, RegExp]> = [
  ['kill task web.1', { kind: 'kill-task', taskId: 'web.1', frameworkId: 'm1-0000' }, /^injected: kill-task web\.1$/],
  ['kill agent agent-2', { kind: 'kill-agent', node: 'agent-2' }, /^injected: kill-agent agent-2$/],
  ['kill agent m1-S3', { kind: 'kill-agent', node: 'agent-4' }, /^injected: kill-agent agent-4$/],
  ['restart agent agent-1', { kind: 'restart-agent', node: 'agent-1' }, /^injected: restart-agent agent-1$/],
  ['pause agent agent-1', { kind: 'pause-agent', node: 'agent-1' }, /^injected: pause-agent agent-1$/],
  ['partition agent-1,agent-2 master-1,master-2,master-3', { kind: 'partition', groups: [['agent-1', 'agent-2'], ['master-1', 'master-2', 'master-3']], oneWay: false }, /^injected: partition \[agent-1,agent-2\] \| \[master-1,master-2,master-3\]$/],
  ['heal', { kind: 'heal' }, /^injected: heal$/],
  ['failover', { kind: 'failover', node: 'master-1' }, /^injected: failover master-1$/],
];
for (const [line, fault, status] of FAULT_COMMANDS) {
  test(`:${line} injects at once (typed commands are not asked again)`, async () => {
    h = await renderTui();
    await h.press(`:${line}`);
    await h.press(KEY.enter);
    assert.deepEqual(h.feed.injected, [fault]);
    assert.match(statusLine(h), status);
  });
}

const ERRORS: Array<[string, RegExp]> = [
  ['frobnicate', /^error: unknown command "frobnicate" \(try :help\)$/],
  ['kill task nope', /^error: no task "nope"$/],
  ['kill agent agent-99', /^error: no agent "agent-99" \(give an agent id or host\)$/],
  ['partition agent-1 ghost', /^error: no node "ghost"$/],
  ['kill', /^error: usage: :kill agent <id\|host>$/],
  ['speed x', /^error: usage: :speed <x> \(a number above 0\)$/],
  ['', /^error: empty command \(try :help\)$/],
];
for (const [line, message] of ERRORS) {
  test(`:${line} gives a one-line error and nothing else`, async () => {
    h = await renderTui();
    await h.press('4');
    const before = h.frame();
    await h.press(`:${line}\r`);
    assert.match(statusLine(h), message);
    assert.deepEqual(h.feed.injected, []);
    assert.equal(h.state().view, 'tasks');
    assert.equal(h.state().overlay.kind, 'none');
    // only the status line changed
    const changed = h.lines().filter((l, i) => l !== before.split('\n')[i]);
    assert.deepEqual(changed, [statusLine(h)]);
  });
}

test(':speed sets the clock speed', async () => {
  h = await renderTui();
  await h.press(':speed 10\r');
  assert.equal(h.feed.speed, 10);
  assert.match(statusLine(h), /^speed x10$/);
  assert.match(h.lines()[0] ?? '', /x10/);
});

test(':write saves a scenario file; w uses a default name; errors show', async () => {
  h = await renderTui();
  await h.press(':heal\r');
  await h.press(':write chaos/session.yaml\r');
  assert.deepEqual(h.feed.written, ['chaos/session.yaml']);
  assert.match(statusLine(h), /^wrote 1 faults to chaos\/session\.yaml$/);
  await h.press('w');
  assert.deepEqual(h.feed.written, ['chaos/session.yaml', 'faultline-session-42.yaml']);
  await h.press(':write /nonexistent/x.yaml\r');
  assert.match(statusLine(h), /^error: cannot write \/nonexistent\/x\.yaml: no such directory$/);
});

test(':help opens the help', async () => {
  h = await renderTui();
  await h.press(':help\r');
  assert.match(h.frame(), /Help \(\? or esc closes/);
});

test(':q quits with 0', async () => {
  h = await renderTui();
  await h.press(':q\r');
  assert.deepEqual(h.quits, [0]);
});
