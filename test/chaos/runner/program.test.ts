import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Driver, type ClusterClock } from '../../../src/chaos/runner/driver.js';
import { CHECK_EVERY_MS, runProgram, type Program } from '../../../src/chaos/runner/program.js';

/** A clock that only records how it was advanced. */
class FakeClock implements ClusterClock {
  nowMs = 0;
  readonly advances: number[] = [];
  now(): number {
    return this.nowMs;
  }
  advanceTo(timeMs: number): void {
    this.advances.push(timeMs);
    this.nowMs = Math.max(this.nowMs, timeMs);
  }
}

function setup(options: { shouldStop?: () => boolean } = {}) {
  const clock = new FakeClock();
  let yields = 0;
  const driver = new Driver(clock, {
    yieldControl: () => {
      yields += 1;
      return Promise.resolve();
    },
    ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
  });
  return { clock, driver, yields: () => yields };
}

function* waitFor(ms: number, log: string[], name: string, now: () => number): Program {
  yield { kind: 'time', atMs: now() + ms };
  log.push(`${name}@${now()}`);
}

describe('runProgram', () => {
  it('advances parallel branches together: two waits in parallel end at the longer, not the sum', async () => {
    const { clock, driver } = setup();
    const log: string[] = [];
    const now = () => clock.now();
    function* program(): Program {
      yield { kind: 'all', branches: [waitFor(3_000, log, 'a', now), waitFor(5_000, log, 'b', now)] };
      log.push(`joined@${now()}`);
      yield* waitFor(1_000, log, 'c', now);
    }
    assert.equal(await runProgram(program(), driver), 'done');
    assert.deepEqual(log, ['a@3000', 'b@5000', 'joined@5000', 'c@6000']);
  });

  it('wakes branches due at the same time in branch order (deterministic)', async () => {
    const { clock, driver } = setup();
    const log: string[] = [];
    const now = () => clock.now();
    function* program(): Program {
      yield { kind: 'all', branches: ['x', 'y', 'z'].map((n) => waitFor(2_000, log, n, now)) };
    }
    await runProgram(program(), driver);
    assert.deepEqual(log, ['x@2000', 'y@2000', 'z@2000']);
  });

  it('resumes an until with true when the condition holds and false at its deadline', async () => {
    const { clock, driver } = setup();
    const seen: Array<[boolean, number]> = [];
    function* program(): Program {
      seen.push([yield { kind: 'until', test: () => clock.now() >= 1_250, deadlineMs: 10_000 }, clock.now()]);
      seen.push([yield { kind: 'until', test: () => false, deadlineMs: clock.now() + 2_000 }, clock.now()]);
    }
    await runProgram(program(), driver);
    // Conditions are polled every CHECK_EVERY_MS of virtual time.
    assert.equal(CHECK_EVERY_MS, 100);
    assert.deepEqual(seen, [
      [true, 1_300],
      [false, 3_300],
    ]);
  });

  it('does not wait for a condition that already holds or a time already past', async () => {
    const { clock, driver } = setup();
    function* program(): Program {
      yield { kind: 'until', test: () => true, deadlineMs: 0 };
      yield { kind: 'time', atMs: 0 };
      yield { kind: 'all', branches: [] };
    }
    assert.equal(await runProgram(program(), driver), 'done');
    assert.equal(clock.now(), 0);
  });

  it('stops every branch when the abort flag is raised', async () => {
    const { clock, driver } = setup();
    let failed = false;
    const log: string[] = [];
    function* failing(): Program {
      yield { kind: 'time', atMs: 1_000 };
      failed = true;
    }
    function* long(): Program {
      yield { kind: 'time', atMs: 50_000 };
      log.push('should not run');
    }
    function* program(): Program {
      yield { kind: 'all', branches: [failing(), long()] };
    }
    assert.equal(await runProgram(program(), driver, () => failed), 'aborted');
    assert.equal(clock.now(), 1_000);
    assert.deepEqual(log, []);
  });

  it('yields once per second of virtual time and stops when asked', async () => {
    let stop = false;
    const { clock, driver, yields } = setup({ shouldStop: () => stop });
    function* program(): Program {
      yield { kind: 'time', atMs: 10_000 };
    }
    const run = runProgram(program(), driver);
    assert.equal(await run, 'done');
    assert.equal(yields(), 10);
    assert.ok(clock.advances.every((t) => t % 1_000 === 0), 'advances in whole chunks');

    const second = setup({ shouldStop: () => stop });
    let calls = 0;
    function* endless(): Program {
      for (;;) {
        calls += 1;
        if (calls === 3) stop = true;
        yield { kind: 'time', atMs: second.clock.now() + 1_000 };
      }
    }
    assert.equal(await runProgram(endless(), second.driver), 'interrupted');
    assert.equal(second.driver.stopRequested, true);
    assert.equal(second.clock.now(), 2_000);
  });

  it('keeps going through a stop request while not interruptible (rollbacks), but remembers it', async () => {
    const { clock, driver } = setup({ shouldStop: () => true });
    driver.interruptible = false;
    function* program(): Program {
      yield { kind: 'time', atMs: 5_000 };
    }
    assert.equal(await runProgram(program(), driver), 'done');
    assert.equal(clock.now(), 5_000);
    assert.equal(driver.stopRequested, true);
    driver.interruptible = true;
    assert.equal(driver.stopped(), true);
  });
});
