import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingest, setStatus } from '../../src/tui/actions.js';
import { buildFrame } from '../../src/tui/frame.js';
import { sameFrame, StableFrame } from '../../src/tui/stable-frame.js';
import { TableCache } from '../../src/tui/tables.js';
import { initialState, type UiState } from '../../src/tui/ui-state.js';
import { FakeFeed } from './fake-feed.js';

function stateOf(feed: FakeFeed): UiState {
  const base = initialState({ seed: '1', timingProfile: 'fast', readonly: false, noColor: true, cluster: feed.snapshot(), clock: { paused: false, speed: 1 }, size: { columns: 100, rows: 20 } });
  return { ...base, view: 'tasks' };
}

test('the same frame comes back as the same array; a changed line, style or length does not', () => {
  const feed = new FakeFeed();
  const frames = new StableFrame(new TableCache());
  const first = stateOf(feed);
  const a = frames.of(first);
  assert.equal(frames.of(first), a, 'same state');
  feed.advance(10);
  const later = ingest(first, { cluster: feed.snapshot(), records: [], clock: first.clock });
  assert.notEqual(later.cluster, first.cluster);
  assert.equal(frames.of(later), a, 'new snapshot, nothing visible changed');

  feed.setTaskState('api.0', 'TASK_FAILED');
  const failed = ingest(later, { cluster: feed.snapshot(), records: [], clock: later.clock });
  const b = frames.of(failed);
  assert.notEqual(b, a, 'a visible row changed');
  assert.deepEqual(b, buildFrame(failed, new TableCache()));

  const c = frames.of(setStatus(failed, 'hello', 'info'));
  assert.notEqual(c, b, 'the status line changed');
  const d = frames.of({ ...failed });
  assert.notEqual(d, c, 'and changed back');
  assert.deepEqual(d, b);
});

test('sameFrame compares text and style of every line', () => {
  const line = (text: string, style: 'plain' | 'warning' = 'plain') => ({ text, style });
  assert.equal(sameFrame([line('a'), line('b')], [line('a'), line('b')]), true);
  assert.equal(sameFrame([line('a'), line('b')], [line('a'), line('c')]), false);
  assert.equal(sameFrame([line('a')], [line('a', 'warning')]), false);
  assert.equal(sameFrame([line('a')], [line('a'), line('')]), false);
});

test('a state that fails to draw fails every time it is asked for, not only the first', () => {
  const feed = new FakeFeed();
  const frames = new StableFrame(new TableCache());
  const good = stateOf(feed);
  frames.of(good);
  const broken = { ...good, cluster: { ...good.cluster, counts: undefined as never }, view: 'overview' as const };
  assert.throws(() => frames.of(broken));
  assert.throws(() => frames.of(broken), 'React asks again while rendering: the error must reach it');
});
