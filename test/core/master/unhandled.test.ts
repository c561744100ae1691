import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHaMaster } from '../../../src/core/master/index.js';
import { FakeContext } from '../../helpers/fake-context.js';
import { FakeAllocator, Harness, MASTER, testTiming } from './harness.js';

test('a leading master logs a message type it does not handle, and does nothing else with it', () => {
  const h = new Harness();
  const sent = h.ctx.sent.length;
  const events = h.ctx.events.length;
  h.ctx.deliver('master-2', { type: 'master.heartbeat', epoch: 1 });
  h.ctx.deliver('agent-1', { type: 'executor.status', taskId: 't1', state: 'TASK_RUNNING' });
  assert.deepEqual(h.ctx.events.slice(events), [
    { type: 'master.unhandled', node: MASTER, from: 'master-2', message: 'master.heartbeat' },
    { type: 'master.unhandled', node: MASTER, from: 'agent-1', message: 'executor.status' },
  ]);
  assert.equal(h.ctx.sent.length, sent, 'nothing answered');
  assert.equal(h.master.inspect().leading, true);
});

test('an HA master logs coordinator traffic it does not handle (a request meant for the coordinator)', () => {
  const ctx = new FakeContext(MASTER, 3);
  const master = createHaMaster(ctx, { timing: testTiming(), coordinator: 'coordinator', newAllocator: () => new FakeAllocator() });
  ctx.actor = master;
  master.start();
  ctx.deliver('coordinator', { type: 'coordinator.watch_leader' });
  assert.deepEqual(ctx.eventsOfType('master.unhandled'), [{ type: 'master.unhandled', node: MASTER, from: 'coordinator', message: 'coordinator.watch_leader' }]);
  ctx.deliver('agent-1', { type: 'coordinator.leader', leader: 'agent-1', epoch: 9 });
  assert.equal(ctx.eventsOfType('master.unhandled').length, 1, 'coordinator messages from anyone but the coordinator are not its traffic');
  assert.deepEqual(master.knownLeader(), { leader: null, epoch: 0 });
});
