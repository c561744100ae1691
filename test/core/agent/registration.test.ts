import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAgentDisk } from '../../../src/core/agent/disk.js';
import type { NodeId } from '../../../src/core/ids.js';
import type { Message } from '../../../src/core/messages.js';
import { FAST_TIMING, MESOS_TIMING } from '../../../src/core/timing.js';
import { FakeContext } from '../../helpers/fake-context.js';
import { AGENT_ID, HOST, MASTER, ack, awaitRegistration, framework, makeAgent, register, registeredAgent, report, runTask, statusUpdates, taskInfo } from './harness.js';

/** A context whose random draw is fixed and which notes when each message was sent. */
class TimedContext extends FakeContext {
  draw: number | null = null;
  readonly sentAtMs: number[] = [];
  override random(): number {
    return this.draw ?? super.random();
  }
  override send(to: NodeId, message: Message): void {
    super.send(to, message);
    this.sentAtMs.push(this.nowMs);
  }
}

const registrationTimes = (ctx: TimedContext): number[] =>
  ctx.sent.flatMap((s, i) => (s.message.type === 'agent.register' ? [ctx.sentAtMs[i] ?? -1] : []));

test('registers after a random share of the factor, then retries with delays that double up to the cap', () => {
  const ctx = new TimedContext(HOST);
  ctx.draw = 0.9;
  makeAgent({ ctx });
  assert.equal(ctx.sent.length, 0, 'the first attempt waits (a herd of agents must not register at one instant)');
  ctx.advance(6 * 60_000);
  const times = registrationTimes(ctx);
  assert.ok(times.length >= 10, `attempts: ${times.length}`);
  assert.equal(times[0], 0.9 * MESOS_TIMING.registrationBackoffMs);
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
  const bounds = gaps.map((_, n) => Math.min(MESOS_TIMING.registrationBackoffMs * 2 ** (n + 1), MESOS_TIMING.registrationBackoffMaxMs));
  assert.deepEqual(gaps, bounds.map((b) => Math.round(0.9 * b)));
  assert.equal(gaps[0], 1_800);
  assert.equal(gaps[gaps.length - 1], 54_000, 'capped at 0.9 x 60 s');
  for (const s of ctx.sent) assert.deepEqual(s.to, MASTER);
  const first = ctx.sent[0]?.message;
  assert.equal(first?.type, 'agent.register');
  if (first?.type === 'agent.register') {
    assert.equal(first.host, HOST);
    assert.deepEqual(first.attributes, { rack: 'r1' });
    assert.equal(first.resources.cpus, 4);
  }
});

test('with the seeded stream every retry waits within its doubling bound', () => {
  const ctx = new TimedContext(HOST, 99);
  makeAgent({ ctx, timing: FAST_TIMING });
  ctx.advance(60_000);
  const times = registrationTimes(ctx);
  assert.ok((times[0] ?? Infinity) <= FAST_TIMING.registrationBackoffMs);
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
  gaps.forEach((gap, n) => {
    const bound = Math.min(FAST_TIMING.registrationBackoffMs * 2 ** (n + 1), FAST_TIMING.registrationBackoffMaxMs);
    assert.ok(gap >= 1 && gap <= bound, `retry ${n + 1} waited ${gap} ms, bound ${bound}`);
  });
  assert.ok(new Set(gaps).size > 1, 'jittered, not constant');
});

test('the registered reply stores the agent id on disk and ends the retries', () => {
  const h = makeAgent();
  register(h);
  assert.equal(h.disk.agentId, AGENT_ID);
  for (let i = 0; i < 40; i += 1) {
    h.ctx.advance(MESOS_TIMING.agentPingTimeoutMs);
    h.ctx.deliver(MASTER, { type: 'master.ping', epoch: 1, agentId: AGENT_ID });
  }
  assert.equal(h.ctx.sentOfType('agent.register').length, 0);
  assert.equal(h.ctx.sentOfType('agent.reregister').length, 0);
  // A late duplicate reply to an earlier attempt changes nothing.
  h.ctx.deliver(MASTER, { type: 'master.agent_registered', epoch: 1, masterId: 'm1', agentId: 'm1-S9' });
  assert.equal(h.disk.agentId, AGENT_ID);
});

