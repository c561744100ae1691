import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDrfAllocator } from '../../../src/core/allocator/drf.js';
import type { Resources } from '../../../src/core/resources.js';
import { runLoop, type LoopFramework } from './driver.js';
import { res } from '../../helpers/resources.js';
import { seeded } from '../../helpers/random.js';

const NO_TASKS = new Map();

/** The share of `total` that `used` takes on its dominant resource: DRF's definition, written apart from the allocator's as the oracle. */
function dominantShare(used: Resources, total: Resources): number {
  const scalars = (['cpus', 'mem', 'disk', 'gpus'] as const).filter((name) => total[name] > 0);
  return Math.max(0, ...scalars.map((name) => used[name] / total[name]));
}

// Progressive filling: one agent, so each cycle makes exactly one offer (everything
// free) to the framework with the lowest dominant share; it launches one task and
// gives the rest back. This is DRF as Ghodsi et al. define it, step by step.
const contended = [
  { name: 'the NSDI example <9 cpus, 18 GB>', agent: 'cpus:9;mem:18432', cpuTask: 'cpus:3;mem:1024', memTask: 'cpus:1;mem:4096' },
  { name: 'a 64-core agent', agent: 'cpus:64;mem:131072', cpuTask: 'cpus:2;mem:512', memTask: 'cpus:0.25;mem:2048' },
  { name: 'a mem-rich agent', agent: 'cpus:32;mem:262144', cpuTask: 'cpus:4;mem:1024', memTask: 'cpus:1;mem:16384' },
  { name: 'a cpu-rich agent', agent: 'cpus:96;mem:65536', cpuTask: 'cpus:3;mem:256', memTask: 'cpus:0.5;mem:3072' },
];
for (const c of contended) {
  test(`DRF on ${c.name}: a cpu-heavy and a mem-heavy framework end within one task of equal dominant shares`, () => {
    const allocator = createDrfAllocator();
    allocator.addAgent('S1', res(c.agent), NO_TASKS);
    const cpuHeavy: LoopFramework = { id: 'fw-cpu', task: res(c.cpuTask), perOffer: 1, launched: 0 };
    const memHeavy: LoopFramework = { id: 'fw-mem', task: res(c.memTask), perOffer: 1, launched: 0 };
    allocator.addFramework(cpuHeavy.id, ['*']);
    allocator.addFramework(memHeavy.id, ['*']);
    runLoop({ allocator, frameworks: [cpuHeavy, memHeavy], random: seeded(5), maxCycles: 10_000, declineRefuseMs: 1000 });
    const total = allocator.total();
    const oneTask = Math.max(dominantShare(cpuHeavy.task, total), dominantShare(memHeavy.task, total));
    const cpuShare = allocator.dominantShare(cpuHeavy.id);
    const memShare = allocator.dominantShare(memHeavy.id);
    assert.ok(cpuHeavy.launched >= 2 && memHeavy.launched >= 2, 'both ran tasks');
    assert.ok(cpuShare + memShare > 1 - 2 * oneTask, `the agent filled up (${cpuShare} + ${memShare})`);
    assert.ok(Math.abs(cpuShare - memShare) <= oneTask + 1e-9, `cpu ${cpuShare} (${cpuHeavy.launched} tasks) vs mem ${memShare} (${memHeavy.launched} tasks), one task ${oneTask}`);
    // Different dominant resources: equal shares mean different task counts.
    assert.notEqual(cpuHeavy.launched, memHeavy.launched);
  });
}

test('DRF: the NSDI example ends exactly at 2/3 each (3 tasks of <1 cpu, 4 GB>, 2 of <3 cpus, 1 GB>)', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:9;mem:18432'), NO_TASKS);
  const a: LoopFramework = { id: 'fw-a', task: res('cpus:1;mem:4096'), perOffer: 1, launched: 0 };
  const b: LoopFramework = { id: 'fw-b', task: res('cpus:3;mem:1024'), perOffer: 1, launched: 0 };
  allocator.addFramework(a.id, ['*']);
  allocator.addFramework(b.id, ['*']);
  runLoop({ allocator, frameworks: [a, b], random: seeded(1), maxCycles: 100, declineRefuseMs: 5000 });
  assert.deepEqual([a.launched, b.launched], [3, 2]);
  assert.ok(Math.abs(allocator.dominantShare(a.id) - 2 / 3) < 1e-9);
  assert.ok(Math.abs(allocator.dominantShare(b.id) - 2 / 3) < 1e-9);
});

test('a grant raises the share at once: two frameworks and two free agents get one agent each in one cycle', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:4;mem:4096'), NO_TASKS);
  allocator.addAgent('S2', res('cpus:4;mem:4096'), NO_TASKS);
  allocator.addFramework('fw-a', ['*']);
  allocator.addFramework('fw-b', ['*']);
  const offers = allocator.allocate(1000, seeded(9));
  assert.equal(offers.length, 2);
  assert.deepEqual(offers.map((o) => o.frameworkId).sort(), ['fw-a', 'fw-b']);
  assert.equal(allocator.dominantShare('fw-a'), 0.5);
  assert.equal(allocator.dominantShare('fw-b'), 0.5);
});

