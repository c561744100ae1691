/**
 * The delay proxy's schedule for one direction (no sockets, no clock): a
 * chunk is due at max(read time + its delay, the previous chunk's due time),
 * so jitter never reorders; only due chunks are taken; the source is paused
 * above the high-water mark and resumed at half of it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDelaySchedule, DEFAULT_HIGH_WATER_BYTES } from '../../../src/live/lab/delay-schedule.js';

const chunk = (label: string, byteLength = 10) => ({ label, byteLength });

describe('delay schedule', () => {
  it('a chunk is due at read time plus its delay', () => {
    const schedule = createDelaySchedule<ReturnType<typeof chunk>>();
    assert.equal(schedule.push(chunk('a'), 1000, 200).dueMs, 1200);
    assert.equal(schedule.nextDueMs(), 1200);
    assert.deepEqual(schedule.take(1199.9).due, []);
    assert.deepEqual(schedule.take(1200).due.map((c) => c.label), ['a']);
    assert.equal(schedule.nextDueMs(), null);
  });

  it('a shorter delay drawn later never overtakes the chunk before it', () => {
    const schedule = createDelaySchedule<ReturnType<typeof chunk>>();
    assert.equal(schedule.push(chunk('a'), 0, 500).dueMs, 500);
    assert.equal(schedule.push(chunk('b'), 10, 5).dueMs, 500, 'held until a is delivered');
    assert.equal(schedule.push(chunk('c'), 600, 5).dueMs, 605, 'after the backlog, its own delay again');
    assert.deepEqual(schedule.take(499).due, []);
    assert.deepEqual(schedule.take(500).due.map((c) => c.label), ['a', 'b']);
    assert.deepEqual(schedule.take(10_000).due.map((c) => c.label), ['c']);
  });

  it('keeps read order under random jitter, and due times never decrease', () => {
    const schedule = createDelaySchedule<ReturnType<typeof chunk>>();
    let seed = 7;
    const draw = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 300;
    };
    let last = -Infinity;
    for (let i = 0; i < 500; i += 1) {
      const { dueMs } = schedule.push(chunk(String(i)), i * 3, draw());
      assert.ok(dueMs >= last, `chunk ${i} due ${dueMs} before ${last}`);
      assert.ok(dueMs >= i * 3, 'never before its read time');
      last = dueMs;
    }
    const taken: string[] = [];
    for (let now = 0; now <= last; now += 17) taken.push(...schedule.take(now).due.map((c) => c.label));
    taken.push(...schedule.take(last).due.map((c) => c.label));
    assert.deepEqual(taken, Array.from({ length: 500 }, (_, i) => String(i)));
  });

  it('a negative or non-finite delay counts as none', () => {
    const schedule = createDelaySchedule<ReturnType<typeof chunk>>();
    assert.equal(schedule.push(chunk('a'), 50, -10).dueMs, 50);
    assert.equal(schedule.push(chunk('b'), 60, Number.NaN).dueMs, 60);
    assert.equal(schedule.push(chunk('c'), 70, Infinity).dueMs, 70);
  });

  it('pauses the source above the high-water mark and resumes at half of it', () => {
    const schedule = createDelaySchedule<ReturnType<typeof chunk>>({ highWaterBytes: 100 });
    assert.equal(schedule.push(chunk('a', 60), 0, 10).pause, false);
    assert.equal(schedule.push(chunk('b', 40), 1, 10).pause, false, 'exactly at the mark is not above it');
    assert.equal(schedule.push(chunk('c', 20), 2, 10).pause, true);
    assert.equal(schedule.paused(), true);
    assert.equal(schedule.push(chunk('d', 20), 3, 10).pause, false, 'pause is said once');
    assert.equal(schedule.waitingBytes(), 140);
    // Taking a (60) leaves 80: above half of 100, still paused.
    assert.deepEqual(schedule.take(10), { due: [chunk('a', 60)], resume: false });
    assert.equal(schedule.paused(), true);
    const rest = schedule.take(20);
    assert.equal(rest.resume, true);
    assert.equal(schedule.paused(), false);
    assert.equal(schedule.waitingBytes(), 0);
  });

  it('the default high-water mark is 1 MiB', () => {
    assert.equal(DEFAULT_HIGH_WATER_BYTES, 1024 * 1024);
    const schedule = createDelaySchedule<ReturnType<typeof chunk>>();
    assert.equal(schedule.push(chunk('a', 1024 * 1024), 0, 1).pause, false);
    assert.equal(schedule.push(chunk('b', 1), 0, 1).pause, true);
  });

  it('clear drops everything waiting and unpauses', () => {
    const schedule = createDelaySchedule<ReturnType<typeof chunk>>({ highWaterBytes: 5 });
    schedule.push(chunk('a', 10), 0, 100);
    schedule.clear();
    assert.equal(schedule.nextDueMs(), null);
    assert.equal(schedule.waitingBytes(), 0);
    assert.equal(schedule.paused(), false);
    assert.deepEqual(schedule.take(1000).due, []);
  });
});
