import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskInfo } from '../../../src/core/messages.js';
import { resources } from '../../../src/core/resources.js';
import { AGENT_RESOURCES, Harness, TASK_RESOURCES, taskInfo } from './harness.js';

/** A master with two agents and two frameworks. */
function twoByTwo() {
  const h = new Harness();
  const a1 = h.registerAgent('agent-1');
  const a2 = h.registerAgent('agent-2');
  const fa = h.subscribe('scheduler-a', { partitionAware: true });
  const fb = h.subscribe('scheduler-b', { partitionAware: false });
  h.clear();
  return { h, a1, a2, fa, fb };
}

test('allocation: each grant is one offer (offer.created); one master.offers per framework per cycle', () => {
  const { h, a1, a2, fa, fb } = twoByTwo();
  h.allocator.grants.push(
    { frameworkId: fa, agentId: a1, role: '*', resources: AGENT_RESOURCES },
    { frameworkId: fb, agentId: a2, role: 'batch', resources: TASK_RESOURCES },
    { frameworkId: fa, agentId: a2, role: '*', resources: TASK_RESOURCES },
  );
  h.nextCycle();
  const m = h.masterId;
  assert.deepEqual(h.ctx.eventsOfType('offer.created'), [
    { type: 'offer.created', offerId: `${m}-O0`, frameworkId: fa, agentId: a1, resources: AGENT_RESOURCES },
    { type: 'offer.created', offerId: `${m}-O1`, frameworkId: fb, agentId: a2, resources: TASK_RESOURCES },
    { type: 'offer.created', offerId: `${m}-O2`, frameworkId: fa, agentId: a2, resources: TASK_RESOURCES },
  ]);
  const batches = h.ctx.sentOfType('master.offers');
  assert.deepEqual(batches.map((b) => [b.to, b.message.epoch, b.message.offers.map((o) => o.offerId)]), [
    ['scheduler-a', 1, [`${m}-O0`, `${m}-O2`]],
    ['scheduler-b', 1, [`${m}-O1`]],
  ]);
  assert.deepEqual(batches[1]?.message.offers[0], { offerId: `${m}-O1`, frameworkId: fb, agentId: a2, host: 'agent-2', role: 'batch', resources: TASK_RESOURCES, attributes: {} });
  assert.deepEqual(h.allocator.argsOf('allocate'), [[h.ctx.nowMs]]);
});

test('a grant for an unknown framework or agent is handed straight back, never offered', () => {
  const { h, a1, fa } = twoByTwo();
  h.allocator.grants.push({ frameworkId: 'ghost', agentId: a1, role: '*', resources: TASK_RESOURCES }, { frameworkId: fa, agentId: 'ghost-S9', role: '*', resources: TASK_RESOURCES });
  h.nextCycle();
  assert.equal(h.ctx.eventsOfType('offer.created').length, 0);
  assert.equal(h.ctx.sentOfType('master.offers').length, 0);
  assert.deepEqual(h.allocator.argsOf('recoverResources').map((a) => [a[0], a[1]]), [
    ['ghost', a1],
    [fa, 'ghost-S9'],
  ]);
});

test('accept with LAUNCH: offer.accepted, task.launched, task.updated STAGING, master.run_task; the unused part declined with the default filter', () => {
  const { h, a1, fa } = twoByTwo();
  const offer = h.offer(fa, a1);
  h.clear();
  const t1 = taskInfo('t1', a1);
  h.accept('scheduler-a', fa, [offer.offerId], [t1]);
  assert.deepEqual(h.ctx.events, [
    { type: 'offer.accepted', offerId: offer.offerId, frameworkId: fa, taskIds: ['t1'] },
    { type: 'task.launched', taskId: 't1', frameworkId: fa, agentId: a1, name: t1.name, resources: TASK_RESOURCES, labels: {}, epoch: 1 },
    { type: 'task.updated', taskId: 't1', frameworkId: fa, agentId: a1, state: 'TASK_STAGING', reason: null, source: 'SOURCE_MASTER', message: null },
    { type: 'offer.filtered', frameworkId: fa, agentId: a1, resources: resources({ cpus: 3, mem: 3968, disk: 1000 }), refuseMs: 5_000 },
  ]);
  assert.deepEqual(h.ctx.sent, [
    {
      to: 'agent-1',
      message: { type: 'master.run_task', epoch: 1, framework: { frameworkId: fa, name: 'scheduler-a', schedulerNode: 'scheduler-a', partitionAware: true }, task: t1 },
    },
  ]);
  assert.deepEqual(h.allocator.argsOf('recoverResources'), [[fa, a1, resources({ cpus: 3, mem: 3968, disk: 1000 }), 5_000, h.ctx.nowMs]]);
  const view = h.master.inspect();
  assert.equal(view.offers.size, 0);
  assert.deepEqual(view.tasks.get('t1'), { taskId: 't1', frameworkId: fa, agentId: a1, state: 'TASK_STAGING', holdsResources: true });
  assert.deepEqual(view.agents.get(a1)?.taskIds, ['t1']);
  assert.deepEqual(view.frameworks.get(fa)?.taskIds, ['t1']);
});