test('after a process restart the agent reregisters with its checkpointed tasks and frameworks', () => {
  const before = registeredAgent();
  runTask(before, 't1', framework('fw-a'));
  runTask(before, 't2', framework('fw-b', false));
  report(before, 't1', 'TASK_STARTING');
  report(before, 't1', 'TASK_RUNNING');
  const pendingHead = statusUpdates(before)[0]?.update.status;
  assert.equal(pendingHead?.state, 'TASK_STARTING');

  // The process restarts: fresh memory, the same disk; the executor still runs the tasks.
  const after = makeAgent({ disk: before.disk, ctx: new FakeContext(HOST, 11) });
  const message = awaitRegistration(after);
  assert.equal(message.type, 'agent.reregister');
  if (message.type !== 'agent.reregister') return;
  assert.equal(message.agentId, AGENT_ID);
  assert.deepEqual(
    message.tasks.map((t) => [t.task.taskId, t.frameworkId, t.state]),
    [
      ['t1', 'fw-a', 'TASK_RUNNING'],
      ['t2', 'fw-b', 'TASK_STAGING'],
    ],
  );
  assert.deepEqual(message.frameworks, [framework('fw-a'), framework('fw-b', false)]);
  assert.deepEqual(after.executor.launched, [], 'recovered tasks are not launched again');
  assert.equal(statusUpdates(after).length, 0, 'updates wait until reregistered');

  after.ctx.deliver(MASTER, { type: 'master.agent_reregistered', epoch: 1, masterId: 'm1', agentId: AGENT_ID });
  const resent = statusUpdates(after);
  assert.deepEqual(
    resent.map((u) => [u.update.status.uuid, u.update.latestState]),
    [[pendingHead?.uuid, 'TASK_RUNNING']],
    'the same unacknowledged head goes again, right after reregistering',
  );
});

test('the reregistration message is a copy: later state changes do not reach it in flight', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  h.ctx.advance(75_000);
  const message = awaitRegistration(h);
  report(h, 't1', 'TASK_RUNNING');
  assert.equal(message.type === 'agent.reregister' ? message.tasks[0]?.state : null, 'TASK_STAGING');
});

test('pings are answered with a pong carrying the epoch, and keep the agent registered', () => {
  const h = registeredAgent();
  for (let i = 0; i < 20; i += 1) {
    h.ctx.advance(MESOS_TIMING.agentPingTimeoutMs);
    h.ctx.deliver(MASTER, { type: 'master.ping', epoch: 1, agentId: AGENT_ID });
  }
  const pongs = h.ctx.sentOfType('agent.pong');
  assert.equal(pongs.length, 20);
  assert.deepEqual(pongs[0], { to: MASTER, message: { type: 'agent.pong', agentId: AGENT_ID, epoch: 1 } });
  assert.equal(h.ctx.sentOfType('agent.reregister').length, 0, '300 s of pings: no reregistration');
});

test('no ping for 15 s x 5 makes the agent reregister, keeping its tasks', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  report(h, 't1', 'TASK_RUNNING');
  h.ctx.advance(60_000);
  h.ctx.deliver(MASTER, { type: 'master.ping', epoch: 1, agentId: AGENT_ID });
  h.ctx.takeSent();
  h.ctx.advance(74_999);
  assert.equal(h.ctx.sentOfType('agent.reregister').length, 0, 'not before 75 s');
  h.ctx.advance(1 + MESOS_TIMING.registrationBackoffMs);
  const again = h.ctx.sentOfType('agent.reregister');
  assert.ok(again.length >= 1, 'reregisters (a retry may follow within the jittered backoff)');
  assert.ok(again.every((a) => a.to === MASTER));
  assert.deepEqual(again[0]?.message.tasks.map((t) => [t.task.taskId, t.state]), [['t1', 'TASK_RUNNING']]);
  assert.equal(h.disk.tasks.size, 1);
  assert.deepEqual(h.executor.killed, []);
});

