import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, TASK_RESOURCES, clusterWithRunningTasks } from './harness.js';

const HEARTBEATS = { heartbeatIntervalMs: 1_000 } as const;

test('subscribe: mints <masterId>-0000, -0001; answers with the heartbeat interval; emits framework.subscribed; joins the allocator', () => {
  const h = new Harness();
  const a = h.subscribe('scheduler-a', { roles: ['web'], partitionAware: true, failoverTimeoutMs: 5_000, name: 'web' });
  const b = h.subscribe('scheduler-b', { roles: [], partitionAware: false });
  assert.equal(a, `${h.masterId}-0000`);
  assert.equal(b, `${h.masterId}-0001`);
  assert.deepEqual(h.ctx.sentOfType('master.subscribed')[0], {
    to: 'scheduler-a',
    message: { type: 'master.subscribed', epoch: 1, masterId: h.masterId, frameworkId: a, heartbeatIntervalMs: h.timing.heartbeatIntervalMs },
  });
  assert.deepEqual(h.ctx.eventsOfType('framework.subscribed'), [
    { type: 'framework.subscribed', frameworkId: a, name: 'web', node: 'scheduler-a', roles: ['web'], partitionAware: true, failoverTimeoutMs: 5_000, epoch: 1 },
    { type: 'framework.subscribed', frameworkId: b, name: 'scheduler-b', node: 'scheduler-b', roles: ['*'], partitionAware: false, failoverTimeoutMs: 60_000, epoch: 1 },
  ]);
  assert.deepEqual(h.allocator.argsOf('addFramework'), [
    [a, ['web']],
    [b, ['*']],
  ]);
});

test('heartbeats: master.heartbeat every interval while connected', () => {
  const h = new Harness({ timing: HEARTBEATS });
  h.subscribe('scheduler-a');
  for (let i = 0; i < 2; i += 1) {
    h.ctx.advance(1_000);
    h.ctx.deliver('scheduler-a', { type: 'scheduler.heartbeat', frameworkId: `${h.masterId}-0000` });
  }
  assert.deepEqual(h.ctx.sentOfType('master.heartbeat').map((s) => [s.to, s.message.epoch]), [
    ['scheduler-a', 1],
    ['scheduler-a', 1],
  ]);
});

test('disconnect after exactly 3 heartbeat intervals of silence; any scheduler call counts as a sign of life', () => {
  const h = new Harness({ timing: HEARTBEATS });
  const fw = h.subscribe('scheduler-a');
  h.ctx.advance(2_500);
  h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [] }); // heard at 2500
  h.ctx.advance(2_999);
  assert.equal(h.ctx.eventsOfType('framework.disconnected').length, 0, 'silent for 2999 ms');
  h.ctx.advance(1);
  assert.deepEqual(h.ctx.eventsOfType('framework.disconnected'), [{ type: 'framework.disconnected', frameworkId: fw, reason: 'no message from the scheduler for 3 heartbeat intervals', epoch: 1 }]);
  assert.deepEqual(h.allocator.argsOf('deactivateFramework'), [[fw]]);
  const heartbeats = h.ctx.sentOfType('master.heartbeat').length;
  h.ctx.advance(5_000);
  assert.equal(h.ctx.sentOfType('master.heartbeat').length, heartbeats, 'no heartbeats to a disconnected framework');
});

test('disconnect: offers rescinded, no new offers; calls are dropped (no fatal ERROR) until it subscribes again', () => {
  const h = new Harness({ timing: HEARTBEATS });
  const agentId = h.registerAgent('agent-1');
  const fw = h.subscribe('scheduler-a');
  const offer = h.offer(fw, agentId);
  h.clear();
  h.ctx.advance(3_000);
  assert.deepEqual(h.ctx.eventsOfType('offer.rescinded'), [{ type: 'offer.rescinded', offerId: offer.offerId, frameworkId: fw, reason: 'framework disconnected' }]);
  assert.deepEqual(h.allocator.argsOf('recoverResources'), [[fw, agentId, offer.resources, 0, 3_000]]);
  h.clear();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.heartbeat', frameworkId: fw });
  assert.deepEqual(h.ctx.sent, [], 'no ERROR: that would make the scheduler give up its framework id');
  // A grant for a disconnected framework goes straight back.
  h.allocator.grants.push({ frameworkId: fw, agentId, role: '*', resources: TASK_RESOURCES });
  h.nextCycle();
  assert.equal(h.ctx.eventsOfType('offer.created').length, 0);
  assert.deepEqual(h.allocator.argsOf('recoverResources').at(-1), [fw, agentId, TASK_RESOURCES, 0, h.ctx.nowMs]);
});

