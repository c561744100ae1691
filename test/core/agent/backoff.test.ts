import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MIN_RETRY_DELAY_MS,
  firstRegistrationDelayMs,
  firstStatusRetryMs,
  jitteredDelayMs,
  nextRegistrationBoundMs,
  nextStatusRetryMs,
  registrationRetryDelayMs,
} from '../../../src/core/agent/backoff.js';
import { FAST_TIMING, MESOS_TIMING, type Timing } from '../../../src/core/timing.js';

const draw = (value: number) => (): number => value;

test('jittered delays span [0, bound] in whole milliseconds', () => {
  const cases: Array<[number, number, number]> = [
    [1000, 0, 0],
    [1000, 0.5, 500],
    [1000, 0.9999, 1000],
    [3, 0.4, 1],
    [0, 0.7, 0],
  ];
  for (const [boundMs, value, expected] of cases) assert.equal(jitteredDelayMs(boundMs, draw(value)), expected, `bound ${boundMs} draw ${value}`);
});

test('the first registration wait is a random share of the backoff factor', () => {
  assert.equal(firstRegistrationDelayMs(MESOS_TIMING, draw(0.25)), 250);
  assert.equal(firstRegistrationDelayMs(FAST_TIMING, draw(0.5)), 250);
  assert.equal(firstRegistrationDelayMs(MESOS_TIMING, draw(0)), 0, 'the first attempt may go at once');
});

test('the registration bound doubles from the factor and stops at the cap', () => {
  let bound = MESOS_TIMING.registrationBackoffMs;
  const bounds: number[] = [];
  for (let i = 0; i < 9; i += 1) {
    bound = nextRegistrationBoundMs(bound, MESOS_TIMING);
    bounds.push(bound);
  }
  assert.deepEqual(bounds, [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
});

test('registration retries never wait less than the floor, even with a zero factor', () => {
  const zero: Timing = { ...MESOS_TIMING, registrationBackoffMs: 0 };
  assert.equal(nextRegistrationBoundMs(0, zero), 0);
  assert.equal(registrationRetryDelayMs(0, draw(0.5)), MIN_RETRY_DELAY_MS);
  assert.equal(registrationRetryDelayMs(8_000, draw(0.5)), 4_000);
});

test('status update retries go 10 s, 20 s, 40 s ... up to 10 min with the mesos timing', () => {
  const intervals = [firstStatusRetryMs(MESOS_TIMING)];
  for (let i = 0; i < 8; i += 1) intervals.push(nextStatusRetryMs(intervals[intervals.length - 1] ?? 0, MESOS_TIMING));
  assert.deepEqual(intervals, [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000]);
});

test('status update retries follow the fast timing and never drop to zero', () => {
  assert.equal(firstStatusRetryMs(FAST_TIMING), 1_000);
  assert.equal(nextStatusRetryMs(40_000, FAST_TIMING), 60_000);
  const zero: Timing = { ...FAST_TIMING, statusUpdateRetryMinMs: 0 };
  assert.equal(firstStatusRetryMs(zero), MIN_RETRY_DELAY_MS);
  assert.equal(nextStatusRetryMs(0, zero), MIN_RETRY_DELAY_MS);
});