test('while re-registering, status updates are held; after the reply the head goes at once', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  report(h, 't1', 'TASK_STARTING');
  const head = statusUpdates(h)[0]?.update.status.uuid;
  h.ctx.advance(80_000); // lost the master (no pings); retries of the head stop
  h.ctx.takeSent();
  report(h, 't1', 'TASK_RUNNING');
  h.ctx.advance(120_000);
  assert.equal(statusUpdates(h).length, 0, 'nothing goes to a master the agent lost');
  h.ctx.deliver(MASTER, { type: 'master.agent_reregistered', epoch: 1, masterId: 'm1', agentId: AGENT_ID });
  assert.deepEqual(statusUpdates(h).map((u) => [u.update.status.uuid, u.update.latestState]), [[head, 'TASK_RUNNING']]);
});

test('master messages from an older epoch than one already seen are ignored', () => {
  const h = registeredAgent();
  runTask(h, 't1', framework(), 3); // a newer master's message: accepted, the fence moves to 3
  assert.deepEqual(h.executor.launched.map((t) => t.taskId), ['t1']);
  report(h, 't1', 'TASK_RUNNING');
  const uuid = statusUpdates(h)[0]?.update.status.uuid ?? '';
  h.ctx.takeSent();

  runTask(h, 't2', framework(), 2);
  h.ctx.deliver(MASTER, { type: 'master.kill_task', epoch: 2, frameworkId: 'm1-0000', taskId: 't1' });
  h.ctx.deliver(MASTER, { type: 'master.kill_task', epoch: 2, frameworkId: 'm1-0000', taskId: 'nope' });
  h.ctx.deliver(MASTER, { type: 'master.ping', epoch: 2, agentId: AGENT_ID });
  ack(h, 't1', uuid, 'm1-0000', 2);
  h.ctx.deliver(MASTER, { type: 'master.shutdown_framework', epoch: 2, frameworkId: 'm1-0000' });
  h.ctx.deliver(MASTER, { type: 'master.shutdown_agent', epoch: 1, reason: 'deposed' });

  assert.deepEqual(h.executor.launched.map((t) => t.taskId), ['t1'], 'no launch');
  assert.deepEqual(h.executor.killed, [], 'no kill');
  assert.deepEqual(h.ctx.sent, [], 'no pong, no TASK_DROPPED');
  assert.equal(h.ctx.eventsOfType('status.ack_received').length, 0, 'no ack taken');
  assert.equal(h.disk.tasks.size, 1);

  ack(h, 't1', uuid, 'm1-0000', 3);
  assert.equal(h.ctx.eventsOfType('status.ack_received').length, 1, 'the current epoch still works');
});

