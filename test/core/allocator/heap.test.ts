import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstAccepted, heapify, siftDown } from '../../../src/core/allocator/heap.js';
import { seeded } from '../../helpers/random.js';

const less = (a: number, b: number): boolean => a < b;

test('firstAccepted finds the smallest accepted element, as sorting and scanning would', () => {
  const rng = seeded(42);
  const scratch: number[] = [];
  for (let round = 0; round < 500; round += 1) {
    const n = Math.floor(rng() * 40);
    const items = Array.from({ length: n }, () => Math.floor(rng() * 1000));
    heapify(items, less);
    const rejectShare = rng();
    const rejected = new Set(items.filter(() => rng() < rejectShare));
    const index = firstAccepted(items, less, (x) => !rejected.has(x), scratch);
    const expected = [...items].sort((a, b) => a - b).find((x) => !rejected.has(x));
    assert.equal(index < 0 ? undefined : items[index], expected, `round ${round}`);
  }
});

test('firstAccepted visits elements in key order and stops at the first accepted', () => {
  const items = [5, 3, 9, 1, 7, 2, 8];
  heapify(items, less);
  const seen: number[] = [];
  firstAccepted(items, less, (x) => (seen.push(x), x >= 5), []);
  assert.deepEqual(seen, [1, 2, 3, 5]);
});

test('siftDown after raising a key keeps the heap ordered', () => {
  const rng = seeded(7);
  const items = Array.from({ length: 100 }, () => rng());
  heapify(items, less);
  for (let round = 0; round < 1000; round += 1) {
    const i = Math.floor(rng() * items.length);
    items[i] = (items[i] as number) + rng();
    siftDown(items, i, less);
    for (let k = 1; k < items.length; k += 1) assert.ok((items[(k - 1) >> 1] as number) <= (items[k] as number), `round ${round}`);
  }
});
