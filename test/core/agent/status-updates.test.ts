import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStatusUpdateManager, type NewTaskStatus, type StatusUpdateManager } from '../../../src/core/agent/status-updates.js';
import type { StatusUpdate, TaskStatus } from '../../../src/core/messages.js';
import type { TaskState } from '../../../src/core/task-state.js';
import { MESOS_TIMING } from '../../../src/core/timing.js';
import { FakeContext } from '../../helpers/fake-context.js';

/** The manager alone, with a clock: forwarded updates are recorded with their time. */
function makeManager(streams = new Map<string, TaskStatus[]>()) {
  const ctx = new FakeContext('agent-1', 3);
  const forwarded: Array<{ atMs: number; update: StatusUpdate }> = [];
  const manager: StatusUpdateManager = createStatusUpdateManager({
    ctx,
    timing: MESOS_TIMING,
    streams,
    forward: (update) => forwarded.push({ atMs: ctx.now(), update }),
  });
  ctx.actor = { start() {}, receive() {}, timer: (key) => void manager.timer(key) };
  return { ctx, manager, forwarded, streams };
}

const status = (taskId: string, state: TaskState): NewTaskStatus => ({ taskId, frameworkId: 'fw', agentId: 'S0', state, source: 'SOURCE_EXECUTOR' });
const uuidOf = (s: TaskStatus): string => s.uuid ?? assert.fail('no uuid');

test('a new status gets a fresh uuid and the time, and is emitted as task.status', () => {
  const { ctx, manager } = makeManager();
  ctx.nowMs = 1234;
  const a = manager.update(status('t1', 'TASK_STARTING'));
  const b = manager.update({ ...status('t1', 'TASK_FAILED'), reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: 'exit 1' });
  assert.match(uuidOf(a), /^[0-9a-f]{16}$/);
  assert.notEqual(a.uuid, b.uuid);
  assert.equal(a.timestampMs, 1234);
  assert.equal('reason' in a, false, 'unset optional fields stay absent');
  assert.deepEqual(ctx.eventsOfType('task.status'), [
    { type: 'task.status', taskId: 't1', frameworkId: 'fw', agentId: 'S0', host: 'agent-1', state: 'TASK_STARTING', reason: null, uuid: a.uuid },
    { type: 'task.status', taskId: 't1', frameworkId: 'fw', agentId: 'S0', host: 'agent-1', state: 'TASK_FAILED', reason: 'REASON_COMMAND_EXECUTOR_FAILED', uuid: b.uuid },
  ]);
});

test('while paused updates queue; resume forwards the head of every stream', () => {
  const { manager, forwarded, streams } = makeManager();
  const a1 = manager.update(status('a', 'TASK_STARTING'));
  manager.update(status('a', 'TASK_RUNNING'));
  const b1 = manager.update(status('b', 'TASK_STARTING'));
  assert.equal(forwarded.length, 0);
  assert.equal(streams.get('a')?.length, 2);
  manager.resume();
  assert.deepEqual(
    forwarded.map((f) => f.update.status.uuid),
    [a1.uuid, b1.uuid],
  );
  assert.equal(forwarded[0]?.update.latestState, 'TASK_RUNNING', 'latestState names the newest state behind the head');
  assert.equal(forwarded[1]?.update.latestState, 'TASK_STARTING');
});

test('only the head is outstanding; its ack pops it and sends the next', () => {
  const { ctx, manager, forwarded } = makeManager();
  manager.resume();
  const s1 = manager.update(status('t', 'TASK_STARTING'));
  const s2 = manager.update(status('t', 'TASK_RUNNING'));
  assert.deepEqual(forwarded.map((f) => f.update.status.uuid), [s1.uuid]);
  const popped = manager.acknowledge('t', uuidOf(s1));
  assert.equal(popped?.uuid, s1.uuid);
  assert.deepEqual(ctx.eventsOfType('status.ack_received'), [{ type: 'status.ack_received', agentId: 'S0', taskId: 't', uuid: s1.uuid }]);
  assert.deepEqual(forwarded.map((f) => f.update.status.uuid), [s1.uuid, s2.uuid]);
});

test('an ack for anything but the head is ignored, and a duplicate ack is harmless', () => {
  const { ctx, manager, forwarded } = makeManager();
  manager.resume();
  const s1 = manager.update(status('t', 'TASK_STARTING'));
  const s2 = manager.update(status('t', 'TASK_RUNNING'));
  assert.equal(manager.acknowledge('t', uuidOf(s2)), null, 'not the head yet');
  assert.equal(manager.acknowledge('t', 'ffffffffffffffff'), null, 'a uuid never issued');
  assert.equal(manager.acknowledge('other', uuidOf(s1)), null, 'another task');
  assert.equal(forwarded.length, 1);
  assert.ok(manager.acknowledge('t', uuidOf(s1)));
  assert.equal(manager.acknowledge('t', uuidOf(s1)), null, 'the same ack again');
  assert.equal(ctx.eventsOfType('status.ack_received').length, 1);
  assert.deepEqual(forwarded.map((f) => f.update.status.uuid), [s1.uuid, s2.uuid], 'the duplicate did not skip s2');
});

