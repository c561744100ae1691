import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recheckSeeds } from '../../../src/chaos/fuzz/index.js';

describe('recheckSeeds (the determinism share)', () => {
  const counts: Array<[number, number | undefined, number]> = [
    [1, undefined, 0],
    [19, undefined, 1], // round(0.95)
    [10, undefined, 1], // round(0.5) rounds up
    [5, undefined, 0],
    [20, undefined, 1],
    [100, undefined, 5],
    [1000, undefined, 50],
    [30, 0, 0],
    [40, 0.01, 1], // at least one from 20 seeds on
    [10, 1, 10],
  ];
  for (const [count, ratio, expected] of counts) {
    it(`${count} seeds at ${ratio ?? 'the default 5%'} re-run ${expected}`, () => {
      const seeds = recheckSeeds({ start: 7, count, ...(ratio === undefined ? {} : { ratio }) });
      assert.equal(seeds.length, expected);
      assert.equal(new Set(seeds).size, seeds.length, 'distinct');
      for (const seed of seeds) assert.ok(seed >= 7 && seed < 7 + count, `seed ${seed} in range`);
      assert.deepEqual(seeds, [...seeds].sort((a, b) => a - b), 'ascending');
    });
  }

  it('is the same for the same range and differs for another', () => {
    assert.deepEqual(recheckSeeds({ start: 1, count: 200 }), recheckSeeds({ start: 1, count: 200 }));
    assert.notDeepEqual(recheckSeeds({ start: 1, count: 200 }), recheckSeeds({ start: 1000, count: 200 }));
  });
});
