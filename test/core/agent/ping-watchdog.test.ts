import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PingWatchdog } from '../../../src/core/agent/ping-watchdog.js';
import { FakeContext } from '../../helpers/fake-context.js';

/** A context whose timers are only recorded: the test fires them by hand. */
function watchdogWithTimers(): { ctx: FakeContext; dog: PingWatchdog; sets: Array<[number, number]> } {
  const ctx = new FakeContext('agent-1');
  const sets: Array<[number, number]> = [];
  const setTimer = ctx.setTimer.bind(ctx);
  ctx.setTimer = (key, delayMs) => {
    sets.push([ctx.nowMs, delayMs]);
    setTimer(key, delayMs);
  };
  return { ctx, dog: new PingWatchdog(ctx, 'ping-timeout', 5_000), sets };
}

test('ping watchdog: pings do not re-arm the timer; an early fire re-arms for what is left of the window', () => {
  const { ctx, dog, sets } = watchdogWithTimers();
  dog.ping(); // at 0: armed for 5 s
  for (let t = 1_000; t <= 4_000; t += 1_000) {
    ctx.nowMs = t;
    dog.ping();
  }
  assert.deepEqual(sets, [[0, 5_000]], 'one timer for five pings');
  ctx.nowMs = 5_000;
  ctx.timers.delete('ping-timeout'); // fired, as the runtime would have it
  assert.equal(dog.fired(), false, 'the last ping was at 4 s: not lost');
  assert.deepEqual(sets.at(-1), [5_000, 4_000], 're-armed for 9 s, the window after the last ping');
  ctx.nowMs = 9_000;
  ctx.timers.delete('ping-timeout');
  assert.equal(dog.fired(), true, 'no ping since 4 s: lost at 9 s');
  assert.equal(ctx.timers.has('ping-timeout'), false, 'not re-armed once lost');
});

test('ping watchdog: disarm cancels the timer, and the next ping arms it afresh', () => {
  const { ctx, dog, sets } = watchdogWithTimers();
  dog.ping();
  dog.disarm();
  assert.equal(ctx.timers.has('ping-timeout'), false);
  ctx.nowMs = 2_000;
  dog.ping();
  assert.deepEqual(sets, [
    [0, 5_000],
    [2_000, 5_000],
  ]);
});