test('an unacknowledged head is resent after 10 s, 20 s, 40 s ... capped at 10 min', () => {
  const { ctx, manager, forwarded } = makeManager();
  manager.resume();
  const head = manager.update(status('t', 'TASK_RUNNING'));
  ctx.advance(3 * 3_600_000);
  assert.ok(forwarded.every((f) => f.update.status.uuid === head.uuid), 'always the same head');
  const gaps = forwarded.slice(1).map((f, i) => f.atMs - (forwarded[i]?.atMs ?? 0));
  const expected = [10_000, 20_000, 40_000, 80_000, 160_000, 320_000];
  assert.deepEqual(gaps.slice(0, expected.length), expected);
  assert.ok(gaps.length > expected.length + 3, 'keeps retrying');
  assert.ok(gaps.slice(expected.length).every((g) => g === 600_000), `capped: ${gaps.join(',')}`);
});

test('an ack restarts the backoff for the next update at the minimum', () => {
  const { ctx, manager, forwarded } = makeManager();
  manager.resume();
  const s1 = manager.update(status('t', 'TASK_STARTING'));
  manager.update(status('t', 'TASK_RUNNING'));
  ctx.advance(70_000); // sends at 0, 10 s, 30 s, 70 s
  assert.equal(forwarded.length, 4);
  manager.acknowledge('t', uuidOf(s1));
  ctx.advance(10_000);
  assert.deepEqual(forwarded.slice(4).map((f) => [f.atMs, f.update.status.state]), [
    [70_000, 'TASK_RUNNING'],
    [80_000, 'TASK_RUNNING'],
  ]);
});

test('an acknowledged terminal update ends the stream and its timer', () => {
  const { ctx, manager, forwarded, streams } = makeManager();
  manager.resume();
  const done = manager.update(status('t', 'TASK_FINISHED'));
  const popped = manager.acknowledge('t', uuidOf(done));
  assert.equal(popped?.state, 'TASK_FINISHED');
  assert.equal(streams.has('t'), false);
  assert.equal(manager.has('t'), false);
  ctx.advance(3_600_000);
  assert.equal(forwarded.length, 1, 'no retry after the stream ended');
});

test('paused retries lapse and resume re-arms them at the minimum', () => {
  const { ctx, manager, forwarded } = makeManager();
  manager.resume();
  manager.update(status('t', 'TASK_RUNNING'));
  ctx.advance(30_000); // sent at 0, 10 s, 30 s (next in 40 s)
  manager.pause();
  ctx.advance(600_000);
  assert.equal(forwarded.length, 3, 'nothing goes out while paused');
  manager.resume();
  ctx.advance(10_000);
  assert.deepEqual(forwarded.slice(3).map((f) => f.atMs), [630_000, 640_000]);
});

test('dropping a stream forgets its updates and stops its retries', () => {
  const { ctx, manager, forwarded, streams } = makeManager();
  manager.resume();
  manager.update(status('a', 'TASK_RUNNING'));
  manager.update(status('b', 'TASK_RUNNING'));
  manager.drop('a');
  assert.equal(streams.has('a'), false);
  ctx.advance(10_000);
  assert.deepEqual(forwarded.map((f) => f.update.status.taskId), ['a', 'b', 'b']);
  manager.dropAll();
  assert.equal(streams.size, 0);
  ctx.advance(600_000);
  assert.equal(forwarded.length, 3);
  assert.equal(ctx.timers.size, 0);
});

test('streams live in the checkpoint: a new manager over them resends the same head', () => {
  const first = makeManager();
  first.manager.resume();
  const s1 = first.manager.update(status('t', 'TASK_STARTING'));
  first.manager.update(status('t', 'TASK_RUNNING'));
  const second = makeManager(first.streams);
  second.manager.resume();
  assert.deepEqual(second.forwarded.map((f) => [f.update.status.uuid, f.update.latestState]), [[s1.uuid, 'TASK_RUNNING']]);
});

test('foreign timer keys are not the manager\'s', () => {
  const { manager } = makeManager();
  assert.equal(manager.timer('register'), false);
  assert.equal(manager.timer('status-retry:nope'), true);
});
