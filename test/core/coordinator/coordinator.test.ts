import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCoordinator } from '../../../src/core/coordinator/coordinator.js';
import { FakeContext } from '../../helpers/fake-context.js';

function setup() {
  const ctx = new FakeContext('coordinator');
  const coordinator = createCoordinator(ctx);
  ctx.actor = coordinator;
  coordinator.start();
  const open = (node: string): string => {
    ctx.deliver(node, { type: 'coordinator.heartbeat', sessionId: null, timeoutMs: 2000 });
    const reply = ctx.sentOfType('coordinator.session').filter((s) => s.to === node).at(-1);
    assert.ok(reply && !reply.message.expired);
    return reply.message.sessionId;
  };
  return { ctx, coordinator, open };
}

test('the lowest member leads; its sequence is the epoch; watchers hear every change', () => {
  const { ctx, coordinator, open } = setup();
  ctx.deliver('agent-1', { type: 'coordinator.watch_leader' });
  const s1 = open('master-1');
  const s2 = open('master-2');
  ctx.deliver('master-1', { type: 'coordinator.join', sessionId: s1 });
  ctx.deliver('master-2', { type: 'coordinator.join', sessionId: s2 });
  assert.deepEqual(coordinator.leaderNow(), { leader: 'master-1', epoch: 1 });
  const told = ctx.sentOfType('coordinator.leader').filter((s) => s.to === 'agent-1').map((s) => [s.message.leader, s.message.epoch]);
  assert.deepEqual(told, [[null, 0], ['master-1', 1]]);
});

test('a session without heartbeats expires, its member goes, the next leads with a higher epoch', () => {
  const { ctx, coordinator, open } = setup();
  const s1 = open('master-1');
  const s2 = open('master-2');
  ctx.deliver('master-1', { type: 'coordinator.join', sessionId: s1 });
  ctx.deliver('master-2', { type: 'coordinator.join', sessionId: s2 });
  // master-2 keeps heartbeating, master-1 falls silent.
  for (let t = 0; t < 3000; t += 500) {
    ctx.advance(500);
    ctx.deliver('master-2', { type: 'coordinator.heartbeat', sessionId: s2, timeoutMs: 2000 });
  }
  assert.deepEqual(coordinator.leaderNow(), { leader: 'master-2', epoch: 2 });
  ctx.deliver('master-1', { type: 'coordinator.heartbeat', sessionId: s1, timeoutMs: 2000 });
  const last = ctx.sentOfType('coordinator.session').filter((s) => s.to === 'master-1').at(-1);
  assert.equal(last?.message.expired, true, 'the old leader learns its session expired');
  // It rejoins with a new session and queues behind: epochs keep increasing.
  const s3 = open('master-1');
  ctx.deliver('master-1', { type: 'coordinator.join', sessionId: s3 });
  assert.deepEqual(coordinator.leaderNow(), { leader: 'master-2', epoch: 2 });
  const joined = ctx.sentOfType('coordinator.joined').at(-1);
  assert.equal(joined?.message.sequence, 3);
});

test('registry writes are fenced by the leader epoch', () => {
  const { ctx, open } = setup();
  const s1 = open('master-1');
  ctx.deliver('master-1', { type: 'coordinator.join', sessionId: s1 });
  ctx.deliver('master-1', { type: 'coordinator.registry_write', epoch: 1, requestId: 1, ops: [{ op: 'admit', agentId: 'a-S0', host: 'agent-1' }] });
  ctx.deliver('master-9', { type: 'coordinator.registry_write', epoch: 1, requestId: 2, ops: [{ op: 'remove', agentId: 'a-S0' }] });
  ctx.deliver('master-1', { type: 'coordinator.registry_write', epoch: 0, requestId: 3, ops: [{ op: 'remove', agentId: 'a-S0' }] });
  const results = ctx.sentOfType('coordinator.registry_written').map((s) => [s.message.requestId, s.message.accepted]);
  assert.deepEqual(results, [[1, true], [2, false], [3, false]]);
  ctx.deliver('master-1', { type: 'coordinator.registry_read', epoch: 1 });
  const read = ctx.sentOfType('coordinator.registry').at(-1);
  assert.deepEqual(read?.message.registry.agents, [{ agentId: 'a-S0', host: 'agent-1', state: 'admitted', sinceMs: null }]);
});

test('a closed session goes at once: its member leaves and the next leads; only the owner may close it', () => {
  const { ctx, coordinator, open } = setup();
  const s1 = open('master-1');
  const s2 = open('master-2');
  ctx.deliver('master-1', { type: 'coordinator.join', sessionId: s1 });
  ctx.deliver('master-2', { type: 'coordinator.join', sessionId: s2 });
  ctx.deliver('master-2', { type: 'coordinator.close', sessionId: s1 });
  assert.deepEqual(coordinator.leaderNow(), { leader: 'master-1', epoch: 1 }, 'not its session');
  ctx.deliver('master-1', { type: 'coordinator.close', sessionId: s1 });
  assert.deepEqual(coordinator.leaderNow(), { leader: 'master-2', epoch: 2 });
});
