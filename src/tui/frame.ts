/**
 * The whole screen as pre-formatted lines: header, tabs, body (a table, a
 * document, the describe pane or help), status line and key hints. Pure: the
 * React side only draws these, one `<Text>` per line. Exactly
 * `frameLines(size)` lines (the terminal's rows minus one), none wider than
 * the terminal, so small screens truncate instead of wrapping.
 */
import { assertNever } from '../core/errors.js';
import { COMMAND_HELP } from './commands.js';
import { describePane } from './describe.js';
import { clip, cutMiddle, formatAmount, formatClock } from './format.js';
import { hintLine, keyHelpLines } from './keymap.js';
import { chromeOf, documentLines, frameLines, layoutSize, tableRowLines } from './layout.js';
import { findingPane, timelineBar, TIMELINE_LEGEND } from './replay-view.js';
import { overviewLines } from './overview.js';
import { runPanelLines, runSummary } from './run-panel.js';
import { effectiveTop, resolveIndex } from './actions.js';
import { headerLine, layoutColumns, rowLine } from './table-layout.js';
import type { TableCache } from './tables.js';
import type { UiState } from './ui-state.js';
import { isTableView, viewTitle, visibleViews, type TableViewName } from './views.js';

/** How a line is drawn; the theme maps it to colours (none with noColor). */
export type LineStyle = 'plain' | 'header' | 'tabs' | 'title' | 'columns' | 'selected' | 'warning' | 'error' | 'ok' | 'prompt' | 'hint';

/** One screen line. */
export interface FrameLine {
  readonly text: string;
  readonly style: LineStyle;
}

function line(text: string, style: LineStyle = 'plain'): FrameLine {
  return { text, style };
}

function headerText(state: UiState): string {
  const cluster = state.cluster;
  const leader = cluster.leader ? `leader ${cluster.leader.node} e${cluster.leader.epoch}` : 'NO LEADER';
  const clock = state.clock.paused ? 'PAUSED' : `x${formatAmount(state.clock.speed)}`;
  // Most important first: the line is cut at the screen's edge.
  const parts = ['faultline', state.title ?? `seed ${state.seed} ${state.timingProfile}`];
  // A reason (top on a master without chaos) is why no fault key works: it goes before the leader and clock.
  if (state.readonly && state.readonlyReason !== null) parts.push(`read-only: ${state.readonlyReason}`);
  parts.push(leader, `t ${formatClock(cluster.nowMs)} ${clock}`);
  if (state.replay) parts.push(`REPLAY ${state.replay.info.source}`);
  else if (state.readonly && state.readonlyReason === null) parts.push('READONLY');
  if (state.run) parts.push(`run ${runSummary(state.run)}`);
  return parts.join('  ');
}

function tabsText(state: UiState, width: number): string {
  const views = visibleViews(state.run !== null);
  const full = views.map((v) => (v.name === state.view ? `[${v.digit} ${v.title}]` : ` ${v.digit} ${v.title} `)).join('');
  if (full.length <= width) return full;
  // Too narrow for every title: the current view keeps its name, the others their digit.
  return views.map((v) => (v.name === state.view ? `[${v.digit} ${v.title}]` : ` ${v.digit} `)).join('');
}

function helpLines(state: UiState): string[] {
  const commands = COMMAND_HELP.map((c) => `  :${c.usage.padEnd(24)} ${c.help}`);
  // A replay's timeline bar has its own glyphs: its legend opens the help, above the keys that move along it.
  const legend = state.replay === null ? [] : ['Timeline bar', `  ${TIMELINE_LEGEND}`, ...(state.replay.info.phasesKnown ? [] : ['  (phases guessed from the history, marked ?: its sidecar predates recorded phases)'])];
  return [...legend, ...keyHelpLines({ readonly: state.readonly, replay: state.replay !== null }), 'Commands', ...commands];
}

/** The current document's title and lines (help, describe pane, overview, run panel), or null on a plain table. */
function documentOf(state: UiState, width: number): { title: string; lines: readonly string[]; scroll: number } | null {
  const overlay = state.overlay;
  switch (overlay.kind) {
    case 'help':
      return { title: 'Help (? or esc closes; j/k scroll)', lines: helpLines(state), scroll: overlay.scroll };
    case 'describe': {
      const pane = describePane(state, overlay.view, overlay.id);
      return { title: `${pane.title} (enter or esc closes)`, lines: pane.lines, scroll: overlay.scroll };
    }
    case 'finding': {
      if (state.replay === null) break;
      const pane = findingPane(state.replay.info, overlay.index, overlay.selected);
      return { title: `${pane.title} (esc closes; } { next, previous)`, lines: pane.lines, scroll: overlay.scroll };
    }
    case 'text':
      return { title: `${overlay.title} (esc closes${overlay.what === 'output' ? '; l again refreshes' : ''})`, lines: overlay.lines, scroll: overlay.scroll };
    case 'none':
      break;
    default:
      return assertNever(overlay, 'overlay');
  }
  if (state.view === 'overview') return { title: 'Overview', lines: overviewLines(state, width), scroll: state.scroll.overview };
  if (state.view === 'run') return { title: 'Scenario run', lines: runPanelLines(state.run), scroll: state.scroll.run };
  return null;
}

/** How far the current document (help, describe pane, overview, run panel) can scroll; 0 on a table. */
export function maxScroll(state: UiState): number {
  const doc = documentOf(state, state.size.columns);
  return doc === null ? 0 : Math.max(0, doc.lines.length - documentLines(layoutSize(state)));
}

