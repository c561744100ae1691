/**
 * Renders the TUI over a fake feed with ink-testing-library, with helpers to
 * press keys and wait for Ink to re-render.
 */
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/app.js';
import type { ScreenSize } from '../../src/tui/layout.js';
import { createTuiSession, type TuiSession } from '../../src/tui/session.js';
import type { UiState } from '../../src/tui/ui-state.js';
import { FakeFeed } from './fake-feed.js';

/** Lets Ink process input (a pending escape is flushed on setImmediate) and re-render. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 4; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Keys as a terminal sends them. */
export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

/** A rendered TUI and its fake feed. */
export interface Harness {
  readonly feed: FakeFeed;
  readonly session: TuiSession;
  /** Exit codes reported by the app. */
  readonly quits: number[];
  /** The last frame drawn. */
  frame(): string;
  /** The frame's lines. */
  lines(): string[];
  /** How many frames Ink has drawn so far (one per React commit: the testing library renders in debug mode). */
  renders(): number;
  /** Writes keys to stdin (one write = one input chunk) and waits for the re-render. */
  press(keys: string): Promise<void>;
  /** Writes each key as its own chunk. */
  pressEach(...keys: string[]): Promise<void>;
  state(): UiState;
  resize(size: ScreenSize): Promise<void>;
  unmount(): void;
}

/** Renders the App over a (new) fake feed. */
export async function renderTui(options: { feed?: FakeFeed; size?: ScreenSize; readonly?: boolean; noColor?: boolean; scenario?: string } = {}): Promise<Harness> {
  const feed = options.feed ?? new FakeFeed();
  const session = createTuiSession({
    feed,
    readonly: options.readonly ?? false,
    noColor: options.noColor ?? true,
    size: options.size ?? { columns: 80, rows: 24 },
    refreshMs: 0,
    scenario: options.scenario ?? null,
  });
  const quits: number[] = [];
  const r = render(<App session={session} onQuit={(code) => quits.push(code)} />);
  await settle();
  const frame = (): string => r.lastFrame() ?? '';
  const press = async (keys: string): Promise<void> => {
    r.stdin.write(keys);
    await settle();
  };
  return {
    feed,
    session,
    quits,
    frame,
    lines: () => frame().split('\n'),
    renders: () => r.frames.length,
    press,
    pressEach: async (...keys: string[]) => {
      for (const k of keys) await press(k);
    },
    state: () => session.store.getState(),
    resize: async (size) => {
      session.resize(size);
      await settle();
    },
    unmount: () => {
      r.unmount();
      session.dispose();
    },
  };
}

/** The status line: the second last line of the frame (the key-hint line is last). */
export function statusLine(harness: Harness): string {
  const lines = harness.lines();
  return lines[lines.length - 2] ?? '';
}
