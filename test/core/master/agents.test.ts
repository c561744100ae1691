import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInMemoryRegistry } from '../../../src/core/master/index.js';
import { resources } from '../../../src/core/resources.js';
import { AGENT_RESOURCES, DeferredRegistry, Harness, clusterWithRunningTasks } from './harness.js';

const PINGS = { agentPingTimeoutMs: 1_000, maxAgentPingTimeouts: 3 } as const;

test('register: mints <masterId>-S<n>, answers, emits agent.registered, adds to the allocator and pings at once', () => {
  const h = new Harness();
  const a1 = h.registerAgent('agent-1');
  const a2 = h.registerAgent('agent-2', resources({ cpus: 2, mem: 512 }));
  assert.equal(a1, `${h.masterId}-S0`);
  assert.equal(a2, `${h.masterId}-S1`);
  assert.deepEqual(h.ctx.sentOfType('master.agent_registered').map((s) => [s.to, s.message]), [
    ['agent-1', { type: 'master.agent_registered', epoch: 1, masterId: h.masterId, agentId: a1 }],
    ['agent-2', { type: 'master.agent_registered', epoch: 1, masterId: h.masterId, agentId: a2 }],
  ]);
  assert.deepEqual(h.ctx.eventsOfType('agent.registered')[1], {
    type: 'agent.registered',
    agentId: a2,
    host: 'agent-2',
    resources: resources({ cpus: 2, mem: 512 }),
    attributes: {},
    epoch: 1,
  });
  assert.deepEqual(h.allocator.argsOf('addAgent'), [
    [a1, AGENT_RESOURCES, new Map()],
    [a2, resources({ cpus: 2, mem: 512 }), new Map()],
  ]);
  assert.deepEqual(h.ctx.sentOfType('master.ping').map((s) => [s.to, s.message.agentId]), [
    ['agent-1', a1],
    ['agent-2', a2],
  ]);
});

test('register from a node other than the host it names is ignored', () => {
  const h = new Harness();
  h.ctx.deliver('agent-9', { type: 'agent.register', host: 'agent-1', resources: AGENT_RESOURCES, attributes: {} });
  assert.deepEqual(h.ctx.sent, []);
  assert.deepEqual(h.ctx.events.filter((e) => e.type !== 'master.elected'), []);
});

test('registry write first: nothing is announced until the admission is committed; retries meanwhile are ignored', () => {
  const registry = new DeferredRegistry(createInMemoryRegistry());
  const h = new Harness({ registry });
  h.ctx.deliver('agent-1', { type: 'agent.register', host: 'agent-1', resources: AGENT_RESOURCES, attributes: {} });
  h.ctx.deliver('agent-1', { type: 'agent.register', host: 'agent-1', resources: AGENT_RESOURCES, attributes: {} });
  assert.equal(registry.pending.length, 1, 'one admission in flight');
  assert.deepEqual(h.ctx.sent, []);
  assert.equal(h.ctx.eventsOfType('agent.registered').length, 0);
  assert.equal(h.allocator.argsOf('addAgent').length, 0);
  registry.release();
  assert.equal(h.ctx.sentOfType('master.agent_registered').length, 1);
  assert.equal(h.ctx.eventsOfType('agent.registered').length, 1);
  assert.equal(registry.agent(`${h.masterId}-S0`)?.state, 'admitted');
});

test('pings: a pong clears the misses; maxAgentPingTimeouts misses in a row mark the agent unreachable', () => {
  const h = new Harness({ timing: PINGS });
  const agentId = h.registerAgent('agent-1');
  h.ctx.advance(2_000); // pings at 0, 1000, 2000; two misses so far
  assert.equal(h.master.inspect().agents.get(agentId)?.missedPings, 2);
  h.ctx.deliver('agent-1', { type: 'agent.pong', agentId, epoch: 1 });
  assert.equal(h.master.inspect().agents.get(agentId)?.missedPings, 0);
  h.ctx.advance(3_000); // 3000 answered, 4000 miss 1, 5000 miss 2
  assert.equal(h.ctx.eventsOfType('agent.unreachable').length, 0);
  h.ctx.advance(1_000); // 6000: miss 3
  assert.deepEqual(h.ctx.eventsOfType('agent.unreachable'), [{ type: 'agent.unreachable', agentId, host: 'agent-1', epoch: 1 }]);
  const pingsBefore = h.ctx.sentOfType('master.ping').length;
  h.ctx.advance(10_000);
  assert.equal(h.ctx.sentOfType('master.ping').length, pingsBefore, 'pings stop');
});

