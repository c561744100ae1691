import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventQueue } from '../../src/sim/queue.js';
import { Prng } from '../../src/core/prng.js';

test('pops by time, then by insertion order for equal times', () => {
  const q = new EventQueue<string>();
  q.push(5, 'c');
  q.push(1, 'a');
  q.push(5, 'd');
  q.push(1, 'b');
  q.push(3, 'x');
  const out: string[] = [];
  for (let e = q.pop(); e; e = q.pop()) out.push(e.item);
  assert.deepEqual(out, ['a', 'b', 'x', 'c', 'd']);
});

test('matches a sorted reference on random input', () => {
  const p = Prng.from('heap');
  const q = new EventQueue<number>();
  const ref: Array<[number, number]> = [];
  for (let i = 0; i < 5000; i += 1) {
    const t = p.int(0, 100);
    q.push(t, i);
    ref.push([t, i]);
  }
  ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [, i] of ref) assert.equal(q.pop()?.item, i);
  assert.equal(q.pop(), undefined);
  assert.equal(q.peekTime(), Infinity);
});

test('matches a sorted reference when pushes and pops interleave (slots are reused, the heap grows)', () => {
  const p = Prng.from('interleave');
  const q = new EventQueue<number>();
  const ref: Array<[number, number]> = [];
  let next = 0;
  for (let round = 0; round < 20_000; round += 1) {
    if (ref.length === 0 || p.next() < 0.55) {
      const t = p.int(0, 50);
      q.push(t, next);
      ref.push([t, next]);
      next += 1;
    } else {
      ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const [t, i] = ref.shift() as [number, number];
      const popped = q.pop();
      assert.deepEqual(popped && [popped.atMs, popped.item], [t, i]);
    }
    assert.equal(q.size, ref.length);
  }
});

test('compact drops the rejected entries and the rest pop in their original order (randomised rounds)', () => {
  const p = Prng.from('compact');
  const q = new EventQueue<number>();
  let ref: Array<[number, number]> = [];
  const byTimeThenSeq = (a: [number, number], b: [number, number]): number => a[0] - b[0] || a[1] - b[1];
  let next = 0;
  for (let round = 0; round < 40; round += 1) {
    for (let i = p.int(1, 400); i > 0; i -= 1) {
      const t = p.int(0, 30);
      q.push(t, next);
      ref.push([t, next]);
      next += 1;
    }
    ref.sort(byTimeThenSeq);
    for (let i = p.int(0, Math.min(50, ref.length)); i > 0; i -= 1) {
      const [t, item] = ref.shift() as [number, number];
      const popped = q.pop();
      assert.deepEqual(popped && [popped.atMs, popped.item], [t, item]);
    }
    const modulus = p.int(2, 5);
    const keep = (item: number): boolean => item % modulus !== round % modulus;
    const dead = ref.filter(([, item]) => !keep(item)).length;
    assert.equal(q.compact(keep), dead);
    ref = ref.filter(([, item]) => keep(item));
    assert.equal(q.size, ref.length);
  }
  ref.sort(byTimeThenSeq);
  for (const [t, item] of ref) {
    const popped = q.pop();
    assert.deepEqual(popped && [popped.atMs, popped.item], [t, item]);
  }
  assert.equal(q.pop(), undefined);
});