for (const { name, resubscribeAtMs, removed } of [
  { name: 'teardown after failoverTimeoutMs when the scheduler does not come back', resubscribeAtMs: null, removed: true },
  { name: 'no teardown when the scheduler resubscribes in time', resubscribeAtMs: 9_000, removed: false },
] as const) {
  test(`failover: ${name}`, () => {
    const { h, agentId, pa } = clusterWithRunningTasks({ timing: HEARTBEATS });
    // pa subscribed with failoverTimeoutMs 60 s in the harness; use a framework with 10 s here.
    const fw = h.subscribe('scheduler-c', { failoverTimeoutMs: 10_000 });
    h.launch('scheduler-c', fw, agentId, ['c-1']);
    h.clear();
    const silentFromMs = h.ctx.nowMs;
    h.ctx.advance(3_000);
    assert.ok(h.ctx.eventsOfType('framework.disconnected').some((e) => e.frameworkId === fw));
    const disconnectedAtMs = silentFromMs + 3_000;
    if (resubscribeAtMs !== null) {
      h.ctx.advance(resubscribeAtMs - 3_000);
      assert.equal(h.subscribe('scheduler-c2', { frameworkId: fw }), fw);
      assert.equal(h.master.inspect().frameworks.get(fw)?.state, 'active');
      assert.deepEqual(h.allocator.argsOf('activateFramework'), [[fw]]);
    }
    h.ctx.advance(disconnectedAtMs + 10_000 - h.ctx.nowMs);
    const removedEvents = h.ctx.eventsOfType('framework.removed').filter((e) => e.frameworkId === fw);
    const shutdowns = h.ctx.sentOfType('master.shutdown_framework').filter((s) => s.message.frameworkId === fw);
    if (removed) {
      assert.deepEqual(removedEvents, [{ type: 'framework.removed', frameworkId: fw, reason: 'failover timeout', epoch: 1 }]);
      assert.deepEqual(shutdowns.map((s) => s.to), ['agent-1']);
      assert.deepEqual(
        h.ctx.eventsOfType('task.updated').filter((e) => e.taskId === 'c-1'),
        [{ type: 'task.updated', taskId: 'c-1', frameworkId: fw, agentId, state: 'TASK_KILLED', reason: 'REASON_FRAMEWORK_REMOVED', source: 'SOURCE_MASTER', message: 'framework removed: failover timeout' }],
      );
      assert.deepEqual(h.allocator.argsOf('recoverResources').at(-1), [fw, agentId, TASK_RESOURCES, 0, h.ctx.nowMs]);
      assert.deepEqual(h.allocator.argsOf('removeFramework'), [[fw]]);
      const view = h.master.inspect();
      assert.equal(view.frameworks.has(fw), false);
      assert.equal(view.tasks.has('c-1'), false);
      assert.deepEqual(view.completedFrameworks, [fw]);
      assert.ok(view.tasks.has('pa-1'), 'other frameworks keep their tasks');
    } else {
      assert.deepEqual(removedEvents, []);
      assert.deepEqual(shutdowns, []);
      // Silent again since, it is disconnected anew, with a fresh failover timer: not removed at the old deadline.
      assert.equal(h.master.inspect().frameworks.get(fw)?.node, 'scheduler-c2');
      assert.equal(h.master.inspect().tasks.get('c-1')?.state, 'TASK_STAGING');
    }
    assert.ok(h.master.inspect().frameworks.has(pa));
  });
}

test('failover to a new scheduler node while connected: the old node hears master.error, offers are rescinded, events say resubscribed', () => {
  const h = new Harness();
  const agentId = h.registerAgent('agent-1');
  const fw = h.subscribe('scheduler-a');
  const offer = h.offer(fw, agentId);
  h.clear();
  assert.equal(h.subscribe('scheduler-a2', { frameworkId: fw, name: 'renamed' }), fw);
  assert.deepEqual(h.ctx.sentOfType('master.error'), [{ to: 'scheduler-a', message: { type: 'master.error', epoch: 1, message: `framework ${fw} failed over to scheduler-a2` } }]);
  assert.deepEqual(h.ctx.eventsOfType('offer.rescinded').map((e) => [e.offerId, e.reason]), [[offer.offerId, 'framework resubscribed']]);
  assert.deepEqual(h.ctx.eventsOfType('framework.resubscribed'), [{ type: 'framework.resubscribed', frameworkId: fw, name: 'renamed', node: 'scheduler-a2', epoch: 1 }]);
  assert.equal(h.ctx.eventsOfType('framework.subscribed').length, 0);
  // Calls from the old node are refused; from the new one accepted.
  h.clear();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.revive', frameworkId: fw });
  h.ctx.deliver('scheduler-a2', { type: 'scheduler.revive', frameworkId: fw });
  assert.deepEqual(h.ctx.sent, [{ to: 'scheduler-a', message: { type: 'master.error', epoch: 1, message: `framework ${fw} is subscribed from scheduler-a2` } }]);
  assert.deepEqual(h.allocator.argsOf('revive'), [[fw]]);
});

