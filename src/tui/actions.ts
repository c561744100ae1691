/**
 * Pure state transitions: (state, args) -> state. No React, no feed, no I/O;
 * the store binds them and the controller decides which to call. Actions that
 * move a selection take the current view's table model as an argument.
 */
import type { HistoryRecord } from '../core/events.js';
import type { ClusterState } from '../core/state.js';
import { layoutSize, tableRowLines, type ScreenSize } from './layout.js';
import { exitCodeOfVerdict, verdictText } from './run-panel.js';
import type { ScenarioRunSnapshot } from './source.js';
import { columnsOf, type TableModel } from './tables.js';
import {
  COMMAND_HISTORY_SIZE,
  EVENT_BUFFER_SIZE,
  LAST_FAULTS_SIZE,
  SAMPLE_EVERY_MS,
  SAMPLES_KEPT,
  type ClockView,
  type PendingAction,
  type Selection,
  type StatusMessage,
  type UiState,
} from './ui-state.js';
import { isTableView, visibleViews, type TableViewName, type ViewName } from './views.js';

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}

/** The selected row's index in a table: by id while the row exists, else the remembered index clamped. */
export function resolveIndex(selection: Selection, table: TableModel): number {
  if (table.length === 0) return 0;
  if (selection.id !== null) {
    const at = table.indexOf(selection.id);
    if (at >= 0) return at;
  }
  return clamp(selection.index, 0, table.length - 1);
}

/** The first visible row: the remembered one, moved just enough to show the selection. */
export function effectiveTop(options: { top: number; index: number; visibleRows: number; length: number }): number {
  const { index, visibleRows, length } = options;
  if (visibleRows <= 0) return clamp(index, 0, Math.max(0, length - 1));
  let top = clamp(options.top, 0, Math.max(0, length - visibleRows));
  if (index < top) top = index;
  if (index >= top + visibleRows) top = index - visibleRows + 1;
  return Math.max(0, top);
}

function withSelection(state: UiState, view: TableViewName, selection: Selection): UiState {
  return { ...state, selection: { ...state.selection, [view]: selection } };
}

function selectIndex(state: UiState, table: TableModel, index: number, follow = false): UiState {
  const view = table.view;
  if (table.length === 0) return withSelection(state, view, { id: null, index: 0, top: 0 });
  const at = clamp(index, 0, table.length - 1);
  const visibleRows = tableRowLines(layoutSize(state));
  const top = effectiveTop({ top: state.selection[view].top, index: at, visibleRows, length: table.length });
  // `follow` leaves the id unset: the cursor then stays on the first row as rows arrive (newest events).
  return withSelection(state, view, { id: follow ? null : (table.idAt(at) ?? null), index: at, top });
}

/** Moves the selection by `delta` rows (j/k, arrows). */
export function moveSelection(state: UiState, table: TableModel, delta: number): UiState {
  return selectIndex(state, table, resolveIndex(state.selection[table.view], table) + delta);
}

/** Jumps to the first row (g) and follows it, or to the last (G). */
export function selectEdge(state: UiState, table: TableModel, edge: 'first' | 'last'): UiState {
  return edge === 'first' ? selectIndex(state, table, 0, true) : selectIndex(state, table, table.length - 1);
}

/** Moves a page up or down (PgUp/PgDn). */
export function pageSelection(state: UiState, table: TableModel, direction: 1 | -1): UiState {
  const page = Math.max(1, tableRowLines(layoutSize(state)));
  return moveSelection(state, table, direction * page);
}

/** Scrolls a document view or the open overlay by `delta` lines, within [0, maxScroll]. */
export function scrollBy(state: UiState, delta: number, maxScroll: number): UiState {
  const limit = Math.max(0, maxScroll);
  const overlay = state.overlay;
  if (overlay.kind === 'help' || overlay.kind === 'describe' || overlay.kind === 'text') {
    return { ...state, overlay: { ...overlay, scroll: clamp(overlay.scroll + delta, 0, limit) } };
  }
  if (state.view === 'overview' || state.view === 'run') {
    return { ...state, scroll: { ...state.scroll, [state.view]: clamp(state.scroll[state.view] + delta, 0, limit) } };
  }
  return state;
}

/** Switches to a view (1-8); closes the overlay and any half-typed line. */
export function setView(state: UiState, view: ViewName): UiState {
  if (view === 'run' && state.run === null) return setStatus(state, 'no scenario is running (:run <file>)', 'error');
  return { ...state, view, overlay: { kind: 'none' }, input: null };
}

/** Next (tab) or previous (shift-tab) view in the tab cycle. */
export function cycleView(state: UiState, delta: 1 | -1): UiState {
  const views = visibleViews(state.run !== null);
  const at = views.findIndex((v) => v.name === state.view);
  const next = views[(at + delta + views.length) % views.length];
  return next ? setView(state, next.name) : state;
}