test('wall-clock jitter: a round ping that left 1 ms after its round began still counts as missed at the next round (no round lost)', () => {
  const h = new Harness({ timing: PINGS });
  h.ctx.advance(500);
  const agentId = h.registerAgent('agent-1');
  h.ctx.deliver('agent-1', { type: 'agent.pong', agentId, epoch: 1 });
  // On a real clock the round's pings leave a little after the round's own reading of the clock, and the next
  // round's timer may fire a millisecond short of that: each ping then looks 999 ms old to the next round.
  let late = false;
  const send = h.ctx.send.bind(h.ctx);
  h.ctx.send = (to, message) => {
    if (message.type === 'master.ping') late = true;
    send(to, message);
  };
  h.ctx.now = () => {
    if (!late) return h.ctx.nowMs;
    late = false;
    return h.ctx.nowMs + 1;
  };
  h.ctx.advance(500); // round at 1000 pings it (read as 1001)
  h.ctx.advance(3_000); // 2000, 3000, 4000: three misses, as with exact timers
  assert.deepEqual(h.ctx.eventsOfType('agent.unreachable').map((e) => [e.agentId, h.ctx.nowMs]), [[agentId, 4_000]]);
});

test('PartitionTest.PartitionedSlave: a freshly registered agent that never answers is marked unreachable max x timeout after it registered, between rounds too', () => {
  const h = new Harness({ timing: PINGS });
  h.ctx.advance(500);
  const agentId = h.registerAgent('agent-1'); // pinged at 500; the rounds run at 1000, 2000, ...
  h.ctx.advance(500); // round at 1000: the agent is pinged on its own timer, not by the round
  assert.equal(h.ctx.sentOfType('master.ping').length, 1);
  h.ctx.advance(500); // 1500: a whole timeout unanswered: missed once, pinged again
  assert.equal(h.master.inspect().agents.get(agentId)?.missedPings, 1);
  assert.equal(h.ctx.sentOfType('master.ping').length, 2);
  h.ctx.advance(1_999); // 3499: two misses, not yet three
  assert.equal(h.ctx.eventsOfType('agent.unreachable').length, 0);
  h.ctx.advance(1); // 3500 = 500 + 3 x 1000: the third miss, exactly as in steady state
  assert.deepEqual(h.ctx.eventsOfType('agent.unreachable').map((e) => [e.agentId, h.ctx.nowMs]), [[agentId, 3_500]]);
});

test('an agent that answers its first ping joins the rounds: its own timer is gone, a silence is then counted by the rounds', () => {
  const h = new Harness({ timing: PINGS });
  h.ctx.advance(500);
  const agentId = h.registerAgent('agent-1');
  h.ctx.deliver('agent-1', { type: 'agent.pong', agentId, epoch: 1 });
  assert.deepEqual([...h.ctx.timers.keys()].filter((k) => k !== 'allocate').sort(), ['health-check']);
  h.ctx.advance(500); // round at 1000 pings it
  assert.equal(h.ctx.sentOfType('master.ping').length, 2);
  h.ctx.advance(3_000); // 2000, 3000, 4000: three misses
  assert.deepEqual(h.ctx.eventsOfType('agent.unreachable').map((e) => [e.agentId, h.ctx.nowMs]), [[agentId, 4_000]]);
});

test('pongs are matched to their agents in any order (the in-order fast path falls back and resynchronises)', () => {
  const h = new Harness({ timing: PINGS });
  const ids = ['agent-1', 'agent-2', 'agent-3', 'agent-4'].map((host) => h.registerAgent(host));
  h.ctx.advance(2_000); // two rounds unanswered: everyone has missed two
  const pong = (i: number): void => h.ctx.deliver(`agent-${i + 1}`, { type: 'agent.pong', agentId: ids[i] as string, epoch: 1 });
  const missed = (): Array<number | undefined> => ids.map((id) => h.master.inspect().agents.get(id)?.missedPings);
  assert.deepEqual(missed(), [2, 2, 2, 2]);
  pong(2); // out of order
  assert.deepEqual(missed(), [2, 2, 0, 2]);
  pong(3); // in order after agent-3
  pong(0);
  assert.deepEqual(missed(), [0, 2, 0, 0]);
  pong(1);
  pong(1); // a duplicate changes nothing
  assert.deepEqual(missed(), [0, 0, 0, 0]);
});

