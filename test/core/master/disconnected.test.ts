import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterProjection } from '../../../src/core/projection.js';
import type { HistoryRecord } from '../../../src/core/events.js';
import { Harness } from './harness.js';

const HEARTBEATS = { heartbeatIntervalMs: 1_000 } as const;

test('scheduler.disconnected: the master disconnects at once with the reason, then tears down after failoverTimeoutMs', () => {
  const h = new Harness({ timing: HEARTBEATS });
  const fw = h.subscribe('scheduler-a', { failoverTimeoutMs: 4_000 });
  h.ctx.advance(500);
  h.ctx.deliver('scheduler-a', { type: 'scheduler.disconnected', frameworkId: fw, reason: 'subscription stream closed' });
  assert.deepEqual(h.ctx.eventsOfType('framework.disconnected'), [{ type: 'framework.disconnected', frameworkId: fw, reason: 'subscription stream closed', epoch: 1 }]);
  assert.equal(h.master.inspect().frameworks.get(fw)?.state, 'disconnected');
  assert.deepEqual(h.allocator.argsOf('deactivateFramework'), [[fw]]);
  // The silence timer no longer disconnects it a second time.
  h.ctx.advance(3_000);
  assert.equal(h.ctx.eventsOfType('framework.disconnected').length, 1);
  assert.equal(h.ctx.eventsOfType('framework.removed').length, 0, 'failover timeout not yet over at 3.5 s');
  h.ctx.advance(1_000);
  assert.deepEqual(h.ctx.eventsOfType('framework.removed'), [{ type: 'framework.removed', frameworkId: fw, reason: 'failover timeout', epoch: 1 }]);
});

test('scheduler.disconnected from another node than the subscribed one does not disconnect the framework', () => {
  const h = new Harness({ timing: HEARTBEATS });
  const fw = h.subscribe('scheduler-a');
  h.ctx.deliver('intruder', { type: 'scheduler.disconnected', frameworkId: fw, reason: 'closed' });
  assert.equal(h.ctx.eventsOfType('framework.disconnected').length, 0);
  assert.equal(h.master.inspect().frameworks.get(fw)?.state, 'active');
});

test('the projection records when and why a framework was disconnected, and clears it on resubscribe', () => {
  const p = new ClusterProjection();
  let seq = 0;
  const rec = (atMs: number, event: Record<string, unknown>): HistoryRecord => ({ seq: seq++, atMs, ...event }) as unknown as HistoryRecord;
  p.apply(rec(0, { type: 'framework.subscribed', frameworkId: 'm-0000', name: 'fw', node: 'http-fw-1', roles: ['*'], partitionAware: true, failoverTimeoutMs: 1000, epoch: 1 }));
  p.apply(rec(1_250, { type: 'framework.disconnected', frameworkId: 'm-0000', reason: 'subscription stream closed', epoch: 1 }));
  let view = p.snapshot().frameworks.get('m-0000');
  assert.equal(view?.state, 'disconnected');
  assert.equal(view?.disconnectedAtMs, 1_250);
  assert.equal(view?.disconnectReason, 'subscription stream closed');
  p.apply(rec(2_000, { type: 'framework.resubscribed', frameworkId: 'm-0000', name: 'fw', node: 'http-fw-1', epoch: 1 }));
  view = p.snapshot().frameworks.get('m-0000');
  assert.equal(view?.state, 'active');
  assert.equal(view?.disconnectedAtMs, null);
  assert.equal(view?.disconnectReason, null);
});
