import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, type WallClock } from '../../src/cli/pacer.js';

function fakeClock() {
  let now = 0;
  let fn: (() => void) | null = null;
  const clock: WallClock = {
    nowMs: () => now,
    every: (_ms, f) => {
      fn = f;
      return () => {
        fn = null;
      };
    },
  };
  return {
    clock,
    advance(ms: number) {
      now += ms;
      fn?.();
    },
  };
}

function fakeSim() {
  let t = 0;
  return { now: () => t, advanceTo: (x: number) => void (t = Math.max(t, x)) };
}

test('runs at x1, x10, pauses and resumes without a jump', () => {
  const wall = fakeClock();
  const sim = fakeSim();
  const pacer = new Pacer(sim, { clock: wall.clock });
  pacer.start();
  wall.advance(1000);
  assert.equal(sim.now(), 1000);
  pacer.setSpeed(10);
  wall.advance(1000);
  assert.equal(sim.now(), 11_000);
  pacer.setPaused(true);
  wall.advance(5000);
  assert.equal(sim.now(), 11_000);
  pacer.setPaused(false);
  wall.advance(100);
  assert.equal(sim.now(), 12_000);
  pacer.stop();
  wall.advance(1000);
  assert.equal(sim.now(), 12_000);
});

test('speed is clamped and a slow simulation falls behind gracefully', () => {
  const wall = fakeClock();
  const sim = fakeSim();
  const pacer = new Pacer(sim, { clock: wall.clock, maxStepMs: 500 });
  pacer.setSpeed(1e9);
  assert.equal(pacer.speed(), 1000);
  pacer.setSpeed(1);
  pacer.start();
  wall.advance(2000);
  assert.equal(sim.now(), 500);
  wall.advance(100);
  assert.equal(sim.now(), 600, 'the debt was dropped, not piled up');
});

test('the pace gate holds a run back to the wall clock, pauses it, and releases it', async () => {
  const { createPaceGate } = await import('../../src/cli/pace-gate.js');
  let now = 0;
  const slept: number[] = [];
  const gate = createPaceGate(0, {
    clock: { nowMs: () => now, every: () => () => {} },
    speed: 2,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await new Promise((r) => setImmediate(r)); // a real sleep yields to the event loop
    },
  });
  await gate.wait(1000); // 1 s of virtual time at x2 = 500 ms of wall time
  assert.equal(now, 500);
  gate.setPaused(true);
  let through = false;
  const waiting = gate.wait(1100).then(() => (through = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(through, false, 'paused: held');
  gate.setPaused(false);
  await waiting;
  assert.ok(through);
  gate.release();
  const before = now;
  await gate.wait(1e9);
  assert.equal(now, before, 'released: no waiting');
});
