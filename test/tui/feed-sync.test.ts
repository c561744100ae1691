import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FeedSync, type SyncTimers } from '../../src/tui/feed-sync.js';
import { createTuiStore } from '../../src/tui/store.js';
import { initialState } from '../../src/tui/ui-state.js';
import { FakeFeed } from './fake-feed.js';

/** Manual timers: time moves only when the test says so. */
class ManualTimers implements SyncTimers {
  nowMs = 0;
  private queue: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  now(): number {
    return this.nowMs;
  }
  setTimeout(fn: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.nowMs + delayMs, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    this.nowMs += ms;
    const due = this.queue.filter((t) => t.at <= this.nowMs);
    this.queue = this.queue.filter((t) => t.at > this.nowMs);
    for (const t of due) t.fn();
  }
  pending(): number {
    return this.queue.length;
  }
}

function setup(refreshMs: number) {
  const feed = new FakeFeed();
  const store = createTuiStore(initialState({ seed: feed.seed, timingProfile: 'fast', readonly: false, noColor: true, cluster: feed.snapshot(), clock: { paused: false, speed: 1 }, size: { columns: 80, rows: 24 } }));
  const timers = new ManualTimers();
  let updates = 0;
  store.subscribe(() => {
    updates += 1;
  });
  const sync = new FeedSync({ feed, store, refreshMs, timers });
  return { feed, store, timers, sync, updates: () => updates };
}

test('a burst of feed changes becomes one store update per refresh interval', () => {
  const { feed, store, timers, sync, updates } = setup(100);
  sync.start();
  assert.equal(updates(), 1, 'the first read is immediate');
  const seqBefore = store.getState().lastSeq;
  timers.advance(100);
  for (let i = 0; i < 500; i += 1) feed.emit({ type: 'scheduler.note', frameworkId: null, node: 'n', app: 'web', note: `n${i}` });
  assert.equal(updates(), 1, 'nothing is drawn synchronously from a feed callback');
  timers.advance(0);
  assert.equal(updates(), 2, 'after a quiet interval the burst flushes on the next tick, once');
  for (let i = 0; i < 100; i += 1) feed.emit({ type: 'scheduler.note', frameworkId: null, node: 'n', app: 'web', note: `m${i}` });
  timers.advance(99);
  assert.equal(updates(), 2, 'the next flush waits for the interval');
  timers.advance(1);
  assert.equal(updates(), 3);
  assert.equal(store.getState().lastSeq, seqBefore + 600, 'no record is lost by coalescing');
  assert.equal(timers.pending(), 0);
});

test('at most ~10 updates a second under continuous churn', () => {
  const { feed, timers, sync, updates } = setup(100);
  sync.start();
  const before = updates();
  for (let ms = 0; ms < 1000; ms += 5) {
    feed.advance(5);
    timers.advance(5);
  }
  const count = updates() - before;
  assert.ok(count >= 9 && count <= 11, `${count} updates in one second`);
});

test('refreshMs 0 updates synchronously; stop() unsubscribes', () => {
  const { feed, store, sync } = setup(0);
  sync.start();
  assert.equal(feed.listenerCount(), 1);
  feed.advance(1000);
  assert.equal(store.getState().cluster.nowMs, feed.nowMs);
  sync.stop();
  assert.equal(feed.listenerCount(), 0);
  feed.advance(1000);
  assert.notEqual(store.getState().cluster.nowMs, feed.nowMs);
});

test('a scenario run is followed through the same sync', () => {
  const { feed, store, sync } = setup(0);
  sync.start();
  const started = feed.runScenario('loss.yaml');
  assert.ok(started.ok);
  sync.watchRun(started.value);
  assert.equal(store.getState().run?.phase, 'method');
  feed.runs[0]?.update({ phase: 'liveness', verdict: 'pass' });
  assert.equal(store.getState().run?.verdict, 'pass');
});
