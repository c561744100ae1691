/** The master transport's link faults: cuts, loss, duplication, and delay that keeps a direction's order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LinkImpairments, type ImpairmentClock } from '../../../src/live/transport/link-impairments.js';

/** A manual clock: timers fire when `advance` passes them, in due order. */
function manualClock(draws: number[] = []): ImpairmentClock & { advance(ms: number): void } {
  let now = 0;
  let next = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      next += 1;
      timers.set(next, { at: now + ms, fn });
      return next;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    random: () => draws.shift() ?? 0.5,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = end;
    },
  };
}

describe('LinkImpairments', () => {
  it('passes frames at once when nothing is impaired', () => {
    const links = new LinkImpairments(manualClock());
    const got: number[] = [];
    links.pass('a', 'in', () => got.push(1));
    assert.deepEqual(got, [1]);
  });

  it('a cut drops one direction only, until cleared', () => {
    const links = new LinkImpairments(manualClock());
    const got: string[] = [];
    links.impair('a', 'in', { cut: true });
    links.pass('a', 'in', () => got.push('in'));
    links.pass('a', 'out', () => got.push('out'));
    assert.deepEqual(got, ['out']);
    assert.deepEqual(links.clear(), ['a']);
    links.pass('a', 'in', () => got.push('in'));
    assert.deepEqual(got, ['out', 'in']);
  });

  it('delay with jitter holds frames but never reorders a direction', () => {
    // Jitter draws: the first frame gets a long delay, the second a short one; the second still comes after.
    const clock = manualClock([0.9, 0.1, 0.5]);
    const links = new LinkImpairments(clock);
    links.impair('a', 'out', { delayMs: 100, jitterMs: 100 });
    const got: number[] = [];
    const push = (n: number) => () => void got.push(n);
    links.pass('a', 'out', push(1));
    links.pass('a', 'out', push(2));
    clock.advance(150);
    assert.deepEqual(got, []);
    clock.advance(60);
    assert.deepEqual(got, [1, 2]);
    links.clear();
    // Healed: a new frame still waits behind one held before the heal.
    links.impair('b', 'out', { delayMs: 50 });
    links.pass('b', 'out', push(3));
    links.clear();
    links.pass('b', 'out', push(4));
    assert.deepEqual(got, [1, 2]);
    clock.advance(60);
    assert.deepEqual(got, [1, 2, 3, 4]);
  });

  it('loss drops a frame when the draw is below it; duplication delivers it twice', () => {
    const links = new LinkImpairments(manualClock([0.05, 0.5, 0.5, 0.01]));
    const got: number[] = [];
    links.impair('a', 'in', { loss: 0.1 });
    links.pass('a', 'in', () => got.push(1));
    links.pass('a', 'in', () => got.push(2));
    links.impair('b', 'in', { duplicate: 0.1 });
    links.pass('b', 'in', () => got.push(3));
    links.pass('b', 'in', () => got.push(4));
    assert.deepEqual(got, [2, 3, 4, 4]);
  });
});