function documentBody(doc: { title: string; lines: readonly string[]; scroll: number }, state: UiState, bodyLines: number): FrameLine[] {
  if (bodyLines <= 0) return [];
  const visible = documentLines(layoutSize(state));
  const top = Math.max(0, Math.min(doc.scroll, doc.lines.length - visible));
  const more = doc.lines.length > top + visible ? `  (${doc.lines.length - top - visible} more: j/PgDn)` : '';
  const body = [line(doc.title + more, 'title')];
  for (const text of doc.lines.slice(top, top + visible)) body.push(line(text));
  return body;
}

function tableBody(state: UiState, view: TableViewName, tables: TableCache, bodyLines: number): FrameLine[] {
  if (bodyLines <= 0) return [];
  const width = state.size.columns;
  const ascii = state.noColor;
  const table = tables.of(state, view);
  const filter = state.filter[view];
  const sortColumn = table.columns[table.sort.column];
  let title = `${viewTitle(view)} ${table.length}/${table.total}`;
  if (filter !== '') title += `  filter "${filter}"`;
  if (sortColumn) title += `  sort ${sortColumn.title} ${table.sort.descending ? 'desc' : 'asc'}`;
  if (view === 'events' && state.warningsOnly) title += '  warnings only';
  if (view === 'tasks') title += state.showCompleted ? '  active+completed' : '  active (c: completed too)';
  const body = [line(title, 'title')];
  if (bodyLines === 1) return body;
  const placed = layoutColumns(table.columns, width);
  body.push(line(headerLine(table.columns, placed, ascii), 'columns'));
  const rows = tableRowLines(layoutSize(state));
  if (table.length === 0) {
    if (rows > 0) body.push(line(filter === '' ? '  (none)' : '  (no rows match the filter; esc clears it)'));
    return body;
  }
  const index = resolveIndex(state.selection[view], table);
  const top = effectiveTop({ top: state.selection[view].top, index, visibleRows: rows, length: table.length });
  const end = Math.min(table.length, top + rows);
  for (let i = top; i < end; i += 1) {
    const selected = i === index;
    const text = rowLine({ columns: table.columns, placed, cells: table.cellsAt(i), selected, ascii });
    body.push(line(text, selected ? 'selected' : table.warningAt(i) ? 'warning' : 'plain'));
  }
  return body;
}

function statusLine(state: UiState, width: number): FrameLine {
  // A prompt is never cut at its end: the question loses its middle, the `[y/n]` stays.
  if (state.confirm) return line(`${cutMiddle(state.confirm.prompt, Math.max(1, width - 6), state.noColor)} [y/n]`, 'prompt');
  if (state.input) {
    const typed = `${state.input.kind === 'filter' ? '/' : state.input.kind === 'time' ? 'jump to time (12.5s, 2m): ' : ':'}${state.input.text}_`;
    // Long input scrolls: the end, where the cursor is, stays in view.
    return line(typed.length <= width ? typed : `${state.noColor ? '~' : '…'}${typed.slice(typed.length - width + 1)}`, 'prompt');
  }
  const status = state.status;
  if (status === null) return line('');
  if (status.tone === 'error') return line(`error: ${status.text}`, 'error');
  return line(status.text, status.tone === 'ok' ? 'ok' : 'plain');
}

function hintsLine(state: UiState): FrameLine {
  if (state.confirm) return line('y yes  n/esc no', 'hint');
  if (state.input?.kind === 'command') {
    const candidates = state.input.candidates ?? [];
    if (candidates.length > 0) return line(`tab: ${candidates.length} match: ${candidates.slice(0, 12).join(' ')}${candidates.length > 12 ? ' ...' : ''}`, 'hint');
    return line('enter run  tab complete  up/down history  esc cancel  (:help lists commands)', 'hint');
  }
  if (state.input?.kind === 'time') return line('enter jump  esc cancel  (a virtual time: 90s, 1m30s, 12.5s)', 'hint');
  if (state.input?.kind === 'filter') {
    if (state.input.replaceOnType === true) return line('typing replaces the filter  backspace edits it  enter keep  esc clear', 'hint');
    return line('words: all must match  !word: must not  regex ok (^web\\.1$)  enter keep  esc clear', 'hint');
  }
  if (state.overlay.kind === 'finding') return line('j/k select an event  enter jump to it  } { next/previous finding  esc close  q quit', 'hint');
  if (state.overlay.kind !== 'none') return line('j/k scroll  esc close  ? help  q quit', 'hint');
  return line(hintLine({ view: state.view, readonly: state.readonly, replay: state.replay !== null, width: state.size.columns }), 'hint');
}

/** Every line of the screen for this state. */
export function buildFrame(state: UiState, tables: TableCache): FrameLine[] {
  const width = Math.max(1, state.size.columns);
  const chrome = chromeOf(layoutSize(state));
  const out: FrameLine[] = [];
  if (chrome.header) out.push(line(headerText(state), 'header'));
  if (chrome.tabs) out.push(line(tabsText(state, width), 'tabs'));
  if (state.replay !== null) out.push(line(timelineBar(state.replay, state.cluster.nowMs, width), 'tabs'));
  const doc = documentOf(state, width);
  const body = doc !== null ? documentBody(doc, state, chrome.bodyLines) : isTableView(state.view) ? tableBody(state, state.view, tables, chrome.bodyLines) : [];
  for (let i = 0; i < chrome.bodyLines; i += 1) out.push(body[i] ?? line(''));
  if (chrome.status) out.push(statusLine(state, width));
  if (chrome.hints) out.push(hintsLine(state));
  const total = frameLines(state.size);
  return out.slice(0, total).map((l) => ({ text: clip(l.text, width), style: l.style }));
}
