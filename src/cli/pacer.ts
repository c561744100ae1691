/**
 * Paces a simulation to the wall clock (speed x1, x10, paused) for the
 * embedded TUI. The simulation stays deterministic: the pacer only decides how
 * far virtual time may run; what happens within it depends on the seed alone
 * (and on the faults injected, which are recorded with their virtual times).
 */

/** The wall clock and timer the pacer uses (real in the CLI, fake in tests). */
export interface WallClock {
  nowMs(): number;
  /** Calls `fn` every `ms`; returns a cancel function. */
  every(ms: number, fn: () => void): () => void;
}

/** The real wall clock. */
export const realWallClock: WallClock = {
  nowMs: () => performance.now(),
  every: (ms, fn) => {
    const handle = setInterval(fn, ms);
    handle.unref?.();
    return () => clearInterval(handle);
  },
};

/** What the pacer drives. */
export interface Paceable {
  now(): number;
  /** Runs the simulation to `timeMs` (a virtual cluster does it synchronously). */
  advanceTo(timeMs: number): void | Promise<void>;
}

/** Options of a pacer. */
export interface PacerOptions {
  readonly clock: WallClock;
  readonly speed?: number;
  /** Wall time between advances. */
  readonly tickMs?: number;
  /** Most virtual time one tick may run (keeps the UI responsive when the sim is slow). */
  readonly maxStepMs?: number;
  readonly onAdvance?: () => void;
}

/** The slowest and fastest speeds. */
export const SPEED_MIN = 0.25;
export const SPEED_MAX = 1000;

/** Drives a simulation in step with the wall clock. */
export class Pacer {
  private speedFactor: number;
  private isPaused = false;
  private wallBaseMs: number;
  private simBaseMs: number;
  private cancel: (() => void) | null = null;

  constructor(
    private readonly sim: Paceable,
    private readonly options: PacerOptions,
  ) {
    this.speedFactor = options.speed ?? 1;
    this.wallBaseMs = options.clock.nowMs();
    this.simBaseMs = sim.now();
  }

  /** Starts ticking. */
  start(): void {
    if (this.cancel) return;
    this.rebase();
    this.cancel = this.options.clock.every(this.options.tickMs ?? 50, () => this.tick());
  }

  /** Stops ticking. */
  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  /** Whether virtual time is frozen. */
  paused(): boolean {
    return this.isPaused;
  }

  /** Freezes or unfreezes virtual time. */
  setPaused(paused: boolean): void {
    if (paused === this.isPaused) return;
    this.isPaused = paused;
    this.rebase();
  }

  /** Virtual ms per wall ms. */
  speed(): number {
    return this.speedFactor;
  }

  /** Changes the speed (clamped to [SPEED_MIN, SPEED_MAX]). */
  setSpeed(speed: number): void {
    this.rebase();
    this.speedFactor = Math.min(SPEED_MAX, Math.max(SPEED_MIN, speed));
  }

  /** Advances the simulation to where the wall clock says it should be. */
  tick(): void {
    if (this.isPaused) return;
    const target = this.simBaseMs + (this.options.clock.nowMs() - this.wallBaseMs) * this.speedFactor;
    const limit = this.sim.now() + (this.options.maxStepMs ?? 60_000);
    if (target <= this.sim.now()) return;
    void this.sim.advanceTo(Math.min(target, limit));
    // When the simulation cannot keep up, fall behind gracefully instead of piling up debt.
    if (target > limit) this.rebase();
    this.options.onAdvance?.();
  }

  private rebase(): void {
    this.wallBaseMs = this.options.clock.nowMs();
    this.simBaseMs = this.sim.now();
  }
}
