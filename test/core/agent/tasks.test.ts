import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MESOS_TIMING } from '../../../src/core/timing.js';
import { AGENT_ID, HOST, MASTER, ack, awaitRegistration, framework, makeAgent, register, registeredAgent, report, runTask, statusUpdates, taskInfo, uuidOf } from './harness.js';

test('run_task checkpoints the task (STAGING) and its framework, then launches it', () => {
  const h = registeredAgent();
  runTask(h, 't1', framework('fw-a'));
  assert.deepEqual(h.executor.launched, [taskInfo('t1')]);
  assert.deepEqual(h.disk.tasks.get('t1'), { task: taskInfo('t1'), frameworkId: 'fw-a', state: 'TASK_STAGING' });
  assert.deepEqual(h.disk.frameworks.get('fw-a'), framework('fw-a'));
  assert.deepEqual(h.ctx.sent, [], 'STAGING is the master\'s state; the agent reports only what the executor says');
});

test('a duplicated run_task launches the task once', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  report(h, 't1', 'TASK_RUNNING');
  runTask(h, 't1');
  assert.equal(h.executor.launched.length, 1);
  assert.equal(h.disk.tasks.get('t1')?.state, 'TASK_RUNNING', 'the state is not reset to STAGING');
});

test('launch then STARTING and RUNNING: two updates with distinct uuids, in order, one outstanding at a time', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  const reportedAtMs = h.ctx.nowMs;
  report(h, 't1', 'TASK_STARTING');
  report(h, 't1', 'TASK_RUNNING');
  const emitted = h.ctx.eventsOfType('task.status');
  assert.deepEqual(emitted.map((e) => [e.taskId, e.state, e.agentId, e.host, e.frameworkId]), [
    ['t1', 'TASK_STARTING', AGENT_ID, HOST, 'm1-0000'],
    ['t1', 'TASK_RUNNING', AGENT_ID, HOST, 'm1-0000'],
  ]);
  assert.notEqual(emitted[0]?.uuid, emitted[1]?.uuid);

  const sent = h.ctx.sentOfType('agent.status_update');
  assert.equal(sent.length, 1, 'RUNNING waits for STARTING\'s ack');
  const first = sent[0];
  assert.equal(first?.to, MASTER);
  assert.equal(first?.message.agentId, AGENT_ID);
  assert.deepEqual(first?.message.update, {
    frameworkId: 'm1-0000',
    status: { taskId: 't1', frameworkId: 'm1-0000', agentId: AGENT_ID, state: 'TASK_STARTING', source: 'SOURCE_EXECUTOR', uuid: emitted[0]?.uuid, timestampMs: reportedAtMs },
    latestState: 'TASK_STARTING',
  });
  h.ctx.advance(10_000);
  assert.deepEqual(
    statusUpdates(h).map((u) => [u.update.status.state, u.update.latestState]),
    [
      ['TASK_STARTING', 'TASK_STARTING'],
      ['TASK_STARTING', 'TASK_RUNNING'],
    ],
    'the resent head tells the master the newest state behind it',
  );

  ack(h, 't1', emitted[0]?.uuid ?? '');
  assert.deepEqual(statusUpdates(h).map((u) => [u.update.status.state, u.update.status.uuid]), [
    ['TASK_STARTING', emitted[0]?.uuid],
    ['TASK_STARTING', emitted[0]?.uuid],
    ['TASK_RUNNING', emitted[1]?.uuid],
  ]);
  assert.deepEqual(h.ctx.eventsOfType('status.ack_received'), [{ type: 'status.ack_received', agentId: AGENT_ID, taskId: 't1', uuid: emitted[0]?.uuid }]);
});

test('streams of different tasks are independent', () => {
  const h = registeredAgent();
  runTask(h, 'a');
  runTask(h, 'b');
  report(h, 'a', 'TASK_STARTING');
  report(h, 'a', 'TASK_RUNNING');
  report(h, 'b', 'TASK_STARTING');
  assert.deepEqual(statusUpdates(h).map((u) => [u.update.status.taskId, u.update.status.state]), [
    ['a', 'TASK_STARTING'],
    ['b', 'TASK_STARTING'],
  ]);
});

