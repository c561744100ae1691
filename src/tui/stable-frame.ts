/**
 * The frame of the latest state, handed out as the same array for as long as
 * it looks the same. Ink repaints the whole screen on every React commit (it
 * re-tokenises every styled line), and most store updates change nothing on
 * screen: ages and the clock move once a simulated second, the visible rows
 * only now and then. Comparing the built lines is cheap; React then re-renders
 * (and Ink repaints) only a frame that differs.
 */
import { buildFrame, type FrameLine } from './frame.js';
import type { TableCache } from './tables.js';
import type { UiState } from './ui-state.js';

/** Whether two frames show the same lines in the same styles. */
export function sameFrame(a: readonly FrameLine[], b: readonly FrameLine[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as FrameLine;
    const y = b[i] as FrameLine;
    if (x.text !== y.text || x.style !== y.style) return false;
  }
  return true;
}

/** Builds frames for a session, keeping the last one while nothing visible changes. */
export class StableFrame {
  private readonly tables: TableCache;
  private state: UiState | null = null;
  private lines: readonly FrameLine[] = [];

  constructor(tables: TableCache) {
    this.tables = tables;
  }

  /** The frame of `state`: the previous array itself when it would look the same. */
  of(state: UiState): readonly FrameLine[] {
    if (state === this.state) return this.lines;
    // Built before the state is remembered: a state that fails to draw fails again on the next call
    // (React calls again while rendering), so the crash reaches Ink instead of an old frame staying up.
    const next = buildFrame(state, this.tables);
    this.state = state;
    if (!sameFrame(next, this.lines)) this.lines = next;
    return this.lines;
  }
}
