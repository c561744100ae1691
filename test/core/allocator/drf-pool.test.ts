import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDrfAllocator } from '../../../src/core/allocator/drf.js';
import { res } from '../../helpers/resources.js';
import { seeded } from '../../helpers/random.js';

const NO_TASKS = new Map();

test('removeAgent drops its resources from the pool and from the shares of frameworks holding them', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:4;mem:4096'), new Map([['fw-a', res('cpus:2;mem:1024')]]));
  allocator.addAgent('S2', res('cpus:4;mem:4096'), NO_TASKS);
  allocator.addFramework('fw-a', ['*']);
  assert.equal(allocator.dominantShare('fw-a'), 0.25);
  allocator.removeAgent('S1');
  assert.deepEqual(allocator.total(), res('cpus:4;mem:4096'));
  assert.equal(allocator.dominantShare('fw-a'), 0);
  const offers = allocator.allocate(1000, seeded(1));
  assert.deepEqual(
    offers.map((o) => o.agentId),
    ['S2'],
  );
  // A late recover for the gone agent is ignored.
  allocator.recoverResources('fw-a', 'S1', res('cpus:2;mem:1024'), 0, 1000);
  assert.deepEqual(allocator.total(), res('cpus:4;mem:4096'));
});

test('a removed agent that comes back is offered again with what its tasks leave free', () => {
  const allocator = createDrfAllocator();
  allocator.addFramework('fw-a', ['*']);
  allocator.addAgent('S1', res('cpus:4;mem:4096'), NO_TASKS);
  allocator.removeAgent('S1');
  assert.deepEqual(allocator.allocate(1000, seeded(2)), []);
  allocator.addAgent('S1', res('cpus:4;mem:4096'), new Map([['fw-a', res('cpus:3;mem:1024')]]));
  const [offer] = allocator.allocate(2000, seeded(2));
  assert.deepEqual(offer?.resources, res('cpus:1;mem:3072'));
  assert.equal(allocator.dominantShare('fw-a'), 1);
});

test('addAgent for a known agent replaces it (no double counting)', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:4;mem:4096'), new Map([['fw-a', res('cpus:1;mem:1024')]]));
  allocator.addAgent('S1', res('cpus:8;mem:8192'), new Map([['fw-a', res('cpus:2;mem:1024')]]));
  assert.deepEqual(allocator.total(), res('cpus:8;mem:8192'));
  assert.equal(allocator.dominantShare('fw-a'), 0.25);
});

test('addUsed holds resources for a framework: they leave the free pool and count in its share', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:4;mem:4096;ports:[31000-31009]'), NO_TASKS);
  allocator.addFramework('fw-a', ['*']);
  allocator.addUsed('fw-a', 'S1', res('cpus:1;mem:3072;ports:[31000-31004]'));
  assert.equal(allocator.dominantShare('fw-a'), 0.75);
  const [offer] = allocator.allocate(1000, seeded(3));
  assert.deepEqual(offer?.resources, res('cpus:3;mem:1024;ports:[31005-31009]'));
});

test('tasks of a framework not yet resubscribed hold resources; its share counts once it subscribes', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:4;mem:4096'), new Map([['fw-old', res('cpus:2;mem:2048')]]));
  allocator.addFramework('fw-new', ['*']);
  const [offer] = allocator.allocate(1000, seeded(4));
  assert.deepEqual(offer?.resources, res('cpus:2;mem:2048'), 'the placeholder holds its tasks');
  assert.equal(allocator.dominantShare('fw-old'), 0.5);
  allocator.addFramework('fw-old', ['*']);
  allocator.recoverResources('fw-new', 'S1', res('cpus:1;mem:1024'), 0, 1000);
  // fw-new holds 1/4, fw-old 1/2 (its tasks count from the moment it subscribes), so fw-new goes first.
  assert.equal(allocator.dominantShare('fw-old'), 0.5);
  assert.equal(allocator.allocate(2000, seeded(4))[0]?.frameworkId, 'fw-new');
});

test('recovering gives resources back; recovering more than held gives back only what was held', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:4;mem:4096'), new Map([['fw-a', res('cpus:2;mem:2048')]]));
  allocator.addFramework('fw-a', ['*']);
  allocator.suppress('fw-a');
  allocator.recoverResources('fw-a', 'S1', res('cpus:1;mem:1024'), 0, 0);
  assert.equal(allocator.dominantShare('fw-a'), 0.25);
  allocator.recoverResources('fw-a', 'S1', res('cpus:5;mem:9999'), 0, 0);
  assert.equal(allocator.dominantShare('fw-a'), 0);
  allocator.addFramework('fw-b', ['*']);
  const [offer] = allocator.allocate(1000, seeded(5));
  assert.deepEqual(offer?.resources, res('cpus:4;mem:4096'), 'free never exceeds the total');
});

test('removeFramework: what it still holds stays held until recovered under its id', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:4;mem:4096'), NO_TASKS);
  allocator.addFramework('fw-a', ['*']);
  const [offer] = allocator.allocate(1000, seeded(6));
  assert.equal(offer?.frameworkId, 'fw-a');
  allocator.removeFramework('fw-a');
  allocator.addFramework('fw-b', ['*']);
  assert.deepEqual(allocator.allocate(2000, seeded(6)), [], 'nothing is offered twice');
  allocator.recoverResources('fw-a', 'S1', offer.resources, 0, 2000);
  assert.equal(allocator.allocate(3000, seeded(6))[0]?.frameworkId, 'fw-b');
  assert.equal(allocator.dominantShare('fw-a'), 0);
});

