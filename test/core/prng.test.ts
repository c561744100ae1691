import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng, PrngStreams } from '../../src/core/prng.js';

test('same seed and stream name give the same draws', () => {
  const a = new PrngStreams('42').get('network');
  const b = new PrngStreams('42').get('network');
  const drawsA = Array.from({ length: 100 }, () => a.next());
  const drawsB = Array.from({ length: 100 }, () => b.next());
  assert.deepEqual(drawsA, drawsB);
});

test('streams are independent: drawing from one does not shift another', () => {
  const s1 = new PrngStreams('7');
  const s2 = new PrngStreams('7');
  for (let i = 0; i < 50; i += 1) s1.get('faults').next();
  assert.equal(s1.get('workload').next(), s2.get('workload').next());
});

test('different seeds give different draws', () => {
  assert.notEqual(Prng.from('1').next(), Prng.from('2').next());
});

test('draws are uniform enough in [0, 1)', () => {
  const p = Prng.from('uniform');
  const buckets = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i += 1) {
    const x = p.next();
    assert.ok(x >= 0 && x < 1);
    buckets[Math.floor(x * 10)] = (buckets[Math.floor(x * 10)] ?? 0) + 1;
  }
  for (const b of buckets) assert.ok(Math.abs(b - 10_000) < 500, `bucket ${b}`);
});

test('shuffle is a permutation and int stays in range', () => {
  const p = Prng.from('s');
  const items = Array.from({ length: 20 }, (_, i) => i);
  assert.deepEqual([...p.shuffle(items)].sort((a, b) => a - b), items);
  for (let i = 0; i < 1000; i += 1) {
    const v = p.int(3, 5);
    assert.ok(v >= 3 && v <= 5);
  }
});
