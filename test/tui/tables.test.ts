import { test } from 'node:test';
import assert from 'node:assert/strict';
import { naturalKey, NaturalKeys, compareKeys } from '../../src/tui/natural.js';
import { layoutColumns, MARKER_WIDTH } from '../../src/tui/table-layout.js';
import { TASK_SPEC, AGENT_SPEC } from '../../src/tui/table-specs.js';
import { TableCache } from '../../src/tui/tables.js';
import { initialState, type UiState } from '../../src/tui/ui-state.js';
import { FakeFeed } from './fake-feed.js';

function stateOf(feed: FakeFeed, patch: Partial<UiState> = {}): UiState {
  const base = initialState({ seed: '1', timingProfile: 'fast', readonly: false, noColor: true, cluster: feed.snapshot(), clock: { paused: false, speed: 1 }, size: { columns: 80, rows: 24 } });
  return { ...base, ...patch };
}

function ids(cache: TableCache, state: UiState, view: 'tasks' | 'agents'): string[] {
  const t = cache.of(state, view);
  return Array.from({ length: t.length }, (_, i) => t.idAt(i) ?? '?');
}

test('natural keys order numbers by value', () => {
  const sorted = ['agent-10', 'agent-2', 'agent-1', 'Agent-3', 'agent-02x'].map((s) => [naturalKey(s), s] as const).sort((a, b) => compareKeys(a[0], b[0])).map(([, s]) => s);
  assert.deepEqual(sorted, ['agent-1', 'agent-2', 'agent-02x', 'Agent-3', 'agent-10']);
  const keys = new NaturalKeys();
  assert.equal(keys.of('web.10'), keys.of('web.10'));
  assert.ok(compareKeys(keys.of('web.9'), keys.of('web.10')) < 0);
  assert.ok(compareKeys(3, 'a') < 0 && compareKeys('a', 3) > 0 && compareKeys(2, 10) < 0);
});

test('tasks sort by id naturally, then by each column, and reverse', () => {
  const feed = new FakeFeed({ web: 12, api: 2 });
  const cache = new TableCache();
  const byId = ids(cache, stateOf(feed), 'tasks');
  assert.deepEqual(byId.slice(0, 4), ['api.0', 'api.1', 'web.0', 'web.1']);
  assert.deepEqual(byId.slice(-3), ['web.9', 'web.10', 'web.11']);
  const state = stateOf(feed);
  const desc = ids(cache, { ...state, sort: { ...state.sort, tasks: { column: 0, descending: true } } }, 'tasks');
  assert.deepEqual(desc, [...byId].reverse());
  // AGE (column 6) ascending: youngest first
  const byAge = ids(cache, { ...state, sort: { ...state.sort, tasks: { column: 6, descending: false } } }, 'tasks');
  assert.equal(byAge[0], 'web.11');
});

test('agents sort by used cpus (a number, not text)', () => {
  const feed = new FakeFeed({ agents: 3, web: 5, api: 0 });
  const cache = new TableCache();
  const state = stateOf(feed);
  const byCpu = ids(cache, { ...state, sort: { ...state.sort, agents: { column: 3, descending: true } } }, 'agents');
  const snapshot = feed.snapshot();
  const used = byCpu.map((id) => snapshot.agents.get(id)?.used.cpus ?? -1);
  assert.deepEqual(used, [...used].sort((a, b) => b - a));
});

test('the filter is a case-insensitive substring over the row', () => {
  const feed = new FakeFeed({ web: 4, api: 3 });
  const cache = new TableCache();
  const state = stateOf(feed);
  const api = cache.of({ ...state, filter: { ...state.filter, tasks: 'API' } }, 'tasks');
  assert.equal(api.length, 3);
  assert.equal(api.total, 7);
  const onHost = cache.of({ ...state, filter: { ...state.filter, tasks: 'agent-2' } }, 'tasks');
  for (let i = 0; i < onHost.length; i += 1) assert.ok(onHost.cellsAt(i).includes('agent-2'));
  assert.equal(cache.of({ ...state, filter: { ...state.filter, tasks: 'zzz' } }, 'tasks').length, 0);
});