test('an unacknowledged update is resent after 10 s, 20 s, 40 s ... capped at 10 min', () => {
  const h = registeredAgent();
  const sentAtMs: number[] = [];
  runTask(h, 't1');
  const reportedAtMs = h.ctx.nowMs;
  report(h, 't1', 'TASK_RUNNING');
  const uuid = uuidOf(statusUpdates(h)[0] ?? assert.fail('not sent'));
  // Keep the master alive with pings, watching when each resend goes out.
  for (let t = 0; t < 2 * 3_600_000; t += 1_000) {
    const before = statusUpdates(h).length;
    h.ctx.advance(1_000);
    if (t % MESOS_TIMING.agentPingTimeoutMs === 0) h.ctx.deliver(MASTER, { type: 'master.ping', epoch: 1, agentId: AGENT_ID });
    if (statusUpdates(h).length > before) sentAtMs.push(h.ctx.nowMs);
  }
  assert.ok(statusUpdates(h).every((u) => uuidOf(u) === uuid), 'always the same update');
  const gaps = [(sentAtMs[0] ?? 0) - reportedAtMs, ...sentAtMs.slice(1).map((t, i) => t - (sentAtMs[i] ?? 0))];
  assert.deepEqual(gaps.slice(0, 9), [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000]);
  assert.ok(gaps.slice(6).every((g) => g === 600_000));
});

test('an ack with a wrong uuid is ignored: the head stays outstanding', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  report(h, 't1', 'TASK_STARTING');
  report(h, 't1', 'TASK_RUNNING');
  const head = uuidOf(statusUpdates(h)[0] ?? assert.fail('not sent'));
  const behind = h.ctx.eventsOfType('task.status')[1]?.uuid ?? '';
  ack(h, 't1', behind); // the next update's uuid, not the head's
  ack(h, 't1', '0123456789abcdef');
  ack(h, 't-other', head);
  assert.equal(h.ctx.eventsOfType('status.ack_received').length, 0);
  h.ctx.advance(10_000);
  assert.deepEqual(statusUpdates(h).map(uuidOf), [head, head], 'the head is resent, RUNNING still waits');
});

test('a duplicated ack is harmless', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  report(h, 't1', 'TASK_STARTING');
  report(h, 't1', 'TASK_RUNNING');
  report(h, 't1', 'TASK_FINISHED');
  const [starting, running, finished] = h.ctx.eventsOfType('task.status').map((e) => e.uuid);
  ack(h, 't1', starting ?? '');
  ack(h, 't1', starting ?? '');
  assert.deepEqual(statusUpdates(h).map(uuidOf), [starting, running], 'the second ack did not pop RUNNING');
  ack(h, 't1', running ?? '');
  ack(h, 't1', running ?? '');
  assert.deepEqual(statusUpdates(h).map(uuidOf), [starting, running, finished]);
  assert.equal(h.ctx.eventsOfType('status.ack_received').length, 2);
});

test('a terminal update, once acknowledged, makes the agent forget the task and its framework', () => {
  const h = registeredAgent();
  runTask(h, 't1', framework('fw-a'));
  runTask(h, 't2', framework('fw-b'));
  report(h, 't1', 'TASK_FAILED');
  assert.equal(h.disk.tasks.get('t1')?.state, 'TASK_FAILED', 'kept until acknowledged');
  const uuid = uuidOf(statusUpdates(h)[0] ?? assert.fail('not sent'));
  ack(h, 't1', uuid, 'fw-a');
  assert.equal(h.disk.tasks.has('t1'), false);
  assert.equal(h.disk.updates.has('t1'), false);
  assert.equal(h.disk.frameworks.has('fw-a'), false, 'no task left for fw-a');
  assert.equal(h.disk.frameworks.has('fw-b'), true);
  report(h, 't1', 'TASK_KILLED');
  h.ctx.advance(3_600_000);
  assert.equal(statusUpdates(h).length, 1, 'a forgotten task reports nothing more, and nothing is retried');
});

test('reports after a terminal state are ignored (only legal transitions leave the agent)', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  report(h, 't1', 'TASK_FINISHED');
  report(h, 't1', 'TASK_KILLED');
  report(h, 't1', 'TASK_RUNNING');
  assert.deepEqual(h.ctx.eventsOfType('task.status').map((e) => e.state), ['TASK_FINISHED']);
  assert.equal(h.disk.tasks.get('t1')?.state, 'TASK_FINISHED');
});

test('kill_task of a known task goes to the executor; its TASK_KILLED comes back as an update', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  h.ctx.deliver(MASTER, { type: 'master.kill_task', epoch: 1, frameworkId: 'm1-0000', taskId: 't1' });
  assert.deepEqual(h.executor.killed, ['t1']);
  report(h, 't1', 'TASK_KILLED');
  assert.deepEqual(statusUpdates(h).map((u) => u.update.status.state), ['TASK_KILLED']);
  // Already ended: its terminal update is on the way, there is nothing to kill.
  h.ctx.deliver(MASTER, { type: 'master.kill_task', epoch: 1, frameworkId: 'm1-0000', taskId: 't1' });
  assert.deepEqual(h.executor.killed, ['t1']);
  assert.equal(statusUpdates(h).length, 1);
});

