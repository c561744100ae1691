import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDrfAllocator } from '../../../src/core/allocator/drf.js';
import type { Allocation, Allocator } from '../../../src/core/allocator/types.js';
import { contains, isEmpty, type Resources } from '../../../src/core/resources.js';
import { AllocatorModel, partOf } from './drf-model.js';
import { res } from '../../helpers/resources.js';
import { seeded } from '../../helpers/random.js';

const AGENT_SHAPES = ['cpus:1;mem:1024', 'cpus:4;mem:4096;ports:[31000-31009]', 'cpus:0.5;mem:8192;disk:100', 'cpus:8;mem:2048;gpus:1;ports:[31000-31001,32000-32100]'];
const ROLES = ['a', 'b', 'c'];

/** Drives an allocator and the model with the same random operations and checks every cycle against the model. */
function run(seed: number, steps: number): { allocations: Allocation[][]; checkedOffers: number } {
  const rng = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  const allocator: Allocator = createDrfAllocator();
  const model = new AllocatorModel();
  const shuffle = seeded(seed * 7919 + 1);
  let nowMs = 0;
  let nextAgent = 0;
  let nextFramework = 0;
  let checkedOffers = 0;
  const allocations: Allocation[][] = [];
  const registered = (): string[] => [...model.frameworks].filter(([, f]) => f.role !== null).map(([id]) => id);
  const heldPairs = (): Array<[string, string, Resources]> =>
    [...model.agents].flatMap(([agentId, a]) => [...a.held].filter(([, r]) => !isEmpty(r)).map(([fw, r]): [string, string, Resources] => [fw, agentId, r]));

  for (let step = 0; step < steps; step += 1) {
    const roll = rng();
    if (roll < 0.08 || model.agents.size === 0) {
      const id = `S${nextAgent++}`;
      const total = res(pick(AGENT_SHAPES));
      const used = new Map<string, Resources>();
      const fws = registered();
      if (fws.length > 0 && rng() < 0.5) used.set(pick(fws), partOf(total));
      allocator.addAgent(id, total, used);
      model.addAgent(id, total, used);
    } else if (roll < 0.12) {
      const id = pick([...model.agents.keys()]);
      allocator.removeAgent(id);
      model.removeAgent(id);
    } else if (roll < 0.18 || model.frameworks.size === 0) {
      const id = `fw-${String(nextFramework++).padStart(3, '0')}`;
      const role = pick(ROLES);
      allocator.addFramework(id, [role]);
      model.addFramework(id, role);
    } else if (roll < 0.2) {
      const id = pick([...model.frameworks.keys()]);
      allocator.removeFramework(id);
      model.removeFramework(id);
    } else if (roll < 0.25) {
      const id = pick([...model.frameworks.keys()]);
      allocator.suppress(id);
      const fw = model.frameworks.get(id);
      if (fw && fw.role !== null) fw.suppressed = true;
    } else if (roll < 0.3) {
      const id = pick([...model.frameworks.keys()]);
      allocator.revive(id);
      model.revive(id);
    } else if (roll < 0.33) {
      const id = pick([...model.frameworks.keys()]);
      const fw = model.frameworks.get(id);
      const active = rng() < 0.5;
      if (active) allocator.activateFramework(id);
      else allocator.deactivateFramework(id);
      if (fw && fw.role !== null) fw.active = active;
    } else if (roll < 0.36) {
      const role = pick(ROLES);
      const weight = pick([0.5, 1, 2, 3]);
      allocator.setWeight(role, weight);
      model.weights.set(role, weight);
    } else if (roll < 0.4) {
      const fws = registered();
      if (fws.length === 0) continue;
      const agentId = pick([...model.agents.keys()]);
      const part = partOf(model.free(agentId));
      const fw = pick(fws);
      allocator.addUsed(fw, agentId, part);
      model.hold(fw, agentId, part);
    } else if (roll < 0.7) {
      const pairs = heldPairs();
      if (pairs.length === 0) continue;
      const [fw, agentId, held] = pick(pairs);
      const amount = rng() < 0.5 ? held : partOf(held);
      const refuseMs = pick([0, 0, 1000, 5000, 20_000]);
      allocator.recoverResources(fw, agentId, amount, refuseMs, nowMs);
      model.recover(fw, agentId, amount, refuseMs, nowMs);
    } else {
      nowMs += Math.floor(rng() * 3000);
      const offers = allocator.allocate(nowMs, shuffle);
      allocations.push(offers);
      const offered = new Set<string>();
      for (const offer of offers) {
        const free = model.free(offer.agentId);
        const where = `seed ${seed} step ${step} t=${nowMs}: ${offer.frameworkId} on ${offer.agentId}`;
        assert.ok(!offered.has(offer.agentId), `${where}: agent offered twice in one cycle`);
        offered.add(offer.agentId);
        assert.ok(contains(free, offer.resources), `${where}: offered more than is free`);
        assert.deepEqual(offer.resources, free, `${where}: everything free is offered`);
        assert.equal(offer.frameworkId, model.taker(offer.agentId, nowMs), `${where}: not the DRF choice`);
        assert.equal(offer.role, model.frameworks.get(offer.frameworkId)?.role);
        model.hold(offer.frameworkId, offer.agentId, offer.resources);
        model.granted(offer.frameworkId);
        checkedOffers += 1;
      }
      for (const agentId of model.agents.keys()) {
        if (offered.has(agentId)) continue;
        assert.equal(model.taker(agentId, nowMs), null, `seed ${seed} step ${step}: ${agentId} had a taker but was not offered`);
      }
      for (const id of model.frameworks.keys()) {
        assert.equal(allocator.dominantShare(id), model.share(id), `seed ${seed} step ${step}: share of ${id}`);
      }
    }
  }
  return { allocations, checkedOffers };
}

const SEEDS = Array.from({ length: 24 }, (_, i) => i + 1);

test('random operations: every offer is exactly the free resources, to the DRF choice, never oversubscribing; no agent with a taker is skipped', () => {
  let offers = 0;
  for (const seed of SEEDS) offers += run(seed, 400).checkedOffers;
  assert.ok(offers > 500, `the property test made offers (${offers})`);
});

test('determinism: the same operations and random stream give the same allocations', () => {
  for (const seed of [3, 17]) assert.deepEqual(run(seed, 400).allocations, run(seed, 400).allocations);
});

test('the agent order comes from the random stream: other streams visit agents in other orders', () => {
  const orders = new Set<string>();
  for (const seed of [1, 2, 3, 4]) {
    const allocator = createDrfAllocator();
    for (let i = 0; i < 20; i += 1) allocator.addAgent(`S${i}`, res('cpus:1;mem:1024'), new Map());
    allocator.addFramework('fw-a', ['*']);
    orders.add(
      allocator
        .allocate(1000, seeded(seed))
        .map((o) => o.agentId)
        .join(','),
    );
  }
  assert.equal(orders.size, 4);
});
