/**
 * The replay feed: play moves the position at the clock's speed (virtual ms
 * per wall ms) and stops at the end; going back starts a new generation (the
 * TUI's Events view starts over); events() gives the records up to the
 * position; nothing can be injected.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryRecord } from '../../src/core/events.js';
import { replayInfoOf } from '../../src/chaos/replay/info.js';
import { FAST_TIMING } from '../../src/core/timing.js';
import { createReplayFeed, type PlaybackTimers } from '../../src/cli/replay-feed.js';

/** A cluster start, then one note a second for ten seconds. */
function history(): HistoryRecord[] {
  const records: HistoryRecord[] = [{ seq: 0, atMs: 0, type: 'cluster.started', seed: '1', timing: 'fast', masters: ['master-1'], agents: [] }];
  for (let i = 1; i <= 10; i += 1) records.push({ seq: i, atMs: i * 1_000, type: 'scheduler.note', frameworkId: null, node: 'scheduler-web', app: 'web', note: `note ${i}` });
  return records;
}

function fakeTimers(): PlaybackTimers & { advance(ms: number): void } {
  let now = 0;
  let tick: (() => void) | null = null;
  return {
    now: () => now,
    setInterval: (callback) => {
      tick = callback;
      return 1;
    },
    clearInterval: () => {
      tick = null;
    },
    advance(ms) {
      now += ms;
      tick?.();
    },
  };
}

describe('replay feed', () => {
  const records = history();
  const info = replayInfoOf({ source: 'h.jsonl', records, checks: [], context: { timing: FAST_TIMING, services: [], livenessStartMs: null, endMs: 10_000 }, phases: null });

  it('plays at its speed, stops at the end, and starts a generation when it goes back', () => {
    const timers = fakeTimers();
    const feed = createReplayFeed({ records, info, seed: '1', timingProfile: 'fast', timers });
    assert.equal(feed.clock.paused(), true, 'opens paused');
    feed.clock.setSpeed(2);
    feed.clock.setPaused(false);
    timers.advance(1_500); // 3 virtual seconds
    assert.equal(feed.replay.position(), 4, 'the start and the notes at 1, 2 and 3 s');
    assert.equal(feed.snapshot().nowMs, 3_000);
    assert.deepEqual(feed.events(-1, 100).map((r) => r.seq), [0, 1, 2, 3]);
    assert.deepEqual(feed.events(2, 100).map((r) => r.seq), [3]);
    timers.advance(10_000);
    assert.equal(feed.replay.position(), records.length);
    assert.equal(feed.clock.paused(), true, 'paused at the end');
    const generation = feed.generation;
    feed.replay.seek(2, 1_500);
    assert.equal(feed.generation, generation + 1, 'going back starts the Events view over');
    assert.equal(feed.snapshot().nowMs, 1_500, 'the time asked for, between two records');
    feed.replay.seek(3);
    assert.equal(feed.generation, generation + 1, 'forward keeps it');
    assert.equal(feed.inject({ kind: 'heal' }).ok, false);
    feed.stop();
  });
});
