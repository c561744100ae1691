/**
 * Paces a scenario run inside the TUI: the runner awaits the gate between
 * chunks of virtual time, and the gate holds it back until the wall clock
 * (times the speed) has caught up, and while the clock is paused. The run
 * stays deterministic: the gate only decides when, never what.
 */
import { SPEED_MAX, SPEED_MIN, type WallClock } from './pacer.js';

/** The gate and its clock controls. */
export interface PaceGate {
  /** Resolves when the wall clock has caught up with `simulatedMs` (and the clock is not paused). */
  wait(simulatedMs: number): Promise<void>;
  paused(): boolean;
  setPaused(paused: boolean): void;
  speed(): number;
  setSpeed(speed: number): void;
  /** Lets every waiter through at once (the run is being abandoned). */
  release(): void;
}

/** Options of a gate. */
export interface PaceGateOptions {
  readonly clock: WallClock;
  readonly speed: number;
  /** Resolves after `ms` of wall time. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** Builds a gate starting at virtual time `startMs`. */
export function createPaceGate(startMs: number, options: PaceGateOptions): PaceGate {
  let speed = options.speed;
  let isPaused = false;
  let released = false;
  let wallBaseMs = options.clock.nowMs();
  let simBaseMs = startMs;
  let lastSimMs = startMs;
  const rebase = (): void => {
    wallBaseMs = options.clock.nowMs();
    simBaseMs = lastSimMs;
  };
  return {
    async wait(simulatedMs) {
      lastSimMs = simulatedMs;
      for (;;) {
        if (released) return;
        if (isPaused) {
          await options.sleep(50);
          continue;
        }
        const dueWallMs = wallBaseMs + (simulatedMs - simBaseMs) / speed;
        const aheadMs = dueWallMs - options.clock.nowMs();
        if (aheadMs <= 0) return;
        await options.sleep(Math.min(aheadMs, 50));
      }
    },
    paused: () => isPaused,
    setPaused(paused) {
      if (paused === isPaused) return;
      isPaused = paused;
      rebase();
    },
    speed: () => speed,
    setSpeed(next) {
      rebase();
      speed = Math.min(SPEED_MAX, Math.max(SPEED_MIN, next));
    },
    release() {
      released = true;
    },
  };
}
