import { test } from 'node:test';
import assert from 'node:assert/strict';
import { faultOfCommand, parseCommand, type Command } from '../../src/tui/commands.js';
import { FakeFeed } from './fake-feed.js';

const parsed: Array<[string, Command]> = [
  ['kill task web.1', { kind: 'kill-task', taskId: 'web.1' }],
  ['  kill   agent   agent-2 ', { kind: 'node', action: 'kill', role: 'agent', target: 'agent-2' }],
  ['restart agent m1-S1', { kind: 'node', action: 'restart', role: 'agent', target: 'm1-S1' }],
  ['pause agent agent-3', { kind: 'node', action: 'pause', role: 'agent', target: 'agent-3' }],
  ['resume master master-2', { kind: 'node', action: 'resume', role: 'master', target: 'master-2' }],
  ['isolate agent-1', { kind: 'isolate', target: 'agent-1' }],
  ['partition agent-1,agent-2 master-1,master-2', { kind: 'partition', groups: [['agent-1', 'agent-2'], ['master-1', 'master-2']] }],
  ['heal', { kind: 'heal' }],
  ['failover', { kind: 'failover' }],
  ['run scenarios/agent-loss.yaml', { kind: 'run', path: 'scenarios/agent-loss.yaml' }],
  ['speed 10', { kind: 'speed', speed: 10 }],
  ['speed 0.5', { kind: 'speed', speed: 0.5 }],
  ['write out.yaml', { kind: 'write', path: 'out.yaml' }],
  ['write', { kind: 'write', path: null }],
  ['q', { kind: 'quit' }],
  ['quit', { kind: 'quit' }],
  ['help', { kind: 'help' }],
];
for (const [line, command] of parsed) {
  test(`parses ":${line.trim()}"`, () => {
    const r = parseCommand(line);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(r.value, command);
  });
}

const refused: Array<[string, RegExp]> = [
  ['', /empty command/],
  ['explode', /unknown command "explode"/],
  ['kill', /usage: :kill agent/],
  ['kill task', /usage: :kill task <id>/],
  ['kill task a b', /usage: :kill task <id>/],
  ['kill framework x', /usage: :kill agent/],
  ['partition agent-1', /usage: :partition/],
  ['partition agent-1, ,', /usage: :partition/],
  ['speed fast', /usage: :speed/],
  ['speed 0', /usage: :speed/],
  ['speed -2', /usage: :speed/],
  ['run', /usage: :run/],
  ['heal now', /usage: :heal/],
  ['write a b', /usage: :write/],
];
for (const [line, message] of refused) {
  test(`refuses ":${line}" with one line`, () => {
    const r = parseCommand(line);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, 'USAGE');
    assert.match(r.error.message, message);
    assert.doesNotMatch(r.error.message, /\n/);
  });
}

function faultOf(line: string) {
  const command = parseCommand(line);
  assert.ok(command.ok);
  return faultOfCommand(command.value, new FakeFeed().snapshot());
}

test('fault commands resolve names against the snapshot', () => {
  assert.deepEqual(faultOf('kill task web.1'), { ok: true, value: { kind: 'kill-task', taskId: 'web.1', frameworkId: 'm1-0000' } });
  // an agent by host or by agent id gives the host's node
  assert.deepEqual(faultOf('kill agent agent-2'), { ok: true, value: { kind: 'kill-agent', node: 'agent-2' } });
  assert.deepEqual(faultOf('kill agent m1-S2'), { ok: true, value: { kind: 'kill-agent', node: 'agent-3' } });
  assert.deepEqual(faultOf('pause agent agent-1'), { ok: true, value: { kind: 'pause-agent', node: 'agent-1' } });
  assert.deepEqual(faultOf('restart master master-2'), { ok: true, value: { kind: 'restart-master', node: 'master-2' } });
  assert.deepEqual(faultOf('partition agent-1,m1-S1 master-1'), { ok: true, value: { kind: 'partition', groups: [['agent-1', 'agent-2'], ['master-1']], oneWay: false } });
  assert.deepEqual(faultOf('heal'), { ok: true, value: { kind: 'heal' } });
  assert.deepEqual(faultOf('failover'), { ok: true, value: { kind: 'failover', node: 'master-1' } });
  assert.equal(faultOf('speed 2'), null);
  assert.equal(faultOf('q'), null);
});

test('isolate cuts one node from every other known node', () => {
  const r = faultOf('isolate agent-2');
  assert.ok(r?.ok);
  assert.equal(r.value.kind, 'partition');
  if (r.value.kind !== 'partition') return;
  assert.deepEqual(r.value.groups[0], ['agent-2']);
  const others = r.value.groups[1] ?? [];
  for (const n of ['master-1', 'master-2', 'master-3', 'agent-1', 'agent-3', 'agent-4', 'scheduler-web', 'scheduler-api']) assert.ok(others.includes(n), n);
  assert.ok(!others.includes('agent-2'));
  assert.ok(!others.includes('coordinator'), 'an agent does not talk to the coordinator');
  const master = faultOf('isolate master-1');
  assert.ok(master?.ok && master.value.kind === 'partition' && master.value.groups[1]?.includes('coordinator'), 'a master is cut from the coordinator too');
});

const badTargets: Array<[string, RegExp]> = [
  ['kill task nope', /no task "nope"/],
  ['kill agent agent-99', /no agent "agent-99"/],
  ['restart master master-9', /no master "master-9"/],
  ['partition agent-1 ghost', /no node "ghost"/],
  ['isolate ghost', /no node "ghost"/],
];
for (const [line, message] of badTargets) {
  test(`bad id in ":${line}" is a one-line UNKNOWN_TARGET`, () => {
    const r = faultOf(line);
    assert.ok(r !== null && !r.ok);
    if (r === null || r.ok) return;
    assert.equal(r.error.code, 'UNKNOWN_TARGET');
    assert.match(r.error.message, message);
  });
}

test('a node in two partition groups is refused', () => {
  const r = faultOf('partition agent-1,agent-2 m1-S1,master-1');
  assert.ok(r !== null && !r.ok);
  if (r !== null && !r.ok) {
    assert.equal(r.error.code, 'FAULT_INVALID');
    assert.match(r.error.message, /agent-2 is in two groups/);
  }
});

test('a task that already ended cannot be killed', () => {
  const feed = new FakeFeed();
  feed.setTaskState('web.1', 'TASK_FINISHED');
  const command = parseCommand('kill task web.1');
  assert.ok(command.ok);
  const r = faultOfCommand(command.value, feed.snapshot());
  assert.ok(r !== null && !r.ok);
  if (r !== null && !r.ok) assert.match(r.error.message, /already FINISHED/);
});