test('with a coordinator it waits for a leader, then follows leader changes', () => {
  const h = makeAgent({ leader: { kind: 'coordinator', coordinator: 'coordinator' } });
  assert.deepEqual(h.ctx.takeSent(), [{ to: 'coordinator', message: { type: 'coordinator.watch_leader' } }]);
  h.ctx.advance(60_000);
  assert.ok(h.ctx.sent.every((s) => s.to === 'coordinator' && s.message.type === 'coordinator.watch_leader'), 'no leader, no registration: only asking again');

  h.ctx.deliver('coordinator', { type: 'coordinator.leader', leader: 'master-1', epoch: 1 });
  assert.equal(awaitRegistration(h).type, 'agent.register');
  h.ctx.deliver('master-1', { type: 'master.agent_registered', epoch: 1, masterId: 'm1', agentId: AGENT_ID });
  runTask(h, 't1');
  h.ctx.takeSent();

  h.ctx.deliver('coordinator', { type: 'coordinator.leader', leader: 'master-2', epoch: 2 });
  const message = awaitRegistration(h);
  assert.equal(message.type, 'agent.reregister');
  assert.equal(h.ctx.sent.find((s) => s.message.type === 'agent.reregister')?.to, 'master-2');
  // The deposed leader's answer is fenced off; the new leader's is taken.
  h.ctx.deliver('master-1', { type: 'master.agent_reregistered', epoch: 1, masterId: 'm1', agentId: AGENT_ID });
  h.ctx.takeSent();
  h.ctx.advance(MESOS_TIMING.registrationBackoffMaxMs);
  assert.equal(h.ctx.sentOfType('agent.reregister').length > 0, true, 'still retrying');
  h.ctx.deliver('master-2', { type: 'master.agent_reregistered', epoch: 2, masterId: 'm2', agentId: AGENT_ID });
  h.ctx.takeSent();
  h.ctx.advance(MESOS_TIMING.registrationBackoffMaxMs);
  assert.equal(h.ctx.sentOfType('agent.reregister').length, 0, 'done');
});

test('with a coordinator, a ping timeout asks it again and reregisters with the same leader', () => {
  const h = makeAgent({ leader: { kind: 'coordinator', coordinator: 'coordinator' } });
  h.ctx.deliver('coordinator', { type: 'coordinator.leader', leader: MASTER, epoch: 1 });
  register(h);
  h.ctx.advance(75_000);
  assert.deepEqual(h.ctx.sentOfType('coordinator.watch_leader').map((s) => s.to), ['coordinator']);
  assert.equal(awaitRegistration(h).type, 'agent.reregister');
});

test('with a coordinator, the same master re-elected under a newer epoch gets a reregistration', () => {
  const h = makeAgent({ leader: { kind: 'coordinator', coordinator: 'coordinator' } });
  h.ctx.deliver('coordinator', { type: 'coordinator.leader', leader: MASTER, epoch: 1 });
  register(h);
  h.ctx.deliver('coordinator', { type: 'coordinator.leader', leader: MASTER, epoch: 1 });
  h.ctx.advance(MESOS_TIMING.registrationBackoffMs);
  assert.deepEqual(h.ctx.sent, [], 'the same leader and epoch again: nothing to do');
  h.ctx.deliver('coordinator', { type: 'coordinator.leader', leader: MASTER, epoch: 4 });
  const message = awaitRegistration(h);
  assert.equal(message.type, 'agent.reregister');
  h.ctx.deliver(MASTER, { type: 'master.agent_reregistered', epoch: 4, masterId: 'm1b', agentId: AGENT_ID });
  h.ctx.takeSent();
  h.ctx.deliver('coordinator', { type: 'coordinator.leader', leader: MASTER, epoch: 4 });
  h.ctx.advance(MESOS_TIMING.registrationBackoffMaxMs);
  assert.equal(h.ctx.sentOfType('agent.reregister').length, 0, 'registered at epoch 4 already');
});

test('shutdown_agent kills every task, wipes the checkpoint and silences the agent', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  runTask(h, 't2', framework('fw-b'));
  report(h, 't1', 'TASK_FINISHED');
  h.ctx.takeSent();
  h.ctx.deliver(MASTER, { type: 'master.shutdown_agent', epoch: 1, reason: 'marked gone' });
  assert.deepEqual(h.executor.killed, ['t2'], 'the finished task needs no kill');
  assert.equal(h.disk.agentId, null);
  assert.equal(h.disk.tasks.size + h.disk.frameworks.size + h.disk.updates.size, 0);
  assert.equal(h.ctx.timers.size, 0);

  h.ctx.deliver(MASTER, { type: 'master.ping', epoch: 1, agentId: AGENT_ID });
  runTask(h, 't3');
  report(h, 't2', 'TASK_KILLED');
  h.ctx.advance(3_600_000);
  assert.deepEqual(h.ctx.sent, []);
  assert.equal(h.executor.launched.length, 2);
});

