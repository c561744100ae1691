import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDrfAllocator } from '../../../src/core/allocator/drf.js';
import { createMaster } from '../../../src/core/master/index.js';
import type { Offer } from '../../../src/core/messages.js';
import { resources } from '../../../src/core/resources.js';
import { FakeContext } from '../../helpers/fake-context.js';
import { MASTER, taskInfo, testTiming } from './harness.js';

/** The master driving the real weighted-DRF allocator: offers follow launches, declines and terminal tasks. */
test('with the DRF allocator: unused resources come back, a finished task frees its resources for the next offer', () => {
  const ctx = new FakeContext(MASTER, 3);
  const master = createMaster(ctx, { timing: testTiming(), allocator: createDrfAllocator() });
  ctx.actor = master;
  master.start();
  ctx.deliver('agent-1', { type: 'agent.register', host: 'agent-1', resources: resources({ cpus: 4, mem: 4096 }), attributes: {} });
  const agentId = ctx.sentOfType('master.agent_registered')[0]?.message.agentId ?? '';
  ctx.deliver('scheduler-a', {
    type: 'scheduler.subscribe',
    framework: { name: 'a', roles: ['*'], capabilities: { partitionAware: true }, failoverTimeoutMs: 60_000 },
  });
  const fw = ctx.sentOfType('master.subscribed')[0]?.message.frameworkId ?? '';
  const offersNow = (): Offer[] => {
    const before = ctx.sentOfType('master.offers').length;
    ctx.deliver('scheduler-a', { type: 'scheduler.heartbeat', frameworkId: fw });
    ctx.advance(1_000);
    return ctx.sentOfType('master.offers').slice(before).flatMap((s) => s.message.offers);
  };

  const [first] = offersNow();
  assert.deepEqual(first?.resources, resources({ cpus: 4, mem: 4096 }));
  ctx.deliver('scheduler-a', {
    type: 'scheduler.accept',
    frameworkId: fw,
    offerIds: [first?.offerId ?? ''],
    operations: [{ type: 'LAUNCH', tasks: [taskInfo('t1', agentId, { resources: resources({ cpus: 3, mem: 1024 }) })] }],
    refuseMs: 0,
  });
  const [rest] = offersNow();
  assert.deepEqual(rest?.resources, resources({ cpus: 1, mem: 3072 }), 'the unused part is offered again at once with refuseMs 0');

  ctx.deliver('scheduler-a', { type: 'scheduler.decline', frameworkId: fw, offerIds: [rest?.offerId ?? ''], refuseMs: 3_000 });
  assert.deepEqual(offersNow(), [], 'filtered for 3 s');
  ctx.deliver('agent-1', {
    type: 'agent.status_update',
    agentId,
    update: {
      frameworkId: fw,
      status: { taskId: 't1', frameworkId: fw, agentId, state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', uuid: 'u1', timestampMs: ctx.nowMs },
      latestState: 'TASK_FINISHED',
    },
  });
  assert.deepEqual(
    offersNow().map((o) => o.resources),
    [resources({ cpus: 4, mem: 4096 })],
    'the finished task freed its resources: the whole agent is more than the filter covers (Mesos filters cover only what was refused)',
  );
});

test('HierarchicalAllocatorTest.SmallOfferFilterTimeout: a decline filter shorter than the allocation interval still holds for the next cycle', () => {
  const ctx = new FakeContext(MASTER, 3);
  const master = createMaster(ctx, { timing: testTiming({ allocationIntervalMs: 1_000 }), allocator: createDrfAllocator() });
  ctx.actor = master;
  master.start();
  ctx.deliver('agent-1', { type: 'agent.register', host: 'agent-1', resources: resources({ cpus: 4, mem: 4096 }), attributes: {} });
  ctx.deliver('scheduler-a', {
    type: 'scheduler.subscribe',
    framework: { name: 'a', roles: ['*'], capabilities: { partitionAware: true }, failoverTimeoutMs: 60_000 },
  });
  const fw = ctx.sentOfType('master.subscribed')[0]?.message.frameworkId ?? '';
  const offersAt = (advanceMs: number): Offer[] => {
    const before = ctx.sentOfType('master.offers').length;
    ctx.deliver('scheduler-a', { type: 'scheduler.heartbeat', frameworkId: fw });
    ctx.advance(advanceMs);
    return ctx.sentOfType('master.offers').slice(before).flatMap((s) => s.message.offers);
  };
  const [offer] = offersAt(1_000); // the cycle at 1000
  assert.ok(offer);
  // Declined at the instant of the cycle with a 100 ms filter: the next cycle, at 2000, must not offer it again.
  ctx.deliver('scheduler-a', { type: 'scheduler.decline', frameworkId: fw, offerIds: [offer.offerId], refuseMs: 100 });
  assert.equal(ctx.eventsOfType('offer.declined')[0]?.refuseMs, 1_001, 'the filter lasts one allocation interval (plus the cycle instant)');
  assert.deepEqual(offersAt(1_000), [], 'the cycle at 2000 honours the filter');
  assert.equal(offersAt(1_000).length, 1, 'the cycle at 3000 offers it again');
});
