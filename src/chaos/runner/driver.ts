/**
 * Advances a cluster through time in chunks, handing control back to the
 * event loop between chunks (so Ctrl-C can be seen) and polling the stop
 * request. Everything the runner does in time goes through here: in the
 * simulation an advance runs the queue, on a live cluster it waits.
 */

/** What the driver moves: a clock that can be advanced to a time (a Cluster). */
export interface ClusterClock {
  now(): number;
  advanceTo(timeMs: number): void | Promise<void>;
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
    readonly cluster: ClusterClock,
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

  /** Advances the cluster to `timeMs`; false when a stop request cut it short. */
  async advanceTo(timeMs: number): Promise<boolean> {
    while (this.now() < timeMs) {
      if (this.stopped()) return false;
      const advanced = this.cluster.advanceTo(Math.min(timeMs, (Math.floor(this.now() / this.chunkMs) + 1) * this.chunkMs));
      if (advanced) await advanced;
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
