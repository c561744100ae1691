import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInMemoryRegistry, type Registry } from '../../../src/core/master/index.js';
import type { Message } from '../../../src/core/messages.js';
import { Harness, MASTER, clusterWithRunningTasks, taskInfo } from './harness.js';

test('a static master leads from start() at epoch 1 with a hex master id, and allocates every interval', () => {
  const h = new Harness();
  const elected = h.ctx.eventsOfType('master.elected');
  assert.equal(elected.length, 1);
  assert.equal(elected[0]?.node, MASTER);
  assert.equal(elected[0]?.epoch, 1);
  assert.match(elected[0]?.masterId ?? '', /^[0-9a-f]{8}$/);
  assert.equal(h.master.inspect().leading, true);
  assert.equal(h.ctx.eventsOfType('master.recovered').length, 0, 'an empty registry recovers nothing');
  h.ctx.advance(3_000);
  assert.deepEqual(h.allocator.argsOf('allocate'), [[1_000], [2_000], [3_000]]);
});

test('the same seed gives the same master id', () => {
  assert.equal(new Harness().masterId, new Harness().masterId);
});

test('role weights go to the allocator when leadership starts', () => {
  const h = new Harness({ weights: { web: 2, batch: 0.5 } });
  assert.deepEqual(h.allocator.argsOf('setWeight'), [
    ['web', 2],
    ['batch', 0.5],
  ]);
});

test('an external-leadership master waits for becomeLeader and ignores messages until then', () => {
  const h = new Harness({ leadership: 'external' });
  assert.equal(h.master.inspect().leading, false);
  h.ctx.deliver('agent-1', { type: 'agent.register', host: 'agent-1', resources: taskInfo('x', 'a').resources, attributes: {} });
  assert.deepEqual(h.ctx.sent, []);
  assert.deepEqual(h.ctx.timers.size, 0);
  h.master.becomeLeader(7);
  assert.equal(h.ctx.eventsOfType('master.elected')[0]?.epoch, 7);
  const agentId = h.registerAgent('agent-1');
  const registered = h.ctx.sentOfType('master.agent_registered')[0]?.message;
  assert.equal(registered?.epoch, 7);
  assert.equal(agentId, `${h.masterId}-S0`);
});

test('stepDown emits master.deposed, cancels every timer, forgets memory and ignores what follows', () => {
  const { h } = clusterWithRunningTasks();
  assert.ok(h.ctx.timers.size > 0);
  h.master.stepDown('lost session');
  assert.deepEqual(h.ctx.eventsOfType('master.deposed'), [{ type: 'master.deposed', node: MASTER, epoch: 1, reason: 'lost session' }]);
  assert.equal(h.ctx.timers.size, 0);
  const view = h.master.inspect();
  assert.equal(view.leading, false);
  assert.equal(view.agents.size + view.frameworks.size + view.tasks.size + view.offers.size, 0);
  h.clear();
  h.ctx.deliver('scheduler-pa', { type: 'scheduler.reconcile', frameworkId: 'x', tasks: [] });
  h.ctx.advance(10_000);
  assert.deepEqual(h.ctx.sent, []);
  assert.deepEqual(h.allocator.calls, []);
});

test('a failed registry write makes the master step down (fail fast) and act on nothing', () => {
  const inner = createInMemoryRegistry();
  const failing: Registry = {
    recover: (done) => inner.recover(done),
    agent: (id) => inner.agent(id),
    write: (_ops, done) => done({ ok: false, reason: 'quorum lost' }),
  };
  const h = new Harness({ registry: failing });
  h.ctx.deliver('agent-1', { type: 'agent.register', host: 'agent-1', resources: taskInfo('x', 'a').resources, attributes: {} });
  assert.equal(h.ctx.sentOfType('master.agent_registered').length, 0);
  assert.equal(h.ctx.eventsOfType('agent.registered').length, 0);
  assert.deepEqual(
    h.ctx.eventsOfType('master.deposed').map((e) => e.reason),
    ['registry admit agent failed: quorum lost'],
  );
  assert.equal(h.master.inspect().leading, false);
});

