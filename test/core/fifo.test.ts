import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fifo } from '../../src/core/fifo.js';

test('a Fifo gives items back in the order they came, across its compactions', () => {
  const q = new Fifo<number>();
  assert.equal(q.shift(), undefined);
  let next = 0;
  const out: number[] = [];
  // Interleave so the dead prefix passes 1024 and half the array several times.
  for (let round = 0; round < 50; round += 1) {
    for (let i = 0; i < 100; i += 1) q.push(next++);
    for (let i = 0; i < 90; i += 1) out.push(q.shift() as number);
  }
  assert.equal(q.length, 500);
  while (q.length > 0) out.push(q.shift() as number);
  assert.deepEqual(out, Array.from({ length: 5000 }, (_, i) => i));
  assert.equal(q.shift(), undefined);
  assert.equal(q.length, 0);
});
