import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as act from '../../src/tui/actions.js';
import { TableCache } from '../../src/tui/tables.js';
import { EVENT_BUFFER_SIZE, initialState, LAST_FAULTS_SIZE, SAMPLE_EVERY_MS, type UiState } from '../../src/tui/ui-state.js';
import { tableRowLines } from '../../src/tui/layout.js';
import type { HistoryRecord } from '../../src/core/events.js';
import { FakeFeed } from './fake-feed.js';

function setup(options: { web?: number; rows?: number } = {}) {
  const feed = new FakeFeed({ web: options.web ?? 30, api: 0 });
  const state: UiState = {
    ...initialState({ seed: '1', timingProfile: 'fast', readonly: false, noColor: true, cluster: feed.snapshot(), clock: { paused: false, speed: 1 }, size: { columns: 80, rows: options.rows ?? 24 } }),
    view: 'tasks',
  };
  return { feed, state, cache: new TableCache() };
}

function selectedId(state: UiState, cache: TableCache): string | undefined {
  const table = cache.of(state, 'tasks');
  return table.idAt(act.resolveIndex(state.selection.tasks, table));
}

test('j/k move one row and stop at the ends', () => {
  const { state, cache } = setup({ web: 3 });
  const table = cache.of(state, 'tasks');
  let s = act.moveSelection(state, table, 1);
  assert.equal(selectedId(s, cache), 'web.1');
  s = act.moveSelection(s, table, 5);
  assert.equal(selectedId(s, cache), 'web.2');
  s = act.moveSelection(s, table, -10);
  assert.equal(selectedId(s, cache), 'web.0');
});

test('g/G jump to the ends; PgDn moves a page', () => {
  const { state, cache } = setup({ web: 40 });
  const table = cache.of(state, 'tasks');
  const last = act.selectEdge(state, table, 'last');
  assert.equal(selectedId(last, cache), 'web.39');
  const first = act.selectEdge(last, table, 'first');
  assert.equal(selectedId(first, cache), 'web.0');
  assert.equal(first.selection.tasks.id, null, 'g follows the first row');
  const paged = act.pageSelection(first, table, 1);
  assert.equal(act.resolveIndex(paged.selection.tasks, table), tableRowLines(state.size));
  assert.equal(act.resolveIndex(act.pageSelection(paged, table, -1).selection.tasks, table), 0);
});

test('the selection follows its row when rows are added before it', () => {
  const { feed, state, cache } = setup({ web: 5 });
  let s = act.moveSelection(state, cache.of(state, 'tasks'), 2);
  assert.equal(selectedId(s, cache), 'web.2');
  feed.launch('api', 'm1-0001', 70_000); // sorts before every web task
  s = { ...s, cluster: feed.snapshot() };
  assert.equal(selectedId(s, cache), 'web.2');
});

test('when the selected row disappears the cursor keeps its place', () => {
  const { state, cache } = setup({ web: 5 });
  const s = act.moveSelection(state, cache.of(state, 'tasks'), 4);
  const filtered = { ...s, filter: { ...s.filter, tasks: 'web.1' } };
  assert.equal(selectedId(filtered, cache), 'web.1', 'clamped to the only row left');
});

test('effectiveTop scrolls just enough to show the selection', () => {
  assert.equal(act.effectiveTop({ top: 0, index: 3, visibleRows: 10, length: 50 }), 0);
  assert.equal(act.effectiveTop({ top: 0, index: 12, visibleRows: 10, length: 50 }), 3);
  assert.equal(act.effectiveTop({ top: 20, index: 12, visibleRows: 10, length: 50 }), 12);
  assert.equal(act.effectiveTop({ top: 45, index: 48, visibleRows: 10, length: 50 }), 40);
  assert.equal(act.effectiveTop({ top: 0, index: 5, visibleRows: 0, length: 50 }), 5);
});

test('views: digits, tab cycle, and the run panel only once a run exists', () => {
  const { state } = setup();
  assert.equal(act.cycleView({ ...state, view: 'masters' }, 1).view, 'overview');
  assert.equal(act.cycleView({ ...state, view: 'overview' }, -1).view, 'masters');
  const refused = act.setView(state, 'run');
  assert.equal(refused.view, 'tasks');
  assert.match(refused.status?.text ?? '', /no scenario/);
  const run = { scenario: 's', phase: 'method', steps: [], checks: [], verdict: null, verdictDetail: null };
  const withRun = act.setRun(state, run);
  assert.equal(act.cycleView({ ...withRun, view: 'masters' }, 1).view, 'run');
});