test('total() sums the agents (ports are per agent and not summed)', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:4;mem:4096;disk:100;gpus:1;ports:[31000-32000]'), NO_TASKS);
  allocator.addAgent('S2', res('cpus:0.5;mem:512.5'), NO_TASKS);
  assert.deepEqual(allocator.total(), res('cpus:4.5;mem:4608.5;disk:100;gpus:1'));
});

test('fixed point: a long run of fractional grants and recoveries leaves no drift', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:1;mem:1024'), NO_TASKS);
  allocator.addFramework('fw-a', ['*']);
  for (let i = 0; i < 1000; i += 1) allocator.addUsed('fw-a', 'S1', res('cpus:0.001;mem:0.1'));
  for (let i = 0; i < 1000; i += 1) allocator.recoverResources('fw-a', 'S1', res('cpus:0.001;mem:0.1'), 0, 0);
  assert.equal(allocator.dominantShare('fw-a'), 0);
  assert.deepEqual(allocator.allocate(1000, seeded(7))[0]?.resources, res('cpus:1;mem:1024'));
});

const minAllocatable = [
  { free: 'cpus:0.005;mem:16', min: undefined, offered: false },
  { free: 'cpus:0.01;mem:0', min: undefined, offered: true },
  { free: 'cpus:0;mem:32', min: undefined, offered: true },
  { free: 'cpus:0.009;mem:31.999', min: undefined, offered: false },
  { free: 'cpus:0;mem:0;disk:1000;gpus:1', min: undefined, offered: false },
  { free: 'cpus:0.5;mem:512', min: { cpus: 1, mem: 1024 }, offered: false },
  { free: 'cpus:1;mem:0', min: { cpus: 1, mem: 1024 }, offered: true },
  { free: 'cpus:0;mem:1024', min: { cpus: 1, mem: 1024 }, offered: true },
];
for (const c of minAllocatable) {
  test(`minAllocatable ${c.min ? JSON.stringify(c.min) : '(default cpus:0.01|mem:32)'}: free ${c.free} is ${c.offered ? '' : 'not '}offered`, () => {
    const allocator = createDrfAllocator(c.min ? { minAllocatable: c.min } : {});
    allocator.addAgent('S1', res(c.free), NO_TASKS);
    allocator.addFramework('fw-a', ['*']);
    assert.equal(allocator.allocate(1000, seeded(8)).length, c.offered ? 1 : 0);
  });
}

test('an agent below minAllocatable becomes offerable when enough comes back', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:1;mem:1024'), new Map([['fw-a', res('cpus:0.995;mem:1000')]]));
  allocator.addFramework('fw-a', ['*']);
  assert.deepEqual(allocator.allocate(1000, seeded(9)), []);
  allocator.recoverResources('fw-a', 'S1', res('cpus:0.005'), 0, 1000);
  assert.deepEqual(allocator.allocate(2000, seeded(9))[0]?.resources, res('cpus:0.01;mem:24'));
});

test('setWeight rejects a weight that is not positive (a bug in the caller)', () => {
  const allocator = createDrfAllocator();
  assert.throws(() => allocator.setWeight('r', 0), /positive/);
  assert.throws(() => allocator.setWeight('r', Number.NaN), /positive/);
  assert.throws(() => createDrfAllocator({ weights: { r: -1 } }), /positive/);
});

test('unknown ids are ignored, not crashed on', () => {
  const allocator = createDrfAllocator();
  allocator.removeAgent('nope');
  allocator.removeFramework('nope');
  allocator.suppress('nope');
  allocator.revive('nope');
  allocator.activateFramework('nope');
  allocator.deactivateFramework('nope');
  allocator.addUsed('nope', 'nope', res('cpus:1'));
  allocator.recoverResources('nope', 'nope', res('cpus:1'), 5000, 0);
  assert.equal(allocator.dominantShare('nope'), 0);
  assert.deepEqual(allocator.allocate(1000, seeded(10)), []);
});

test('holdings of several frameworks on one agent add up and come back exactly, in any order', () => {
  const allocator = createDrfAllocator();
  allocator.addAgent('S1', res('cpus:8;mem:8192;ports:[31000-31009]'), new Map([['fw-a', res('cpus:1;mem:1024;ports:[31000-31000]')]]));
  allocator.addFramework('fw-a', ['*']);
  allocator.addFramework('fw-b', ['*']);
  allocator.suppress('fw-a');
  const [toB] = allocator.allocate(1000, seeded(11));
  assert.equal(toB?.frameworkId, 'fw-b');
  assert.deepEqual(toB.resources, res('cpus:7;mem:7168;ports:[31001-31009]'));
  allocator.recoverResources('fw-b', 'S1', res('cpus:3;mem:3072;ports:[31005-31009]'), 0, 1000); // b keeps 4 cpus
  allocator.addUsed('fw-a', 'S1', res('cpus:2;mem:2048;ports:[31005-31006]')); // a launches more
  assert.equal(allocator.dominantShare('fw-a'), 3 / 8);
  assert.equal(allocator.dominantShare('fw-b'), 4 / 8);
  // a gives back everything it holds, across both of its entries, in one call.
  allocator.recoverResources('fw-a', 'S1', res('cpus:3;mem:3072;ports:[31000-31000,31005-31006]'), 0, 1000);
  allocator.recoverResources('fw-b', 'S1', res('cpus:4;mem:4096;ports:[31001-31004]'), 0, 1000);
  assert.equal(allocator.dominantShare('fw-a'), 0);
  assert.equal(allocator.dominantShare('fw-b'), 0);
  allocator.revive('fw-a');
  const [whole] = allocator.allocate(2000, seeded(11));
  assert.deepEqual(whole?.resources, res('cpus:8;mem:8192;ports:[31000-31009]'));
});
