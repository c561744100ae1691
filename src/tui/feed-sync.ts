/**
 * Feed -> store, coalesced. The feed may call back on every event (hundreds a
 * second at speed x10); the store is updated at most once per `refreshMs`
 * (default 100 ms, ~10 Hz) because every store update rebuilds the frame (the
 * table on screen re-sorted; React and Ink then redraw only a frame that
 * changed, stable-frame.ts). A scenario run's changes go through the same
 * coalescing.
 */
import { ingest, replaceCluster, setRun } from './actions.js';
import type { ClusterFeed, ScenarioRunFeed } from './source.js';
import type { TuiStore } from './store.js';
import { EVENT_BUFFER_SIZE } from './ui-state.js';

/** Timers, injectable so tests need not wait. */
export interface SyncTimers {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real timers. */
export const REAL_TIMERS: SyncTimers = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Options of a FeedSync. */
export interface FeedSyncOptions {
  readonly feed: ClusterFeed;
  readonly store: TuiStore;
  /** At most one store update per this many ms; 0 updates synchronously on every change (tests). */
  readonly refreshMs: number;
  readonly timers?: SyncTimers;
}

/** Keeps the store in step with the feed (and the scenario run, once there is one). */
export class FeedSync {
  private readonly feed: ClusterFeed;
  private readonly store: TuiStore;
  private readonly refreshMs: number;
  private readonly timers: SyncTimers;
  private unsubscribeFeed: (() => void) | null = null;
  private unsubscribeRun: (() => void) | null = null;
  private run: ScenarioRunFeed | null = null;
  private pending: unknown = null;
  private lastFlushMs = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(options: FeedSyncOptions) {
    this.feed = options.feed;
    this.store = options.store;
    this.refreshMs = options.refreshMs;
    this.timers = options.timers ?? REAL_TIMERS;
  }

  /** Reads the feed once and starts listening. */
  start(): void {
    this.flushNow();
    this.unsubscribeFeed = this.feed.subscribe(() => this.requestFlush());
  }

  /** Follows a scenario run until stop() (replaces any previous run). */
  watchRun(run: ScenarioRunFeed): void {
    this.unsubscribeRun?.();
    this.run = run;
    this.unsubscribeRun = run.subscribe(() => this.requestFlush());
    this.flushNow();
  }

  /** Schedules a store update, at most one per refreshMs. */
  requestFlush(): void {
    if (this.stopped) return;
    if (this.refreshMs <= 0) {
      this.flushNow();
      return;
    }
    if (this.pending !== null) return;
    const delayMs = Math.max(0, this.lastFlushMs + this.refreshMs - this.timers.now());
    this.pending = this.timers.setTimeout(() => {
      this.pending = null;
      this.flushNow();
    }, delayMs);
  }

  /** Updates the store now (after a key press, so it shows at once). */
  flushNow(): void {
    if (this.stopped) return;
    if (this.pending !== null) {
      this.timers.clearTimeout(this.pending);
      this.pending = null;
    }
    this.lastFlushMs = this.timers.now();
    const feed = this.feed;
    const current = this.store.getState();
    const replaced = feed.generation !== current.generation;
    const since = replaced ? -1 : current.lastSeq;
    const update = { cluster: feed.snapshot(), records: feed.events(since, EVENT_BUFFER_SIZE), clock: { paused: feed.clock.paused(), speed: feed.clock.speed() } };
    const run = this.run;
    this.store.apply((state) => {
      const fresh = replaced ? replaceCluster(state, { seed: feed.seed, timingProfile: feed.timingProfile, generation: feed.generation }) : state;
      const ingested = ingest(fresh, update);
      const replay = feed.replay;
      const position = replay?.position() ?? 0;
      const next =
        replay === undefined ? ingested : ingested.replay?.position === position && ingested.replay.info === replay.info ? ingested : { ...ingested, replay: { info: replay.info, position } };
      return run ? setRun(next, run.snapshot()) : next;
    });
  }

  /** Stops listening (idempotent). */
  stop(): void {
    this.stopped = true;
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
    this.pending = null;
    this.unsubscribeFeed?.();
    this.unsubscribeRun?.();
    this.unsubscribeFeed = null;
    this.unsubscribeRun = null;
  }
}