for (const { refuseMs, filterMs } of [
  { refuseMs: 120_000, filterMs: 120_000 },
  { refuseMs: 0, filterMs: 0 },
  { refuseMs: -1, filterMs: 5_000 },
  { refuseMs: 10 * 365 * 24 * 3600 * 1000, filterMs: 365 * 24 * 3600 * 1000 },
]) {
  test(`accept with refuseMs ${refuseMs}: the unused part is filtered for ${filterMs} ms`, () => {
    const { h, a1, fa } = twoByTwo();
    const offer = h.offer(fa, a1);
    h.clear();
    h.accept('scheduler-a', fa, [offer.offerId], [taskInfo('t1', a1)], refuseMs);
    assert.deepEqual(h.allocator.argsOf('recoverResources').map((a) => a[3]), [filterMs]);
  });
}

test('accept that uses everything recovers nothing', () => {
  const { h, a1, fa } = twoByTwo();
  const offer = h.offer(fa, a1, TASK_RESOURCES);
  h.clear();
  h.accept('scheduler-a', fa, [offer.offerId], [taskInfo('t1', a1)]);
  assert.deepEqual(h.allocator.argsOf('recoverResources'), []);
});

test('accept over two offers of one agent: the tasks may use their sum', () => {
  const { h, a1, fa } = twoByTwo();
  const o1 = h.offer(fa, a1, TASK_RESOURCES);
  const o2 = h.offer(fa, a1, TASK_RESOURCES);
  h.clear();
  h.accept('scheduler-a', fa, [o1.offerId, o2.offerId], [taskInfo('t1', a1, { resources: resources({ cpus: 2, mem: 256 }) })]);
  assert.equal(h.master.inspect().tasks.get('t1')?.state, 'TASK_STAGING');
  assert.deepEqual(h.ctx.eventsOfType('offer.accepted').map((e) => e.offerId), [o1.offerId, o2.offerId]);
});

/** Each case: the task to launch (on agent a1 of an offer holding cpus 4, mem 4096, disk 1000) and the message of its TASK_ERROR. */
const INVALID: ReadonlyArray<{ name: string; task: (a1: string) => TaskInfo; message: (a1: string) => string }> = [
  { name: 'missing id', task: (a1) => taskInfo('', a1), message: () => 'taskId: missing' },
  { name: 'another task under a running task’s id', task: (a1) => taskInfo('running', a1, { name: 'other' }), message: () => 'taskId: "running" is already in use' },
  { name: 'duplicate within the accept', task: (a1) => taskInfo('first', a1), message: () => 'taskId: "first" is already in use' },
  { name: 'missing name', task: (a1) => taskInfo('t', a1, { name: '' }), message: () => 'name: missing' },
  { name: 'empty resources', task: (a1) => taskInfo('t', a1, { resources: resources() }), message: () => 'resources: empty' },
  {
    name: 'more than the offers hold',
    task: (a1) => taskInfo('t', a1, { resources: resources({ cpus: 4, mem: 64 }) }),
    message: () => 'resources: needs cpus:4;mem:64, the offers have cpus:3;mem:3968;disk:1000 left',
  },
  { name: 'agent mismatch', task: () => taskInfo('t', 'other-S1'), message: (a1) => `agentId: "other-S1" is not the offers' agent "${a1}"` },
];

