import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../../src/chaos/scenario/index.js';
import { didYouMean, editDistance, nearest } from '../../../src/chaos/scenario/suggest.js';

const good: ReadonlyArray<readonly [string, number]> = [
  ['0', 0],
  ['0s', 0],
  ['500ms', 500],
  ['1s', 1_000],
  ['1.5s', 1_500],
  ['10m', 600_000],
  ['2h', 7_200_000],
  ['7d', 604_800_000],
  ['1m30s', 90_000],
  ['1h2m3s4ms', 3_723_004],
  [' 30s ', 30_000],
  ['0.4ms', 0],
];
for (const [text, ms] of good) {
  test(`duration "${text}" is ${ms} ms`, () => {
    assert.deepEqual(parseDuration(text), { ok: true, value: ms });
  });
}

const bad: ReadonlyArray<readonly [string, string]> = [
  ['', 'empty duration'],
  ['30', 'needs a unit'],
  ['1.5', 'needs a unit'],
  ['-5s', 'negative'],
  ['30 seconds', 'is not a duration'],
  ['30sec', 'is not a duration'],
  ['s', 'is not a duration'],
  ['1m 30s', 'is not a duration'],
];
for (const [text, says] of bad) {
  test(`duration "${text}" is refused`, () => {
    const r = parseDuration(text);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'SCENARIO_SCHEMA');
      assert.ok(r.error.message.includes(says), r.error.message);
    }
  });
}

test('formatDuration gives the shortest exact compound, and parses back', () => {
  const table: ReadonlyArray<readonly [number, string]> = [
    [0, '0s'],
    [1, '1ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [1_500, '1s500ms'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [604_800_000, '7d'],
    [90_061_001, '1d1h1m1s1ms'],
  ];
  for (const [ms, text] of table) {
    assert.equal(formatDuration(ms), text);
    assert.deepEqual(parseDuration(text), { ok: true, value: ms });
  }
});

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('method', 'method'), 0);
  assert.equal(editDistance('metod', 'method'), 1);
  assert.equal(editDistance('mehtod', 'method'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('suggestions come only within a typo\'s reach', () => {
  assert.equal(nearest('agnets', ['agents', 'masters', 'network']), 'agents');
  assert.equal(nearest('Method', ['method']), 'method');
  assert.equal(nearest('xyz', ['method', 'steady']), undefined);
  assert.equal(didYouMean('stedy', ['steady']), ', did you mean "steady"?');
  assert.equal(didYouMean('quick', ['fast', 'mesos']), '');
});