test('subscribe with an id the master does not know re-admits it under that id (frameworks coming back after a master failover)', () => {
  const h = new Harness();
  const fw = h.subscribe('scheduler-a', { frameworkId: 'feedbeef-0003', partitionAware: true });
  assert.equal(fw, 'feedbeef-0003');
  assert.equal(h.ctx.eventsOfType('framework.subscribed')[0]?.frameworkId, 'feedbeef-0003');
  assert.deepEqual(h.allocator.argsOf('addFramework'), [['feedbeef-0003', ['*']]]);
  assert.equal(h.subscribe('scheduler-b'), `${h.masterId}-0000`, 'minting is not disturbed');
});

test('explicit teardown: tasks killed, framework removed; its id cannot subscribe again', () => {
  const { h, agentId, pa } = clusterWithRunningTasks();
  h.ctx.deliver('scheduler-pa', { type: 'scheduler.teardown', frameworkId: pa });
  assert.deepEqual(h.ctx.eventsOfType('framework.removed'), [{ type: 'framework.removed', frameworkId: pa, reason: 'teardown', epoch: 1 }]);
  assert.deepEqual(h.ctx.sentOfType('master.shutdown_framework'), [{ to: 'agent-1', message: { type: 'master.shutdown_framework', epoch: 1, frameworkId: pa } }]);
  assert.equal(h.ctx.eventsOfType('task.updated')[0]?.state, 'TASK_KILLED');
  assert.equal(h.updatesTo('scheduler-pa').length, 0, 'a framework being removed is not sent updates');
  assert.deepEqual(h.allocator.argsOf('recoverResources'), [[pa, agentId, TASK_RESOURCES, 0, h.ctx.nowMs]]);
  h.clear();
  h.ctx.deliver('scheduler-pa', {
    type: 'scheduler.subscribe',
    framework: { frameworkId: pa, name: 'x', roles: [], capabilities: { partitionAware: true }, failoverTimeoutMs: 0 },
  });
  assert.deepEqual(h.ctx.sent, [{ to: 'scheduler-pa', message: { type: 'master.error', epoch: 1, message: `framework ${pa} has been removed` } }]);
});

test('failoverTimeoutMs 0 (the Mesos default): torn down as soon as it disconnects', () => {
  const h = new Harness({ timing: HEARTBEATS });
  const fw = h.subscribe('scheduler-a', { failoverTimeoutMs: 0 });
  h.ctx.advance(3_000);
  assert.deepEqual(h.ctx.eventsOfType('framework.removed').map((e) => [e.frameworkId, e.reason]), [[fw, 'failover timeout']]);
});

test('calls for an unknown framework are dropped (it may not have resubscribed after a failover), never a throw', () => {
  const h = new Harness();
  h.clear();
  for (const message of [
    { type: 'scheduler.heartbeat', frameworkId: 'nope' },
    { type: 'scheduler.accept', frameworkId: 'nope', offerIds: ['o'], operations: [] },
    { type: 'scheduler.kill', frameworkId: 'nope', taskId: 't' },
  ] as const) {
    h.ctx.deliver('scheduler-z', message);
  }
  assert.deepEqual(h.ctx.sent, []);
  assert.deepEqual(h.allocator.calls, []);
});

test('calls for a removed framework get the fatal master.error', () => {
  const h = new Harness();
  const fw = h.subscribe('scheduler-a');
  h.ctx.deliver('scheduler-a', { type: 'scheduler.teardown', frameworkId: fw });
  h.clear();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.heartbeat', frameworkId: fw });
  assert.deepEqual(h.ctx.sent, [{ to: 'scheduler-a', message: { type: 'master.error', epoch: 1, message: `framework ${fw} has been removed` } }]);
});

test('the completed-framework list is bounded', () => {
  const h = new Harness({ maxCompletedFrameworks: 2 });
  const ids = ['s1', 's2', 's3'].map((node) => h.subscribe(node));
  for (const [i, id] of ids.entries()) h.ctx.deliver(`s${i + 1}`, { type: 'scheduler.teardown', frameworkId: id });
  assert.deepEqual(h.master.inspect().completedFrameworks, ids.slice(1));
});
