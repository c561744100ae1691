/**
 * The TUI's feed over a saved history (`faultline replay`): the projection at
 * a movable position (core/projection/timeline.ts), read-only. `space` plays
 * it at the clock's speed (virtual ms per wall ms) from a wall-clock timer;
 * every other move is a seek. Going back restarts the Events view (a new
 * generation), as the TUI keeps only records it was given in order.
 */
import { err, type Result } from '../core/errors.js';
import type { HistoryRecord } from '../core/events.js';
import { ProjectionTimeline } from '../core/projection/timeline.js';
import type { ClusterState } from '../core/state.js';
import { positionAtMs, type ReplayInfoData } from '../chaos/replay/info.js';
import type { ClusterFeed, ReplayControl, ScenarioRunFeed } from '../tui/source.js';

/** Wall-clock timers for the playback (tests drive their own). */
export interface PlaybackTimers {
  now(): number;
  setInterval(callback: () => void, everyMs: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The real timers. */
export const REAL_PLAYBACK_TIMERS: PlaybackTimers = {
  now: () => performance.now(),
  setInterval: (callback, everyMs) => setInterval(callback, everyMs),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** Options of a replay feed. */
export interface ReplayFeedOptions {
  readonly records: readonly HistoryRecord[];
  readonly info: ReplayInfoData;
  readonly seed: string;
  readonly timingProfile: string;
  /** Where it opens (default 0, before the first record). */
  readonly position?: number;
  /** The time shown there (`--at`), kept between that record's time and the next's. */
  readonly atMs?: number;
  readonly timers?: PlaybackTimers;
  /** Wall ms between playback steps (default 50). */
  readonly tickMs?: number;
  readonly snapshotEvery?: number;
}

/** A replay feed with its playback timer. */
export interface ReplayFeed extends ClusterFeed {
  readonly replay: ReplayControl;
  /** Stops the playback timer (idempotent). */
  stop(): void;
}

const READ_ONLY = 'a replay is read-only: it shows a saved history, faults cannot be injected';

/** Builds the feed; it opens paused at `position`. */
export function createReplayFeed(options: ReplayFeedOptions): ReplayFeed {
  const { records, info } = options;
  const timers = options.timers ?? REAL_PLAYBACK_TIMERS;
  const tickMs = options.tickMs ?? 50;
  const timeline = new ProjectionTimeline(records, options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery });
  const listeners = new Set<() => void>();
  let state: ClusterState = timeline.seek(options.position ?? 0);
  let generation = 0;
  let paused = true;
  let speed = 1;
  let timer: unknown = null;
  let lastTickMs = 0;
  /** The playhead in virtual ms: playing moves it on through quiet stretches too. */
  let playMs = Math.max(state.nowMs, Math.min(records[timeline.position]?.atMs ?? info.endMs, options.atMs ?? state.nowMs));

  let shown: { base: ClusterState; atMs: number; state: ClusterState } | null = null;
  /** The state with the playhead's time: ages and the timeline move through quiet stretches too. */
  const view = (): ClusterState => {
    const atMs = Math.min(playMs, info.endMs);
    if (atMs <= state.nowMs) return state;
    if (shown?.base !== state || shown.atMs !== atMs) shown = { base: state, atMs, state: { ...state, nowMs: atMs } };
    return shown.state;
  };
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };
  const moveTo = (position: number): void => {
    const before = timeline.position;
    state = timeline.seek(position);
    if (timeline.position < before) generation += 1;
  };
  const stopTimer = (): void => {
    if (timer !== null) timers.clearInterval(timer);
    timer = null;
  };
  const tick = (): void => {
    const now = timers.now();
    playMs += (now - lastTickMs) * speed;
    lastTickMs = now;
    const target = positionAtMs(records, playMs);
    if (target !== timeline.position) moveTo(target);
    if (timeline.position >= records.length) {
      paused = true;
      stopTimer();
    }
    notify();
  };

  const replay: ReplayControl = {
    info,
    position: () => timeline.position,
    seek(position, atMs) {
      moveTo(position);
      const fromMs = timeline.lastRecord?.atMs ?? info.startMs;
      const untilMs = records[timeline.position]?.atMs ?? info.endMs;
      playMs = Math.max(fromMs, Math.min(untilMs, atMs ?? fromMs));
      notify();
    },
    positionAtMs: (atMs) => positionAtMs(records, atMs),
  };

  return {
    seed: options.seed,
    timingProfile: options.timingProfile,
    replay,
    get generation() {
      return generation;
    },
    snapshot: view,
    events(sinceSeq, limit) {
      const end = timeline.position;
      const first = records[0]?.seq ?? 0;
      const from = Math.max(0, sinceSeq + 1 - first, end - limit);
      return records.slice(from, end);
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    inject: (): Result<string> => err('USAGE', READ_ONLY),
    writeScenario: (): Result<string> => err('USAGE', `${READ_ONLY}; the scenario that made it is the file you replay (or its run)`),
    runScenario: (): Result<ScenarioRunFeed> => err('USAGE', READ_ONLY),
    clock: {
      paused: () => paused,
      speed: () => speed,
      setPaused(next) {
        if (next === paused) return;
        if (!next && timeline.position >= records.length) {
          // Play at the end starts over, as a player does.
          moveTo(0);
          playMs = info.startMs;
        }
        paused = next;
        stopTimer();
        if (!paused) {
          lastTickMs = timers.now();
          timer = timers.setInterval(tick, tickMs);
        }
        notify();
      },
      setSpeed(next) {
        speed = next;
        notify();
      },
    },
    stop: stopTimer,
  };
}
