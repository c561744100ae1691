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
  return { now: () => t, runUntil: (x: number) => void (t = Math.max(t, x)) };
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
