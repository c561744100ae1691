import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ddmin } from '../../../src/chaos/fuzz/index.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const has = (xs: readonly number[], ...want: number[]): boolean => want.every((w) => xs.includes(w));

interface Case {
  readonly name: string;
  readonly size: number;
  readonly fails: (xs: readonly number[]) => boolean;
  /** The exact answer, when there is only one minimal subset. */
  readonly expected?: readonly number[];
  readonly expectedLength: number;
}

const CASES: readonly Case[] = [
  { name: 'one culprit', size: 16, fails: (xs) => xs.includes(7), expected: [7], expectedLength: 1 },
  { name: 'one culprit at the end', size: 31, fails: (xs) => xs.includes(30), expected: [30], expectedLength: 1 },
  { name: 'two culprits needed together', size: 16, fails: (xs) => has(xs, 3, 12), expected: [3, 12], expectedLength: 2 },
  { name: 'two neighbours (a fault and its undo)', size: 20, fails: (xs) => has(xs, 9, 10), expected: [9, 10], expectedLength: 2 },
  { name: 'three culprits', size: 24, fails: (xs) => has(xs, 1, 8, 23), expected: [1, 8, 23], expectedLength: 3 },
  { name: 'either of two suffices', size: 16, fails: (xs) => xs.includes(4) || xs.includes(9), expectedLength: 1 },
  { name: 'any three items', size: 12, fails: (xs) => xs.length >= 3, expectedLength: 3 },
  { name: 'fails with no input at all', size: 10, fails: () => true, expected: [], expectedLength: 0 },
  { name: 'needs every item', size: 6, fails: (xs) => xs.length === 6, expected: range(6), expectedLength: 6 },
  { name: 'a single item', size: 1, fails: (xs) => xs.length === 1, expected: [0], expectedLength: 1 },
];

describe('ddmin', () => {
  for (const c of CASES) {
    for (const parallelism of [1, 3]) {
      it(`${c.name} (parallelism ${parallelism})`, async () => {
        let calls = 0;
        const result = await ddmin(range(c.size), {
          parallelism,
          fails: async (xs) => {
            calls += 1;
            return c.fails(xs);
          },
        });
        assert.equal(result.complete, true);
        assert.equal(result.tests, calls, 'tests counts the predicate calls');
        assert.equal(result.items.length, c.expectedLength);
        if (c.expected) assert.deepEqual(result.items, c.expected);
        assert.ok(c.fails(result.items), 'the result still fails');
        assert.deepEqual([...result.items], [...result.items].sort((a, b) => a - b), 'input order kept');
        for (let i = 0; i < result.items.length; i += 1) {
          const without = result.items.filter((_, j) => j !== i);
          assert.equal(c.fails(without), false, `one-minimal: dropping ${result.items[i]} passes`);
        }
        assert.ok(calls <= c.size * c.size + 1, `${calls} tests for ${c.size} items`);
      });
    }
  }

  it('finds the same subset at any parallelism', async () => {
    const fails = async (xs: readonly number[]) => xs.includes(5) || has(xs, 11, 17);
    const answers = await Promise.all([1, 2, 4, 8].map(async (parallelism) => (await ddmin(range(24), { fails, parallelism })).items));
    for (const answer of answers) assert.deepEqual(answer, answers[0]);
  });

  it('never tests the same subset twice', async () => {
    const seen = new Set<string>();
    await ddmin(range(20), {
      fails: async (xs) => {
        const key = xs.join(',');
        assert.equal(seen.has(key), false, `tested ${key} again`);
        seen.add(key);
        return has(xs, 2, 13);
      },
    });
  });

  it('stops at maxTests with the smallest failing subset so far', async () => {
    const result = await ddmin(range(32), { fails: async (xs) => xs.includes(21), maxTests: 3 });
    assert.equal(result.complete, false);
    assert.ok(result.tests <= 3);
    assert.ok(result.items.includes(21));
    assert.ok(result.items.length < 32, 'it still shrank');
  });

  it('stops when asked (Ctrl-C) and reports the search as cut short', async () => {
    let calls = 0;
    const result = await ddmin(range(32), { fails: async (xs) => (calls += 1) > 0 && xs.includes(3), shouldStop: () => calls >= 2 });
    assert.equal(result.complete, false);
    assert.equal(calls, 2);
    assert.ok(result.items.includes(3));
  });

  it('reports progress as it shrinks', async () => {
    const sizes: number[] = [];
    await ddmin(range(16), { fails: async (xs) => xs.includes(7), onProgress: (p) => sizes.push(p.size) });
    assert.ok(sizes.length >= 2);
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), 'sizes fall');
    assert.equal(sizes[sizes.length - 1], 1);
  });
});

describe('shrinkTwoMinimal', () => {
  it('removes a pair that ddmin cannot (each alone is needed, both together are not)', async () => {
    const { shrinkTwoMinimal } = await import('../../../src/chaos/fuzz/index.js');
    // Fails with 3 present, as long as 1 and 2 are both present or both absent: 1-minimal is [1,2,3], 2-minimal is [3].
    const fails = async (s: readonly number[]) => s.includes(3) && s.includes(1) === s.includes(2);
    const result = await shrinkTwoMinimal([1, 2, 3], fails, { parallelism: 1, maxRuns: 100 });
    assert.deepEqual(result.items, [3]);
    assert.equal(result.complete, true);
  });
});
