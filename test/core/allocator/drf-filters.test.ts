import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDrfAllocator } from '../../../src/core/allocator/drf.js';
import type { Allocator } from '../../../src/core/allocator/types.js';
import { res } from '../../helpers/resources.js';
import { seeded } from '../../helpers/random.js';

const NO_TASKS = new Map();
const AGENT = res('cpus:4;mem:4096;ports:[31000-31009]');

/** One agent, the given frameworks; returns the allocator after `fw-a` declined S1 at t=0 with `refuseMs`. */
function declinedBy(refuseMs: number, frameworks: readonly string[] = ['fw-a']): Allocator {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', AGENT, NO_TASKS);
  allocator.addFramework('fw-a', ['*']);
  const [offer] = allocator.allocate(0, seeded(1));
  assert.equal(offer?.frameworkId, 'fw-a');
  assert.deepEqual(offer.resources, AGENT);
  allocator.recoverResources('fw-a', 'S1', offer.resources, refuseMs, 0);
  for (const id of frameworks) if (id !== 'fw-a') allocator.addFramework(id, ['*']);
  return allocator;
}

const expiry = [
  { atMs: 1000, offered: false },
  { atMs: 4999, offered: false },
  { atMs: 5000, offered: true },
  { atMs: 60_000, offered: true },
];
for (const c of expiry) {
  test(`a 5 s refuse filter from t=0 ${c.offered ? 'has expired' : 'still blocks the agent'} at t=${c.atMs}`, () => {
    const allocator = declinedBy(5000);
    const offers = allocator.allocate(c.atMs, seeded(2));
    assert.equal(offers.length, c.offered ? 1 : 0);
  });
}

test('a filter blocks the agent cycle after cycle until it expires', () => {
  const allocator = declinedBy(5000);
  const random = seeded(3);
  for (let t = 1000; t < 5000; t += 1000) assert.deepEqual(allocator.allocate(t, random), [], `t=${t}`);
  assert.equal(allocator.allocate(5000, random)[0]?.agentId, 'S1');
});

test('refuse 0 installs no filter: the agent is offered again next cycle', () => {
  const allocator = declinedBy(0);
  assert.equal(allocator.allocate(1000, seeded(4)).length, 1);
});

test('a filtered framework does not block others: the next framework gets the agent', () => {
  const allocator = declinedBy(5000, ['fw-a', 'fw-b']);
  const offers = allocator.allocate(1000, seeded(5));
  assert.deepEqual(
    offers.map((o) => [o.frameworkId, o.agentId]),
    [['fw-b', 'S1']],
  );
});

test('a filter covers only bundles it contains: more free resources are offered again', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', AGENT, new Map([['fw-task', res('cpus:2;mem:2048')]]));
  allocator.addFramework('fw-a', ['*']);
  const [offer] = allocator.allocate(0, seeded(6));
  assert.deepEqual(offer?.resources, res('cpus:2;mem:2048;ports:[31000-31009]'));
  allocator.recoverResources('fw-a', 'S1', offer.resources, 60_000, 0);
  assert.equal(allocator.allocate(1000, seeded(6)).length, 0, 'same bundle: filtered');
  allocator.recoverResources('fw-task', 'S1', res('cpus:1;mem:1024'), 0, 1500); // a task ended
  const again = allocator.allocate(2000, seeded(6));
  assert.equal(again.length, 1, 'bigger bundle: offered');
  assert.deepEqual(again[0]?.resources, res('cpus:3;mem:3072;ports:[31000-31009]'));
});

test('the filter is per agent: other agents are still offered to the framework', () => {
  const allocator = declinedBy(5000);
  allocator.addAgent('S2', AGENT, NO_TASKS);
  const offers = allocator.allocate(1000, seeded(7));
  assert.deepEqual(
    offers.map((o) => o.agentId),
    ['S2'],
  );
});

test('REVIVE clears the filters: the agent is offered before the filter would expire', () => {
  const allocator = declinedBy(60_000);
  assert.equal(allocator.allocate(1000, seeded(8)).length, 0);
  allocator.revive('fw-a');
  assert.equal(allocator.allocate(2000, seeded(8)).length, 1);
});

test('REVIVE clears the filters of that framework only', () => {
  const allocator = declinedBy(60_000, ['fw-a', 'fw-b']);
  const [toB] = allocator.allocate(1000, seeded(9));
  assert.equal(toB?.frameworkId, 'fw-b');
  allocator.recoverResources('fw-b', 'S1', toB.resources, 60_000, 1000);
  allocator.revive('fw-a');
  assert.deepEqual(
    allocator.allocate(2000, seeded(9)).map((o) => o.frameworkId),
    ['fw-a'],
  );
});

test('SUPPRESS stops offers to the framework; others still get them; REVIVE restarts them', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', AGENT, NO_TASKS);
  allocator.addFramework('fw-a', ['*']);
  allocator.suppress('fw-a');
  assert.deepEqual(allocator.allocate(1000, seeded(10)), []);
  allocator.addFramework('fw-b', ['*']);
  const [toB] = allocator.allocate(2000, seeded(10));
  assert.equal(toB?.frameworkId, 'fw-b');
  allocator.recoverResources('fw-b', 'S1', toB.resources, 0, 2000);
  allocator.suppress('fw-b');
  assert.deepEqual(allocator.allocate(3000, seeded(10)), []);
  allocator.revive('fw-a');
  assert.equal(allocator.allocate(4000, seeded(10))[0]?.frameworkId, 'fw-a');
});

test('a deactivated framework gets no offers and keeps what it holds; activation restores offers', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', AGENT, new Map([['fw-a', res('cpus:1;mem:1024')]]));
  allocator.addFramework('fw-a', ['*']);
  allocator.deactivateFramework('fw-a');
  assert.deepEqual(allocator.allocate(1000, seeded(11)), []);
  assert.equal(allocator.dominantShare('fw-a'), 0.25);
  allocator.activateFramework('fw-a');
  assert.equal(allocator.allocate(2000, seeded(11))[0]?.frameworkId, 'fw-a');
});

test('an agent filtered for every framework is skipped until a filter expires, then offered again', () => {
  const allocator = declinedBy(3000, ['fw-a', 'fw-b']);
  const [toB] = allocator.allocate(500, seeded(12));
  assert.equal(toB?.frameworkId, 'fw-b');
  allocator.recoverResources('fw-b', 'S1', toB.resources, 10_000, 500);
  assert.deepEqual(allocator.allocate(1000, seeded(12)), []);
  assert.deepEqual(allocator.allocate(2000, seeded(12)), []);
  assert.equal(allocator.allocate(3000, seeded(12))[0]?.frameworkId, 'fw-a', "fw-a's filter ran out");
});

test('an agent filtered for every framework is offered to a framework that subscribes later', () => {
  const allocator = declinedBy(60_000);
  assert.deepEqual(allocator.allocate(1000, seeded(13)), []);
  allocator.addFramework('fw-new', ['*']);
  assert.equal(allocator.allocate(2000, seeded(13))[0]?.frameworkId, 'fw-new');
});
