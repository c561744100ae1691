/**
 * Advances a simulated cluster through virtual time in chunks, handing control
 * back to the event loop between chunks (so Ctrl-C can be seen) and polling the
 * stop request. Everything the runner does in virtual time goes through here.
 */

/** What the driver moves: a clock that runs the simulation up to a time (a SimCluster). */
export interface SimClock {
  now(): number;
  runUntil(timeMs: number): void;
}

/** How the driver hands control back and learns of a stop request. */
export interface DriverOptions {
  /** Awaited between chunks; default resolves at once. */
  readonly yieldControl?: () => Promise<void>;
  /** Polled between chunks; true stops an interruptible advance. */
  readonly shouldStop?: () => boolean;
  /** Virtual time per chunk; default 1 s. */
  readonly chunkMs?: number;
}

/** Virtual time per chunk between yields. */
export const DEFAULT_CHUNK_MS = 1_000;

/** Moves a cluster's clock forward for the runner. */
export class Driver {
  /** Set once a stop request was seen while interruptible; never cleared. */
  stopRequested = false;
  /** While false (rollbacks), stop requests are noted but do not cut an advance short. */
  interruptible = true;
  private readonly chunkMs: number;
  private readonly yieldControl: () => Promise<void>;
  private readonly shouldStop: () => boolean;
  private yieldedChunk = 0;

  constructor(
    readonly cluster: SimClock,
    options: DriverOptions = {},
  ) {
    this.chunkMs = options.chunkMs ?? DEFAULT_CHUNK_MS;
    this.yieldControl = options.yieldControl ?? (() => Promise.resolve());
    this.shouldStop = options.shouldStop ?? (() => false);
  }

  /** Virtual time now. */
  now(): number {
    return this.cluster.now();
  }

  /** Whether the current phase should stop now (polls the stop request). */
  stopped(): boolean {
    if (!this.stopRequested && this.shouldStop()) this.stopRequested = true;
    return this.stopRequested && this.interruptible;
  }

  /** Runs the simulation until `timeMs`; false when a stop request cut it short. */
  async advanceTo(timeMs: number): Promise<boolean> {
    while (this.now() < timeMs) {
      if (this.stopped()) return false;
      this.cluster.runUntil(Math.min(timeMs, (Math.floor(this.now() / this.chunkMs) + 1) * this.chunkMs));
      // Hand control back once per chunk of virtual time crossed, however small the advances.
      const chunk = Math.floor(this.now() / this.chunkMs);
      if (chunk > this.yieldedChunk) {
        this.yieldedChunk = chunk;
        await this.yieldControl();
      }
    }
    return !this.stopped();
  }
}