test('every message the master sends carries its epoch', () => {
  const h = new Harness({ leadership: 'external', timing: { agentPingTimeoutMs: 1_000, heartbeatIntervalMs: 1_000 } });
  h.master.becomeLeader(4);
  const agentId = h.registerAgent('agent-1');
  const fw = h.subscribe('scheduler-a');
  h.launch('scheduler-a', fw, agentId, ['t1']);
  h.statusUpdate('agent-1', agentId, fw, 't1', 'TASK_RUNNING');
  h.ctx.deliver('scheduler-a', { type: 'scheduler.acknowledge', frameworkId: fw, agentId, taskId: 't1', uuid: 'u-t1-TASK_RUNNING' });
  h.ctx.deliver('scheduler-a', { type: 'scheduler.kill', frameworkId: fw, taskId: 't1' });
  h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [] });
  const gone = h.subscribe('scheduler-x');
  h.ctx.deliver('scheduler-x', { type: 'scheduler.teardown', frameworkId: gone });
  h.ctx.deliver('scheduler-x', { type: 'scheduler.heartbeat', frameworkId: gone }); // removed: the fatal ERROR
  h.ctx.advance(2_000);
  h.ctx.deliver('scheduler-a', { type: 'scheduler.heartbeat', frameworkId: fw }); // connected when the agent is marked unreachable
  h.ctx.advance(8_000); // heartbeats, pings, unreachable, failure, disconnect
  const types = new Set(h.ctx.sent.map((s) => s.message.type));
  for (const expected of ['master.agent_registered', 'master.subscribed', 'master.offers', 'master.run_task', 'master.update', 'master.status_update_ack', 'master.kill_task', 'master.error', 'master.heartbeat', 'master.ping', 'master.failure']) {
    assert.ok(types.has(expected as Message['type']), `sent ${expected}`);
  }
  for (const { message } of h.ctx.sent) assert.equal('epoch' in message ? message.epoch : undefined, 4, message.type);
});

test('MasterTest.UnreachableTaskAfterFailover: an agent that does not reregister in time is marked unreachable, every framework hears it is lost, reconciliation says unreachable', () => {
  const registry = createInMemoryRegistry({ agents: [{ agentId: 'old-S1', host: 'agent-8', state: 'admitted', sinceMs: null }], nextAgentNumber: 2 });
  const h = new Harness({ registry, timing: { agentReregisterTimeoutMs: 10_000, recoveryAgentRemovalLimit: 1 } });
  const pa = h.subscribe('scheduler-pa', { partitionAware: true });
  const legacy = h.subscribe('scheduler-legacy', { partitionAware: false });
  h.clear();
  for (let t = 0; t < 10; t += 1) h.nextCycle();
  assert.deepEqual(h.ctx.eventsOfType('agent.unreachable').map((e) => e.agentId), ['old-S1']);
  const markedAtMs = h.ctx.nowMs;
  assert.deepEqual(
    h.ctx.sentOfType('master.failure').map((s) => [s.to, s.message.agentId]),
    [
      ['scheduler-pa', 'old-S1'],
      ['scheduler-legacy', 'old-S1'],
    ],
  );
  assert.deepEqual(h.ctx.sentOfType('master.update'), [], 'no task updates: this master never knew its tasks');
  for (const [node, fw, state] of [
    ['scheduler-pa', pa, 'TASK_UNREACHABLE'],
    ['scheduler-legacy', legacy, 'TASK_LOST'],
  ] as const) {
    h.ctx.deliver(node, { type: 'scheduler.reconcile', frameworkId: fw, tasks: [{ taskId: 't', agentId: 'old-S1' }] });
    assert.deepEqual(h.updatesTo(node).map((s) => [s.state, s.unreachableTimeMs]), [[state, markedAtMs]]);
  }
});