test('kill_task of an unknown task answers TASK_DROPPED (REASON_TASK_UNKNOWN) so the master can clean up', () => {
  const h = registeredAgent();
  h.ctx.deliver(MASTER, { type: 'master.kill_task', epoch: 1, frameworkId: 'fw-x', taskId: 'ghost' });
  h.ctx.deliver(MASTER, { type: 'master.kill_task', epoch: 1, frameworkId: 'fw-x', taskId: 'ghost' });
  assert.deepEqual(h.executor.killed, []);
  const updates = statusUpdates(h);
  assert.equal(updates.length, 1, 'one TASK_DROPPED per unknown task, however often it is killed');
  const status = updates[0]?.update.status;
  assert.equal(status?.state, 'TASK_DROPPED');
  assert.equal(status?.reason, 'REASON_TASK_UNKNOWN');
  assert.equal(status?.source, 'SOURCE_AGENT');
  assert.equal(status?.frameworkId, 'fw-x');
  assert.match(status?.message ?? '', /unknown/);
  assert.equal(h.disk.tasks.has('ghost'), false, 'nothing to reregister with');
  ack(h, 'ghost', status?.uuid ?? '', 'fw-x');
  assert.equal(h.disk.updates.size, 0);
  h.ctx.advance(600_000);
  assert.equal(statusUpdates(h).length, 1, 'acknowledged: no retry');
});

test('shutdown_framework kills that framework\'s tasks only and drops their pending updates', () => {
  const h = registeredAgent();
  runTask(h, 'a1', framework('fw-a'));
  runTask(h, 'a2', framework('fw-a'));
  runTask(h, 'a3', framework('fw-a'));
  runTask(h, 'b1', framework('fw-b'));
  report(h, 'a1', 'TASK_RUNNING');
  report(h, 'a3', 'TASK_FINISHED'); // ended, unacknowledged: nothing to kill, update dropped
  report(h, 'b1', 'TASK_RUNNING');
  h.ctx.takeSent();
  h.ctx.deliver(MASTER, { type: 'master.shutdown_framework', epoch: 1, frameworkId: 'fw-a' });
  assert.deepEqual(h.executor.killed, ['a1', 'a2']);
  assert.deepEqual([...h.disk.tasks.keys()], ['b1']);
  assert.deepEqual([...h.disk.frameworks.keys()], ['fw-b']);
  assert.deepEqual([...h.disk.updates.keys()], ['b1']);
  report(h, 'a1', 'TASK_KILLED'); // the executor's answer to the kill: the framework is gone
  h.ctx.advance(10_000);
  assert.deepEqual(statusUpdates(h).map((u) => u.update.status.taskId), ['b1'], 'only fw-b\'s update is retried');
});

test('updates of a task launched before the agent id changed carry the current agent id', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  report(h, 't1', 'TASK_RUNNING');
  assert.equal(statusUpdates(h)[0]?.update.status.agentId, AGENT_ID);
  assert.equal(h.ctx.eventsOfType('task.status')[0]?.host, HOST);
});

test('a run_task that reaches an agent still registering is dropped (the master reconciles it away)', () => {
  const h = makeAgent();
  awaitRegistration(h);
  runTask(h, 't1');
  assert.equal(h.executor.launched.length, 0);
  assert.equal(h.disk.tasks.has('t1'), false);
  register(h);
  runTask(h, 't2');
  assert.deepEqual(h.executor.launched.map((t) => t.taskId), ['t2']);
});

test('every command the agent acts on is recorded with its epoch (agent.accepted); one from an older epoch than it has seen is neither acted on nor recorded', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  h.ctx.deliver(MASTER, { type: 'master.ping', epoch: 3, agentId: AGENT_ID }); // a newer leader's ping
  h.ctx.deliver(MASTER, { type: 'master.kill_task', epoch: 1, frameworkId: 'm1-0000', taskId: 't1' });
  assert.deepEqual(h.executor.killed, [], 'fenced off');
  h.ctx.deliver(MASTER, { type: 'master.kill_task', epoch: 3, frameworkId: 'm1-0000', taskId: 't1' });
  assert.deepEqual(h.executor.killed, ['t1']);
  assert.deepEqual(
    h.ctx.eventsOfType('agent.accepted').map((e) => [e.host, e.command, e.epoch]),
    [
      [HOST, 'master.run_task', 1],
      [HOST, 'master.kill_task', 3],
    ],
  );
});