/** Opens the `/` filter line on a table view with its current filter: typing replaces it, backspace edits it. */
export function startFilter(state: UiState): UiState {
  if (!isTableView(state.view)) return setStatus(state, 'nothing to filter in this view', 'error');
  const text = state.filter[state.view];
  return { ...state, input: { kind: 'filter', text, replaceOnType: text !== '' } };
}

/** Remembers a command line for Up/Down (not twice in a row). */
export function rememberCommand(state: UiState, line: string): UiState {
  const trimmed = line.trim();
  if (trimmed === '' || state.commandHistory[state.commandHistory.length - 1] === trimmed) return state;
  return { ...state, commandHistory: [...state.commandHistory, trimmed].slice(-COMMAND_HISTORY_SIZE) };
}

/** Up (older) or Down (newer) in the command history while the `:` line is open. */
export function recallCommand(state: UiState, direction: 'older' | 'newer'): UiState {
  const input = state.input;
  if (input?.kind !== 'command' || state.commandHistory.length === 0) return state;
  const newest = state.commandHistory.length - 1;
  const at = input.historyAt ?? null;
  const next = direction === 'older' ? (at === null ? 0 : Math.min(newest, at + 1)) : at === null || at === 0 ? null : at - 1;
  const text = next === null ? '' : (state.commandHistory[newest - next] ?? '');
  return { ...state, input: { kind: 'command', text, historyAt: next } };
}

/** Sets the `:` line to Tab's completion (with the candidates when several remain). */
export function completeInput(state: UiState, completion: { line: string; candidates: readonly string[] }): UiState {
  const input = state.input;
  if (input?.kind !== 'command') return state;
  return { ...state, input: { kind: 'command', text: completion.line, candidates: completion.candidates } };
}

/** Shows or hides completed tasks in the Tasks view (c). */
export function toggleCompleted(state: UiState): UiState {
  const showCompleted = !state.showCompleted;
  return setStatus({ ...state, showCompleted }, showCompleted ? 'tasks: active and completed' : 'tasks: active only (c shows completed too)', 'info');
}

/** Opens the `:` command line. */
export function startCommand(state: UiState): UiState {
  return { ...state, input: { kind: 'command', text: '' }, status: null };
}

function withInputText(state: UiState, text: string): UiState {
  if (state.input === null) return state;
  const next = { ...state, input: { kind: state.input.kind, text } };
  // The filter applies as it is typed.
  if (state.input.kind === 'filter' && isTableView(state.view)) return { ...next, filter: { ...state.filter, [state.view]: text } };
  return next;
}

/** Appends typed characters to the open line (a reopened filter is replaced by the first one). */
export function typeText(state: UiState, text: string): UiState {
  if (state.input === null) return state;
  return withInputText(state, state.input.replaceOnType === true ? text : state.input.text + text);
}

/** Deletes the last character of the open line. */
export function backspace(state: UiState): UiState {
  return state.input === null ? state : withInputText(state, state.input.text.slice(0, -1));
}

/** Closes the open line (enter on a filter keeps it; the controller runs commands). */
export function closeInput(state: UiState): UiState {
  return { ...state, input: null };
}

/** Clears the current view's filter (esc) and closes the filter line. */
export function clearFilter(state: UiState): UiState {
  const input = state.input?.kind === 'filter' ? null : state.input;
  if (!isTableView(state.view)) return { ...state, input };
  return { ...state, input, filter: { ...state.filter, [state.view]: '' } };
}

/** Next sort column of the current table view (s). */
export function cycleSort(state: UiState): UiState {
  if (!isTableView(state.view)) return setStatus(state, 'nothing to sort in this view', 'error');
  const view = state.view;
  const columns = columnsOf(view).length;
  const sort = state.sort[view];
  return { ...state, sort: { ...state.sort, [view]: { column: (sort.column + 1) % columns, descending: sort.descending } } };
}

/** Reverses the current table view's sort (S). */
export function reverseSort(state: UiState): UiState {
  if (!isTableView(state.view)) return setStatus(state, 'nothing to sort in this view', 'error');
  const view = state.view;
  const sort = state.sort[view];
  return { ...state, sort: { ...state.sort, [view]: { column: sort.column, descending: !sort.descending } } };
}

/** Opens the describe pane on the selected row (enter). */
export function openDescribe(state: UiState, table: TableModel | null): UiState {
  if (table === null) return setStatus(state, 'nothing to describe in this view', 'error');
  const id = table.idAt(resolveIndex(state.selection[table.view], table));
  if (id === undefined) return setStatus(state, 'no row selected', 'error');
  return { ...state, overlay: { kind: 'describe', view: table.view, id, scroll: 0 } };
}

/** Opens a text pane (`y` JSON, `l` output) over the body. */
export function openText(state: UiState, text: { what: 'json' | 'output'; title: string; lines: readonly string[] }): UiState {
  return { ...state, overlay: { kind: 'text', ...text, scroll: 0 } };
}

/** The selected row's id in the current table view, or why there is none. */
export function selectedId(state: UiState, table: TableModel | null): { view: TableViewName; id: string } | string {
  if (table === null) return 'nothing selected in this view';
  const id = table.idAt(resolveIndex(state.selection[table.view], table));
  return id === undefined ? 'no row selected' : { view: table.view, id };
}