for (const { partitionAware, node } of [
  { partitionAware: true, node: 'scheduler-a' },
  { partitionAware: false, node: 'scheduler-b' },
]) {
  for (const c of INVALID) {
    test(`launch validation (${partitionAware ? 'partition-aware' : 'legacy'}): ${c.name} -> TASK_ERROR / REASON_TASK_INVALID naming the field`, () => {
      const { h, a1, fa, fb } = twoByTwo();
      const fw = partitionAware ? fa : fb;
      h.launch(node, fw, a1, ['running']);
      const offer = h.offer(fw, a1);
      h.clear();
      const bad = c.task(a1);
      h.accept(node, fw, [offer.offerId], [taskInfo('first', a1), bad]);
      const errors = h.updatesTo(node);
      assert.deepEqual(errors, [
        { taskId: bad.taskId, frameworkId: fw, agentId: bad.agentId, state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID', source: 'SOURCE_MASTER', message: c.message(a1), timestampMs: h.ctx.nowMs },
      ]);
      assert.deepEqual(
        h.ctx.eventsOfType('task.updated').filter((e) => e.state === 'TASK_ERROR'),
        [{ type: 'task.updated', taskId: bad.taskId, frameworkId: fw, agentId: bad.agentId, state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID', source: 'SOURCE_MASTER', message: c.message(a1) }],
      );
      // The valid task still launches; the invalid one never reaches the agent or the tables.
      assert.deepEqual(h.ctx.sentOfType('master.run_task').map((s) => s.message.task.taskId), ['first']);
      assert.deepEqual(h.ctx.eventsOfType('offer.accepted')[0]?.taskIds, ['first']);
      assert.equal(h.master.inspect().tasks.size, 2);
    });
  }
}

test('the same launch seen again (a duplicated ACCEPT) is ignored: the running task is untouched, no TASK_ERROR or TASK_DROPPED', () => {
  const { h, a1, fa } = twoByTwo();
  h.launch('scheduler-a', fa, a1, ['running']);
  h.statusUpdate('agent-1', a1, fa, 'running', 'TASK_RUNNING');
  const offer = h.offer(fa, a1);
  h.clear();
  h.accept('scheduler-a', fa, [offer.offerId], [taskInfo('running', a1)]);
  assert.deepEqual(h.updatesTo('scheduler-a'), []);
  assert.equal(h.ctx.sentOfType('master.run_task').length, 0);
  assert.equal(h.master.inspect().tasks.get('running')?.state, 'TASK_RUNNING');
  // And again with the offer already used up (the accept's first copy consumed it): still nothing.
  h.accept('scheduler-a', fa, [offer.offerId], [taskInfo('running', a1)]);
  assert.deepEqual(h.updatesTo('scheduler-a'), []);
});

for (const { partitionAware, node, state } of [
  { partitionAware: true, node: 'scheduler-a', state: 'TASK_DROPPED' },
  { partitionAware: false, node: 'scheduler-b', state: 'TASK_LOST' },
] as const) {
  const cases: ReadonlyArray<{ name: string; offerIds: (h: Harness, ids: { stale: string; good: string; other: string; foreign: string }) => string[]; message: (ids: { stale: string; good: string; other: string; foreign: string }) => string }> = [
    { name: 'an unknown offer id', offerIds: () => ['nope-O1'], message: () => 'offer nope-O1 is not outstanding for this framework' },
    { name: 'a stale (declined) offer', offerIds: (_h, ids) => [ids.stale], message: (ids) => `offer ${ids.stale} is not outstanding for this framework` },
    { name: "another framework's offer", offerIds: (_h, ids) => [ids.foreign], message: (ids) => `offer ${ids.foreign} is not outstanding for this framework` },
    { name: 'offers on two agents', offerIds: (_h, ids) => [ids.good, ids.other], message: (ids) => `offers ${ids.good} and ${ids.other} are on different agents` },
    { name: 'no offers', offerIds: () => [], message: () => 'no offers named' },
  ];
  for (const c of cases) {
    test(`invalid offers (${partitionAware ? 'partition-aware' : 'legacy'}): ${c.name} -> ${state} / REASON_INVALID_OFFERS; valid offers go back unfiltered`, () => {
      const { h, a1, a2, fa, fb } = twoByTwo();
      const fw = partitionAware ? fa : fb;
      const otherFw = partitionAware ? fb : fa;
      const stale = h.offer(fw, a1, TASK_RESOURCES).offerId;
      h.ctx.deliver(node, { type: 'scheduler.decline', frameworkId: fw, offerIds: [stale] });
      const good = h.offer(fw, a1).offerId;
      const other = h.offer(fw, a2).offerId;
      const foreign = h.offer(otherFw, a1).offerId;
      const ids = { stale, good, other, foreign };
      h.clear();
      const named = c.offerIds(h, ids);
      h.accept(node, fw, named, [taskInfo('t1', a1)]);
      assert.deepEqual(h.updatesTo(node), [
        { taskId: 't1', frameworkId: fw, agentId: a1, state, reason: 'REASON_INVALID_OFFERS', source: 'SOURCE_MASTER', message: c.message(ids), timestampMs: h.ctx.nowMs },
      ]);
      assert.equal(h.ctx.sentOfType('master.run_task').length, 0);
      assert.equal(h.master.inspect().tasks.size, 0);
      const returned = named.filter((id) => id === good || id === other);
      assert.deepEqual(h.ctx.eventsOfType('offer.declined').map((e) => [e.offerId, e.refuseMs]), returned.map((id) => [id, 0]));
      assert.deepEqual(h.allocator.argsOf('recoverResources').map((a) => a[3]), returned.map(() => 0));
      assert.ok(h.master.inspect().offers.has(foreign), "another framework's offer is untouched");
    });
  }
}

test('decline: each outstanding offer back with its filter (default 5 s); unknown ids ignored', () => {
  const { h, a1, a2, fa } = twoByTwo();
  const o1 = h.offer(fa, a1);
  const o2 = h.offer(fa, a2);
  h.clear();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.decline', frameworkId: fa, offerIds: [o1.offerId, 'nope'] });
  h.ctx.deliver('scheduler-a', { type: 'scheduler.decline', frameworkId: fa, offerIds: [o2.offerId], refuseMs: 30_000 });
  assert.deepEqual(h.ctx.eventsOfType('offer.declined'), [
    { type: 'offer.declined', offerId: o1.offerId, frameworkId: fa, refuseMs: 5_000 },
    { type: 'offer.declined', offerId: o2.offerId, frameworkId: fa, refuseMs: 30_000 },
  ]);
  assert.deepEqual(h.allocator.argsOf('recoverResources'), [
    [fa, a1, AGENT_RESOURCES, 5_000, h.ctx.nowMs],
    [fa, a2, AGENT_RESOURCES, 30_000, h.ctx.nowMs],
  ]);
  assert.equal(h.master.inspect().offers.size, 0);
});

test('suppress and revive go to the allocator', () => {
  const { h, fa } = twoByTwo();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.suppress', frameworkId: fa });
  h.ctx.deliver('scheduler-a', { type: 'scheduler.revive', frameworkId: fa, roles: ['*'] });
  assert.deepEqual(h.allocator.calls.map((c) => [c.method, ...c.args]), [
    ['suppress', fa],
    ['revive', fa],
  ]);
});

test('REVIVE leaves outstanding offers alone (Mesos Master::revive): an ACCEPT that crossed it on the wire still launches', () => {
  const { h, a1, fa } = twoByTwo();
  const offer = h.offer(fa, a1);
  h.clear();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.revive', frameworkId: fa });
  assert.deepEqual(h.ctx.eventsOfType('offer.rescinded'), []);
  assert.deepEqual(h.ctx.sentOfType('master.rescind'), []);
  assert.deepEqual(h.allocator.calls.map((c) => c.method), ['revive']);
  h.accept('scheduler-a', fa, [offer.offerId], [taskInfo('t1', a1)]);
  assert.deepEqual(h.ctx.eventsOfType('task.updated').map((e) => [e.taskId, e.state, e.reason]), [['t1', 'TASK_STAGING', null]]);
  assert.equal(h.ctx.sentOfType('master.run_task').length, 1);
});

test('an offer unanswered for offerTimeoutMs is rescinded at the next allocation cycle (Mesos --offer_timeout): a lost offer comes back', () => {
  const { h, a1, a2, fa } = twoByTwo();
  const lost = h.offer(fa, a1);
  h.ctx.advance(h.timing.offerTimeoutMs - 3_000); // the next offer is made 2 s before the first one times out
  const young = h.offer(fa, a2);
  h.clear();
  h.nextCycle();
  assert.deepEqual(h.ctx.eventsOfType('offer.rescinded'), [], 'not before its timeout');
  h.nextCycle();
  assert.deepEqual(h.ctx.eventsOfType('offer.rescinded').map((e) => e.offerId), [lost.offerId]);
  assert.deepEqual(h.ctx.sentOfType('master.rescind').map((s) => [s.to, s.message.offerId]), [['scheduler-a', lost.offerId]]);
  assert.deepEqual(h.allocator.argsOf('recoverResources').map((a) => [a[1], a[3]]), [[a1, 0]], 'back unfiltered');
  assert.deepEqual([...h.master.inspect().offers.keys()], [young.offerId]);
});

test('offerTimeoutMs 0: offers never time out', () => {
  const h = new Harness({ timing: { offerTimeoutMs: 0 } });
  const a1 = h.registerAgent('agent-1');
  const fa = h.subscribe('scheduler-a');
  const offer = h.offer(fa, a1);
  for (let i = 0; i < 100; i += 1) h.nextCycle();
  assert.deepEqual([...h.master.inspect().offers.keys()], [offer.offerId]);
});
