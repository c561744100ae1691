/**
 * A TUI session without React: the store, the table cache, the frame memo,
 * the feed sync and the controller, wired. `runTui` renders a session with Ink; tests render
 * `<App session>` with ink-testing-library or drive the controller directly.
 */
import { resize } from './actions.js';
import { Controller } from './controller.js';
import { FeedSync, type SyncTimers } from './feed-sync.js';
import type { ScreenSize } from './layout.js';
import type { ClusterFeed } from './source.js';
import { StableFrame } from './stable-frame.js';
import { createTuiStore, type TuiStore } from './store.js';
import { TableCache } from './tables.js';
import { initialState } from './ui-state.js';

/** Default coalescing of feed changes into store updates: ~10 Hz. */
export const DEFAULT_REFRESH_MS = 100;

/** Options of a session. */
export interface TuiSessionOptions {
  readonly feed: ClusterFeed;
  /** Fault keys and fault commands off (`--readonly`). */
  readonly readonly: boolean;
  /** Why it is read-only, for the header and status line (`read-only: <reason>`). */
  readonly readonlyReason?: string | null;
  /** The header's words for the cluster instead of seed and profile (a live master's address). */
  readonly title?: string | null;
  /** Plain output: no colour, ASCII meters and sparkline (`--no-color`, NO_COLOR, TERM=dumb). */
  readonly noColor: boolean;
  /** The terminal size; update it with `session.resize`. */
  readonly size: ScreenSize;
  /** Coalescing interval; 0 updates synchronously (tests). Default DEFAULT_REFRESH_MS. */
  readonly refreshMs?: number;
  /** Timers for the coalescing (tests). */
  readonly timers?: SyncTimers;
  /** A scenario file to start at once (`--scenario FILE`). */
  readonly scenario?: string | null;
}

/** A wired session. */
export interface TuiSession {
  readonly feed: ClusterFeed;
  readonly store: TuiStore;
  readonly tables: TableCache;
  /** The frame to draw, the same array while it looks the same. */
  readonly frames: StableFrame;
  readonly sync: FeedSync;
  readonly controller: Controller;
  /** Records a new terminal size (call on the stdout 'resize' event). */
  resize(size: ScreenSize): void;
  /** Stops listening to the feed (idempotent). */
  dispose(): void;
}

/** Builds a session, reads the feed once and starts listening. */
export function createTuiSession(options: TuiSessionOptions): TuiSession {
  const feed = options.feed;
  const store = createTuiStore(
    initialState({
      seed: feed.seed,
      timingProfile: feed.timingProfile,
      generation: feed.generation,
      readonly: options.readonly,
      readonlyReason: options.readonlyReason ?? null,
      title: options.title ?? null,
      noColor: options.noColor,
      cluster: feed.snapshot(),
      clock: { paused: feed.clock.paused(), speed: feed.clock.speed() },
      size: options.size,
    }),
  );
  // A replay's timeline shows from the first frame (the first paint comes before the feed's first flush).
  if (feed.replay) {
    const replay = feed.replay;
    store.apply((s) => ({ ...s, replay: { info: replay.info, position: replay.position() } }));
  }
  const tables = new TableCache();
  const sync = new FeedSync({ feed, store, refreshMs: options.refreshMs ?? DEFAULT_REFRESH_MS, ...(options.timers ? { timers: options.timers } : {}) });
  const controller = new Controller({ store, tables, feed, sync, readonly: options.readonly });
  sync.start();
  if (options.scenario) controller.runScenario(options.scenario);
  return {
    feed,
    store,
    tables,
    frames: new StableFrame(tables),
    sync,
    controller,
    resize: (size) => store.apply((s) => resize(s, size)),
    dispose: () => sync.stop(),
  };
}

/** What a session on a terminal is made of (runTui's options). */
export interface TerminalSessionOptions {
  readonly feed: ClusterFeed;
  readonly stdout: { readonly columns?: number; readonly rows?: number };
  readonly readonly: boolean;
  readonly readonlyReason?: string | null;
  readonly title?: string | null;
  readonly noColor: boolean;
  readonly refreshMs?: number;
  readonly scenario?: string | null;
}

/** A session sized to the terminal (runTui and the first paint make theirs alike). */
export function createTerminalSession(options: TerminalSessionOptions): TuiSession {
  const { stdout } = options;
  return createTuiSession({
    feed: options.feed,
    readonly: options.readonly,
    readonlyReason: options.readonlyReason ?? null,
    title: options.title ?? null,
    noColor: options.noColor,
    size: { columns: stdout.columns || 80, rows: stdout.rows || 24 },
    ...(options.refreshMs === undefined ? {} : { refreshMs: options.refreshMs }),
    scenario: options.scenario ?? null,
  });
}