test('filter line: typing filters live, esc clears, enter keeps', () => {
  const { state } = setup();
  let s = act.startFilter(state);
  s = act.typeText(act.typeText(s, 'we'), 'b');
  assert.equal(s.filter.tasks, 'web');
  s = act.backspace(s);
  assert.equal(s.filter.tasks, 'we');
  const kept = act.closeInput(s);
  assert.equal(kept.input, null);
  assert.equal(kept.filter.tasks, 'we');
  const cleared = act.clearFilter(act.startFilter(kept));
  assert.equal(cleared.filter.tasks, '');
  assert.equal(cleared.input, null);
  assert.equal(act.startFilter({ ...state, view: 'overview' }).input, null);
});

test('sort is remembered per view', () => {
  const { state } = setup();
  const s = act.reverseSort(act.cycleSort(act.cycleSort(state)));
  assert.deepEqual(s.sort.tasks, { column: 2, descending: true });
  assert.deepEqual(s.sort.agents, { column: 0, descending: false });
  const back = act.setView(act.setView(s, 'agents'), 'tasks');
  assert.deepEqual(back.sort.tasks, { column: 2, descending: true });
});

test('scrolling a document stays within [0, max]', () => {
  const { state } = setup();
  const overview = { ...state, view: 'overview' as const };
  assert.equal(act.scrollBy(overview, 5, 3).scroll.overview, 3);
  assert.equal(act.scrollBy(overview, -5, 3).scroll.overview, 0);
  const help = act.toggleHelp(state);
  assert.equal(help.overlay.kind, 'help');
  const scrolled = act.scrollBy(help, 2, 10);
  assert.ok(scrolled.overlay.kind === 'help' && scrolled.overlay.scroll === 2);
});

function record(seq: number, event: Record<string, unknown> = {}): HistoryRecord {
  return { type: 'scheduler.note', frameworkId: null, node: 'n', app: 'a', note: 'x', ...event, seq, atMs: seq } as HistoryRecord;
}

test('ingest keeps a bounded event buffer, the last faults and the newest seq', () => {
  const { feed, state } = setup();
  const cluster = feed.snapshot();
  const many = Array.from({ length: EVENT_BUFFER_SIZE + 50 }, (_, i) => record(i));
  const faults = Array.from({ length: LAST_FAULTS_SIZE + 3 }, (_, i) =>
    record(EVENT_BUFFER_SIZE + 50 + i, { type: 'fault.injected', fault: { kind: 'heal' }, detail: `heal ${i}` }),
  );
  const s = act.ingest(state, { cluster, records: [...many, ...faults], clock: { paused: false, speed: 1 } });
  assert.equal(s.events.length, EVENT_BUFFER_SIZE);
  assert.equal(s.lastSeq, EVENT_BUFFER_SIZE + 50 + LAST_FAULTS_SIZE + 2);
  assert.equal(s.events[s.events.length - 1]?.seq, s.lastSeq);
  assert.equal(s.lastFaults.length, LAST_FAULTS_SIZE);
  assert.equal(s.lastFaults[s.lastFaults.length - 1]?.type === 'fault.injected' && s.lastFaults[s.lastFaults.length - 1]?.seq, s.lastSeq);
});

test('ingest samples running tasks once per virtual second', () => {
  const { feed, state } = setup({ web: 4 });
  const clock = { paused: false, speed: 1 };
  let s = act.ingest(state, { cluster: feed.snapshot(), records: [], clock });
  assert.deepEqual(s.samples, [4]);
  feed.advance(SAMPLE_EVERY_MS / 2);
  s = act.ingest(s, { cluster: feed.snapshot(), records: [], clock });
  assert.deepEqual(s.samples, [4], 'half a second later: no new sample');
  feed.setTaskState('web.0', 'TASK_KILLED');
  feed.advance(SAMPLE_EVERY_MS);
  s = act.ingest(s, { cluster: feed.snapshot(), records: [], clock });
  assert.deepEqual(s.samples, [4, 3]);
});

test('resize ignores a same-size event and clamps to at least 1x1', () => {
  const { state } = setup();
  assert.equal(act.resize(state, { columns: 80, rows: 24 }), state);
  assert.deepEqual(act.resize(state, { columns: 0, rows: -3 }).size, { columns: 1, rows: 1 });
});