test('pongs from the wrong node, for another epoch or an unknown agent change nothing', () => {
  const h = new Harness({ timing: PINGS });
  const agentId = h.registerAgent('agent-1');
  h.ctx.advance(1_000);
  h.ctx.deliver('agent-2', { type: 'agent.pong', agentId, epoch: 1 });
  h.ctx.deliver('agent-1', { type: 'agent.pong', agentId, epoch: 0 });
  h.ctx.deliver('agent-1', { type: 'agent.pong', agentId: 'nobody', epoch: 1 });
  assert.equal(h.master.inspect().agents.get(agentId)?.missedPings, 1);
});

for (const { partitionAware, node, taskId, seen } of [
  { partitionAware: true, node: 'scheduler-pa', taskId: 'pa-1', seen: 'TASK_UNREACHABLE' },
  { partitionAware: false, node: 'scheduler-legacy', taskId: 'legacy-1', seen: 'TASK_LOST' },
] as const) {
  // PartitionTest.ReregisterSlaveNotPartitionAware: TASK_LOST carries the unreachable time too.
  test(`unreachable (PartitionTest.ReregisterSlave${partitionAware ? '' : 'Not'}PartitionAware): a ${partitionAware ? 'partition-aware' : 'non-partition-aware'} framework sees ${seen} with REASON_AGENT_REMOVED and unreachable_time`, () => {
    const { h, agentId, pa, legacy } = clusterWithRunningTasks({ timing: PINGS });
    const frameworkId = partitionAware ? pa : legacy;
    // An offer outstanding on the agent, to be rescinded.
    const offer = h.offer(pa, agentId, resources({ cpus: 2 }));
    h.clear();
    h.ctx.advance(3_000);
    const markedAtMs = h.ctx.nowMs;
    assert.equal(h.ctx.eventsOfType('agent.unreachable').length, 1);
    const statuses = h.updatesTo(node);
    assert.equal(statuses.length, 1);
    assert.deepEqual(statuses[0], {
      taskId,
      frameworkId,
      agentId,
      state: seen,
      reason: 'REASON_AGENT_REMOVED',
      source: 'SOURCE_MASTER',
      message: 'the agent is unreachable',
      timestampMs: markedAtMs,
      unreachableTimeMs: markedAtMs,
    });
    assert.equal(statuses[0] && 'uuid' in statuses[0], false, 'no uuid: not to be acknowledged');
    assert.deepEqual(
      h.ctx.eventsOfType('task.updated').filter((e) => e.taskId === taskId),
      [{ type: 'task.updated', taskId, frameworkId, agentId, state: seen, reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER', message: 'the agent is unreachable' }],
    );
    assert.equal(h.master.inspect().tasks.get(taskId)?.state, 'TASK_UNREACHABLE', 'the master keeps the raw state');
    // Every framework hears FAILURE; the offer is rescinded; the agent leaves the allocator.
    assert.deepEqual(h.ctx.sentOfType('master.failure').map((s) => s.to).sort(), ['scheduler-legacy', 'scheduler-pa']);
    assert.deepEqual(h.ctx.eventsOfType('offer.rescinded'), [{ type: 'offer.rescinded', offerId: offer.offerId, frameworkId: pa, reason: 'agent unreachable' }]);
    assert.deepEqual(h.ctx.sentOfType('master.rescind').map((s) => [s.to, s.message.offerId]), [['scheduler-pa', offer.offerId]]);
    assert.deepEqual(h.allocator.argsOf('removeAgent'), [[agentId]]);
    const recoverBeforeRemove = h.allocator.calls.findIndex((c) => c.method === 'recoverResources') < h.allocator.calls.findIndex((c) => c.method === 'removeAgent');
    assert.ok(recoverBeforeRemove, 'offer resources go back before the agent leaves the allocator');
    assert.equal(h.ctx.sentOfType('master.kill_task').length, 0);
  });
}

test('unreachable: registry write first; the tasks change only once it is committed', () => {
  const registry = new DeferredRegistry(createInMemoryRegistry());
  const h = new Harness({ registry, timing: PINGS });
  registry.pending.length = 0;
  const fw = h.subscribe('scheduler-pa');
  h.ctx.deliver('agent-1', { type: 'agent.register', host: 'agent-1', resources: AGENT_RESOURCES, attributes: {} });
  registry.release();
  const agentId = `${h.masterId}-S0`;
  h.launch('scheduler-pa', fw, agentId, ['t1']);
  h.clear();
  h.ctx.advance(3_000); // the ping of 1000 unanswered: misses at 2000, 3000, 4000
  assert.equal(registry.pending.length, 1);
  assert.equal(h.ctx.eventsOfType('agent.unreachable').length, 0);
  assert.equal(h.updatesTo('scheduler-pa').length, 0);
  // While the write is in flight the agent's messages are ignored.
  h.ctx.deliver('agent-1', { type: 'agent.pong', agentId, epoch: 1 });
  h.statusUpdate('agent-1', agentId, fw, 't1', 'TASK_RUNNING');
  assert.equal(h.updatesTo('scheduler-pa').length, 0);
  registry.release();
  assert.equal(h.ctx.eventsOfType('agent.unreachable').length, 1);
  assert.deepEqual(h.updatesTo('scheduler-pa').map((s) => s.state), ['TASK_UNREACHABLE']);
  assert.equal(registry.agent(agentId)?.state, 'unreachable');
});

for (const { partitionAware, node, taskId, seen } of [
  { partitionAware: true, node: 'scheduler-pa', taskId: 'pa-1', seen: 'TASK_GONE' },
  { partitionAware: false, node: 'scheduler-legacy', taskId: 'legacy-1', seen: 'TASK_LOST' },
] as const) {
  test(`host reboot: the old agent is removed, a ${partitionAware ? 'partition-aware' : 'legacy'} framework sees ${seen} / REASON_AGENT_RESTARTED`, () => {
    const { h, agentId, pa, legacy } = clusterWithRunningTasks();
    const frameworkId = partitionAware ? pa : legacy;
    const newId = h.registerAgent('agent-1');
    assert.notEqual(newId, agentId);
    assert.deepEqual(h.ctx.eventsOfType('agent.removed'), [{ type: 'agent.removed', agentId, host: 'agent-1', reason: 'restarted', epoch: 1 }]);
    const statuses = h.updatesTo(node);
    assert.deepEqual(
      statuses.map((s) => [s.taskId, s.frameworkId, s.agentId, s.state, s.reason, s.source, s.uuid]),
      [[taskId, frameworkId, agentId, seen, 'REASON_AGENT_RESTARTED', 'SOURCE_MASTER', undefined]],
    );
    assert.equal(h.ctx.eventsOfType('task.updated').find((e) => e.taskId === taskId)?.state, seen);
    const view = h.master.inspect();
    assert.equal(view.agents.has(agentId), false);
    assert.equal(view.agents.get(newId)?.state, 'registered');
    assert.equal(view.tasks.size, 0, 'both tasks completed');
    assert.deepEqual(view.frameworks.get(frameworkId)?.completedTaskIds, [taskId]);
    // Task resources go back, then the old agent leaves the allocator, then the new one joins.
    assert.deepEqual(
      h.allocator.calls.map((c) => c.method),
      ['recoverResources', 'recoverResources', 'removeAgent', 'addAgent'],
    );
    assert.deepEqual(h.allocator.argsOf('removeAgent'), [[agentId]]);
  });
}

test('a host whose old agent is unreachable registers anew: the old tasks are GONE, not left unreachable', () => {
  const { h, agentId } = clusterWithRunningTasks({ timing: PINGS });
  h.ctx.advance(3_000);
  h.clear();
  const newId = h.registerAgent('agent-1');
  assert.notEqual(newId, agentId);
  assert.deepEqual(h.updatesTo('scheduler-pa').map((s) => [s.state, s.reason]), [['TASK_GONE', 'REASON_AGENT_RESTARTED']]);
  assert.deepEqual(h.allocator.calls.map((c) => c.method), ['addAgent'], 'the unreachable agent had already left the allocator');
});

test('a retried or duplicated register (same boot id) is answered with the same agent id; a new boot id is a reboot', () => {
  const h = new Harness();
  const announce = (bootId: string) => h.ctx.deliver('agent-1', { type: 'agent.register', host: 'agent-1', resources: resources({ cpus: 4, mem: 4096 }), attributes: {}, bootId });
  announce('b1');
  const first = h.ctx.sentOfType('master.agent_registered').at(-1)?.message.agentId;
  assert.ok(first);
  announce('b1');
  assert.equal(h.ctx.sentOfType('master.agent_registered').at(-1)?.message.agentId, first, 'the same id again');
  assert.equal(h.ctx.eventsOfType('agent.removed').length, 0);
  announce('b2');
  assert.equal(h.ctx.eventsOfType('agent.removed').length, 1, 'a new boot: the old agent goes');
  assert.notEqual(h.ctx.sentOfType('master.agent_registered').at(-1)?.message.agentId, first);
});