test('never throws on messages that are not for an agent', () => {
  const h = registeredAgent();
  const strangers: Message[] = [
    { type: 'master.heartbeat', epoch: 1 },
    { type: 'master.redirect', epoch: 1, leader: 'master-2' },
    { type: 'master.update', epoch: 1, status: { taskId: 't', frameworkId: 'f', agentId: AGENT_ID, state: 'TASK_RUNNING', source: 'SOURCE_MASTER', timestampMs: 0 } },
    { type: 'scheduler.heartbeat', frameworkId: 'f' },
    { type: 'agent.register', host: 'agent-2', resources: taskInfo('x').resources, attributes: {} },
    { type: 'coordinator.watch_leader' },
    { type: 'made.up' } as unknown as Message,
  ];
  for (const message of strangers) assert.doesNotThrow(() => h.ctx.deliver('someone', message));
  assert.doesNotThrow(() => h.agent.timer('no-such-timer'));
  assert.deepEqual(h.ctx.sent, []);
});

test('executor reports from another node are ignored', () => {
  const h = registeredAgent();
  runTask(h, 't1');
  h.ctx.deliver('agent-2', { type: 'executor.status', taskId: 't1', state: 'TASK_FAILED' });
  assert.equal(h.disk.tasks.get('t1')?.state, 'TASK_STAGING');
  assert.deepEqual(h.ctx.sent, []);
});

test('a fresh disk is empty', () => {
  const disk = newAgentDisk();
  assert.deepEqual([disk.agentId, disk.tasks.size, disk.frameworks.size, disk.updates.size], [null, 0, 0, 0]);
});

test('with a coordinator, every registration attempt re-asks for the leader, so a lost watch cannot strand the agent', () => {
  const h = makeAgent({ leader: { kind: 'coordinator', coordinator: 'coordinator' } });
  h.ctx.advance(30_000);
  const watches = h.ctx.sentOfType('coordinator.watch_leader').length;
  assert.ok(watches > 2, `asked ${watches} times while no answer came`);
  h.ctx.deliver('coordinator', { type: 'coordinator.leader', leader: MASTER, epoch: 3 });
  h.ctx.advance(5_000);
  assert.ok(h.ctx.sent.some((s) => s.to === MASTER && s.message.type === 'agent.register'));
});

for (const partitionAware of [true, false]) {
  const state = partitionAware ? 'TASK_DROPPED' : 'TASK_LOST';
  test(`MasterSlaveReconciliationTest.Reconcile${partitionAware ? 'Dropped' : 'Lost'}Task: tasks the master names on reregistration that the agent does not know get a reliable ${state}`, () => {
    const h = registeredAgent();
    runTask(h, 'known');
    h.ctx.advance(80_000); // lost the master: reregisters
    h.ctx.takeSent();
    h.ctx.deliver(MASTER, {
      type: 'master.agent_reregistered',
      epoch: 1,
      masterId: 'm1',
      agentId: AGENT_ID,
      reconciliations: [{ frameworkId: 'm1-0000', partitionAware, taskIds: ['known', 'lost-launch'] }],
    });
    const sent = statusUpdates(h).filter((u) => u.update.status.taskId === 'lost-launch');
    assert.deepEqual(
      sent.map((u) => [u.update.status.state, u.update.status.source, u.update.status.reason, typeof u.update.status.uuid]),
      [[state, 'SOURCE_AGENT', 'REASON_RECONCILIATION', 'string']],
    );
    assert.equal(statusUpdates(h).filter((u) => u.update.status.taskId === 'known' && u.update.status.reason === 'REASON_RECONCILIATION').length, 0, 'a task it knows is not answered');
    // A late launch of the answered task is never run.
    h.ctx.deliver(MASTER, { type: 'master.run_task', epoch: 1, framework: framework(), task: taskInfo('lost-launch') });
    assert.deepEqual(h.executor.launched.map((t) => t.taskId), ['known']);
  });
}