/** Opens or closes the help (?). */
export function toggleHelp(state: UiState): UiState {
  return { ...state, overlay: state.overlay.kind === 'help' ? { kind: 'none' } : { kind: 'help', scroll: 0 } };
}

/** Closes the describe pane or help. */
export function closeOverlay(state: UiState): UiState {
  return { ...state, overlay: { kind: 'none' } };
}

/** Shows a y/n question in the status line. */
export function askConfirm(state: UiState, prompt: string, action: PendingAction): UiState {
  return { ...state, confirm: { prompt, action }, status: null };
}

/** Drops the y/n question. */
export function clearConfirm(state: UiState): UiState {
  return { ...state, confirm: null };
}

/** Sets the status line. */
export function setStatus(state: UiState, text: string, tone: StatusMessage['tone']): UiState {
  return { ...state, status: { text, tone } };
}

/** Toggles the Events view's warnings-only filter (W). */
export function toggleWarnings(state: UiState): UiState {
  const warningsOnly = !state.warningsOnly;
  return setStatus({ ...state, warningsOnly }, warningsOnly ? 'events: warnings only' : 'events: all', 'info');
}

/** Records a new terminal size. */
export function resize(state: UiState, size: ScreenSize): UiState {
  if (size.columns === state.size.columns && size.rows === state.size.rows) return state;
  return { ...state, size: { columns: Math.max(1, Math.floor(size.columns)), rows: Math.max(1, Math.floor(size.rows)) } };
}

/** Marks the session finished with an exit code. */
export function quit(state: UiState, code: number): UiState {
  return { ...state, exitCode: code, confirm: null };
}

/** Folds a coalesced feed update in: snapshot, new history records, clock; samples the sparkline. */
export function ingest(state: UiState, update: { cluster: ClusterState; records: readonly HistoryRecord[]; clock: ClockView }): UiState {
  let events = state.events;
  let lastSeq = state.lastSeq;
  let lastFaults = state.lastFaults;
  if (update.records.length > 0) {
    const merged = events.concat(update.records);
    events = merged.length > EVENT_BUFFER_SIZE ? merged.slice(merged.length - EVENT_BUFFER_SIZE) : merged;
    lastSeq = update.records[update.records.length - 1]?.seq ?? lastSeq;
    const faults = update.records.filter((r) => r.type === 'fault.injected');
    if (faults.length > 0) lastFaults = lastFaults.concat(faults).slice(-LAST_FAULTS_SIZE);
  }
  let samples = state.samples;
  let lastSampleAtMs = state.lastSampleAtMs;
  if (update.cluster.nowMs >= lastSampleAtMs + SAMPLE_EVERY_MS) {
    samples = samples.concat(update.cluster.counts.tasksByState.TASK_RUNNING).slice(-SAMPLES_KEPT);
    lastSampleAtMs = update.cluster.nowMs;
  }
  const clock = update.clock.paused === state.clock.paused && update.clock.speed === state.clock.speed ? state.clock : update.clock;
  return { ...state, cluster: update.cluster, events, lastSeq, lastFaults, samples, lastSampleAtMs, clock };
}

/** Stores the scenario run's latest state; when its verdict arrives, the status line says it and what `q` exits with. */
export function setRun(state: UiState, run: ScenarioRunSnapshot | null): UiState {
  const next = { ...state, run };
  if (run === null || run.verdict === null || state.run?.verdict != null) return next;
  const code = exitCodeOfVerdict(run.verdict);
  const text = `scenario ${run.scenario}: ${verdictText(run.verdict)}; q quits with exit ${code}`;
  return setStatus(next, text, run.verdict === 'pass' ? 'ok' : 'error');
}

/**
 * The feed replaced the cluster on screen (a scenario run builds its own):
 * its seed and profile, and the history, faults and samples start over.
 */
export function replaceCluster(state: UiState, cluster: { seed: string; timingProfile: string; generation: number }): UiState {
  return { ...state, ...cluster, events: [], lastSeq: -1, lastFaults: [], samples: [], lastSampleAtMs: Number.NEGATIVE_INFINITY };
}

/** Opens the pane of a replay's finding (its first event selected). */
export function openFinding(state: UiState, index: number): UiState {
  return { ...state, overlay: { kind: 'finding', index, selected: 0, scroll: 0 } };
}

/** Moves the selected event of the open finding pane. */
export function moveFindingEvent(state: UiState, delta: number, events: number): UiState {
  const overlay = state.overlay;
  if (overlay.kind !== 'finding' || events === 0) return state;
  const selected = Math.max(0, Math.min(events - 1, overlay.selected + delta));
  return { ...state, overlay: { ...overlay, selected } };
}

/** Starts typing a time to jump to (the replay's `t`). */
export function startTimeInput(state: UiState): UiState {
  return { ...state, input: { kind: 'time', text: '' }, status: null };
}