test('ties go by framework id, then the lower share goes first', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:4;mem:4096'), new Map([['fw-a', res('cpus:1;mem:1024')]]));
  allocator.addAgent('S2', res('cpus:4;mem:4096'), NO_TASKS);
  allocator.addFramework('fw-b', ['*']);
  allocator.addFramework('fw-c', ['*']);
  allocator.addFramework('fw-a', ['*']);
  // fw-b and fw-c tie at 0 (fw-b wins by id); fw-a holds 1/8 already.
  const [first] = allocator.allocate(1000, seeded(2));
  assert.equal(first?.frameworkId, 'fw-b');
});

// Weighted DRF over roles: each 1-cpu agent fits one task, so every agent goes
// to the role with the lowest share / weight.
const weightCases: Array<{ weights: Record<string, number>; expected: [number, number] }> = [
  { weights: { a: 2 }, expected: [20, 10] },
  { weights: { b: 2 }, expected: [10, 20] },
  { weights: { a: 3 }, expected: [22, 8] }, // from (22, 7): 22/3 = 7.33 > 7, so the last agent goes to b
  { weights: {}, expected: [15, 15] },
];
for (const c of weightCases) {
  test(`weighted roles ${JSON.stringify(c.weights)}: 30 one-task agents split ${c.expected.join('/')}`, () => {
    const allocator = createDrfAllocator({ weights: c.weights });
    for (let i = 0; i < 30; i += 1) allocator.addAgent(`S${i}`, res('cpus:1;mem:1024'), NO_TASKS);
    allocator.addFramework('fw-a', ['a']);
    allocator.addFramework('fw-b', ['b']);
    const offers = allocator.allocate(1000, seeded(4));
    assert.equal(offers.length, 30);
    const count = (id: string): number => offers.filter((o) => o.frameworkId === id).length;
    assert.deepEqual([count('fw-a'), count('fw-b')], c.expected);
    assert.ok(offers.every((o) => o.role === (o.frameworkId === 'fw-a' ? 'a' : 'b')));
  });
}

test('weight 2 on a role doubles its share in a scheduling loop (within one task)', () => {
  const allocator = createDrfAllocator();
  allocator.setWeight('gold', 2);
  allocator.addAgent('S1', res('cpus:48;mem:98304'), NO_TASKS);
  const gold: LoopFramework = { id: 'fw-gold', task: res('cpus:1;mem:1024'), perOffer: 1, launched: 0 };
  const plain: LoopFramework = { id: 'fw-plain', task: res('cpus:1;mem:1024'), perOffer: 1, launched: 0 };
  allocator.addFramework(gold.id, ['gold']);
  allocator.addFramework(plain.id, ['plain']);
  runLoop({ allocator, frameworks: [gold, plain], random: seeded(8), maxCycles: 1000, declineRefuseMs: 1000 });
  assert.deepEqual([gold.launched, plain.launched], [32, 16]);
  assert.ok(Math.abs(allocator.dominantShare(gold.id) - 2 * allocator.dominantShare(plain.id)) < 1e-9);
});

test('a framework with several roles is offered under its first role', () => {
  const allocator = createDrfAllocator({ weights: { second: 100 } });
  allocator.addAgent('S1', res('cpus:2;mem:2048'), NO_TASKS);
  allocator.addFramework('fw-multi', ['first', 'second']);
  const [offer] = allocator.allocate(1000, seeded(3));
  assert.equal(offer?.role, 'first');
});

test('frameworks within a role are ordered by their own share', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:8;mem:8192'), new Map([['fw-a', res('cpus:4;mem:1024')]]));
  allocator.addAgent('S2', res('cpus:8;mem:8192'), NO_TASKS);
  allocator.addFramework('fw-a', ['r']);
  allocator.addFramework('fw-z', ['r']);
  const offers = allocator.allocate(1000, seeded(6));
  // fw-z (share 0) takes the first agent visited; fw-a (4/16) stays below fw-z's new share, so it takes the next.
  assert.equal(offers.length, 2);
  assert.deepEqual(offers.map((o) => o.frameworkId).sort(), ['fw-a', 'fw-z']);
});

test('HierarchicalAllocatorTest.SameShareFairness: two frameworks with equal shares alternate on one agent, 5 offers each of 10', () => {
  const allocator = createDrfAllocator();
  allocator.addFramework('fw-a', ['*']);
  allocator.addFramework('fw-b', ['*']);
  allocator.addAgent('S1', res('cpus:2;mem:1024'), NO_TASKS);
  const counts = new Map<string, number>();
  const random = seeded(4);
  for (let i = 0; i < 10; i += 1) {
    const [offer] = allocator.allocate(i * 1000, random);
    assert.ok(offer, `cycle ${i} offered the agent`);
    counts.set(offer.frameworkId, (counts.get(offer.frameworkId) ?? 0) + 1);
    // Declined without a filter: both frameworks are back at share 0, so only the tie-break decides.
    allocator.recoverResources(offer.frameworkId, 'S1', offer.resources, 0, i * 1000);
  }
  assert.deepEqual(Object.fromEntries(counts), { 'fw-a': 5, 'fw-b': 5 });
});