test('models are memoised on the snapshot and rebuilt when it changes', () => {
  const feed = new FakeFeed();
  const cache = new TableCache();
  const state = stateOf(feed);
  const a = cache.of(state, 'tasks');
  assert.equal(cache.of({ ...state, view: 'tasks' }, 'tasks'), a, 'same inputs, same model');
  feed.setTaskState('web.0', 'TASK_FAILED');
  const b = cache.of({ ...state, cluster: feed.snapshot(), showCompleted: true }, 'tasks');
  assert.notEqual(b, a);
  assert.equal(b.cellsAt(b.indexOf('web.0'))[4], 'FAILED');
  assert.equal(cache.of({ ...state, cluster: feed.snapshot() }, 'tasks').indexOf('web.0'), -1, 'completed tasks are hidden by default');
  assert.equal(b.warningAt(b.indexOf('web.0')), true);
  assert.equal(b.warningAt(b.indexOf('web.1')), false);
});

test('events: newest first by default, warnings-only keeps warnings', () => {
  const feed = new FakeFeed();
  feed.setTaskState('web.0', 'TASK_LOST', 'REASON_AGENT_REMOVED');
  const cache = new TableCache();
  const records = feed.events(-1, 1000);
  const state = stateOf(feed, { events: records });
  const all = cache.of(state, 'events');
  assert.equal(all.idAt(0), String(records[records.length - 1]?.seq));
  const warnings = cache.of({ ...state, warningsOnly: true }, 'events');
  assert.equal(warnings.length, 1);
  assert.equal(warnings.cellsAt(0)[3], 'task.updated');
  assert.equal(warnings.cellsAt(0)[2], '!');
});

test('a refresh re-sorts rows the projection changed in place, and finds the selected row', () => {
  // The projection updates its view objects in place and hands out a new snapshot object: model them so.
  const feed = new FakeFeed({ web: 6, api: 0 });
  const live = new Map([...feed.snapshot().tasks].map(([id, t]) => [id, { ...t }]));
  const cluster = { ...feed.snapshot(), tasks: live };
  const cache = new TableCache();
  const base = stateOf(feed, { cluster });
  const byAge = { ...base, sort: { ...base.sort, tasks: { column: 6, descending: true } } };
  const before = ids(cache, byAge, 'tasks');
  const youngest = before[before.length - 1] as string;
  const task = live.get(youngest);
  assert.ok(task);
  (task as { launchedAtMs: number }).launchedAtMs = -1_000_000; // now the oldest
  const after = cache.of({ ...byAge, cluster: { ...cluster } }, 'tasks');
  assert.equal(after.idAt(0), youngest);
  assert.equal(after.indexOf(youngest), 0);
  assert.equal(after.indexOf('web.404'), -1);
  assert.deepEqual(ids(cache, { ...byAge, cluster: { ...cluster } }, 'tasks').slice(1), before.slice(0, -1));
});

for (const width of [120, 80, 60, 40, 20, 5]) {
  test(`columns fit in ${width} columns`, () => {
    for (const spec of [TASK_SPEC, AGENT_SPEC]) {
      const placed = layoutColumns(spec.columns, width);
      const used = placed.reduce((s, p) => s + p.width, 0) + placed.length - 1 + MARKER_WIDTH;
      assert.ok(placed.length >= 1);
      if (placed.length > 1) assert.ok(used <= width, `${spec.view} uses ${used} > ${width}`);
      for (const p of placed) assert.ok(p.width >= 0);
    }
  });
}

test('narrow screens drop the least important columns first', () => {
  const at80 = layoutColumns(TASK_SPEC.columns, 80).map((p) => TASK_SPEC.columns[p.index]?.title);
  assert.deepEqual(at80, ['ID', 'NAME', 'FRAMEWORK', 'AGENT', 'STATE', 'REASON', 'AGE']);
  const at60 = layoutColumns(TASK_SPEC.columns, 60).map((p) => TASK_SPEC.columns[p.index]?.title);
  assert.ok(!at60.includes('REASON'));
  assert.ok(at60.includes('ID') && at60.includes('STATE'));
  const at30 = layoutColumns(TASK_SPEC.columns, 30).map((p) => TASK_SPEC.columns[p.index]?.title);
  assert.deepEqual(at30, ['ID', 'STATE']);
});
