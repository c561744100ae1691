/**
 * Screen layout: which chrome lines fit and how tall the body is. The frame is
 * drawn one line shorter than the terminal (a frame exactly as tall as the
 * terminal forces Ink into a full repaint, src/tui/README.md), and below
 * five lines the chrome gives way in order: tabs, then hints, then header.
 */

/** Terminal size in character cells. */
export interface ScreenSize {
  readonly columns: number;
  readonly rows: number;
}

/** Which chrome lines are drawn and how many lines the body gets. */
export interface Chrome {
  readonly header: boolean;
  readonly tabs: boolean;
  readonly status: boolean;
  readonly hints: boolean;
  readonly bodyLines: number;
}

/** Lines the frame may use: one less than the terminal, at least one. */
export function frameLines(size: ScreenSize): number {
  return Math.max(1, Math.floor(size.rows) - 1);
}

/** The chrome that fits in the frame. */
export function chromeOf(size: ScreenSize): Chrome {
  const lines = frameLines(size);
  if (lines >= 5) return { header: true, tabs: true, status: true, hints: true, bodyLines: lines - 4 };
  if (lines === 4) return { header: true, tabs: false, status: true, hints: true, bodyLines: 1 };
  if (lines === 3) return { header: true, tabs: false, status: true, hints: true, bodyLines: 0 };
  if (lines === 2) return { header: true, tabs: false, status: true, hints: false, bodyLines: 0 };
  return { header: false, tabs: false, status: true, hints: false, bodyLines: 0 };
}

/** Lines a table view has for rows: the body minus its title and column header. */
export function tableRowLines(size: ScreenSize): number {
  return Math.max(0, chromeOf(size).bodyLines - 2);
}

/** Lines a document (overview, run panel, describe pane, help) has below its title. */
export function documentLines(size: ScreenSize): number {
  return Math.max(0, chromeOf(size).bodyLines - 1);
}

/**
 * The size the chrome and the body are laid out in: a replay draws its
 * timeline bar on one more line, taken from the body.
 */
export function layoutSize(state: { readonly size: ScreenSize; readonly replay: unknown }): ScreenSize {
  return state.replay === null ? state.size : { columns: state.size.columns, rows: Math.max(1, state.size.rows - 1) };
}
