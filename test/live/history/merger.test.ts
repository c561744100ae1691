/** EventMerger: time order across sources, ties by source then arrival, the hold window, late entries kept and counted. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventMerger, type EventLogEntry } from '../../../src/live/history/index.js';

const at = (atEpochMs: number, node: string, label: string): EventLogEntry => ({ atEpochMs, node, event: { type: 'scheduler.note', frameworkId: null, node, app: 'test', note: label } });
const labels = (entries: readonly EventLogEntry[]): string[] => entries.map((e) => (e.event.type === 'scheduler.note' ? e.event.note : e.event.type));

describe('EventMerger', () => {
  it('orders entries from several sources by time', () => {
    const merger = new EventMerger({ holdMs: 0 });
    merger.push('agent', at(30, 'agent-1', 'a30'));
    merger.push('master', at(10, 'master-1', 'm10'));
    merger.push('agent', at(31, 'agent-1', 'a31'));
    merger.push('master', at(20, 'master-1', 'm20'));
    merger.push('master', at(40, 'master-1', 'm40'));
    assert.deepEqual(labels(merger.drainAll()), ['m10', 'm20', 'a30', 'a31', 'm40']);
    assert.equal(merger.late, 0);
    assert.equal(merger.buffered, 0);
  });

  it('breaks ties by source order (named, then first pushed), then by arrival', () => {
    const named = new EventMerger({ sources: ['master', 'agent-1'] });
    named.push('agent-1', at(5, 'agent-1', 'a-first'));
    named.push('agent-1', at(5, 'agent-1', 'a-second'));
    named.push('master', at(5, 'master-1', 'm-first'));
    named.push('master', at(5, 'master-1', 'm-second'));
    assert.deepEqual(labels(named.drainAll()), ['m-first', 'm-second', 'a-first', 'a-second']);

    const unnamed = new EventMerger();
    unnamed.push('b', at(5, 'b', 'b1'));
    unnamed.push('a', at(5, 'a', 'a1'));
    unnamed.push('b', at(5, 'b', 'b2'));
    assert.deepEqual(labels(unnamed.drainAll()), ['b1', 'b2', 'a1'], 'b was pushed first, so it ranks first');
  });

  it('keeps each source in its own order when times tie within it', () => {
    const merger = new EventMerger();
    for (let i = 0; i < 50; i += 1) merger.push('s', at(100, 's', `e${i}`));
    assert.deepEqual(labels(merger.drainAll()), Array.from({ length: 50 }, (_, i) => `e${i}`));
  });

  it('releases only entries older than now - holdMs (default 150 ms)', () => {
    const merger = new EventMerger();
    assert.equal(merger.holdMs, 150);
    merger.push('a', at(1000, 'a', 'x1000'));
    merger.push('a', at(1100, 'a', 'x1100'));
    assert.deepEqual(merger.drain(1100), [], 'nothing is 150 ms old yet');
    assert.deepEqual(labels(merger.drain(1150)), [], 'exactly holdMs old is still held');
    assert.deepEqual(labels(merger.drain(1150.5)), ['x1000']);
    assert.equal(merger.buffered, 1);
    // An entry of another source that arrives inside the window still goes in order.
    merger.push('b', at(1050, 'b', 'y1050'));
    assert.deepEqual(labels(merger.drain(1300)), ['y1050', 'x1100']);
    assert.equal(merger.late, 0);
  });

  it('emits an entry that arrives after a later one was drained, and counts it late', () => {
    const merger = new EventMerger({ holdMs: 10 });
    merger.push('a', at(100, 'a', 'a100'));
    merger.push('a', at(200, 'a', 'a200'));
    assert.deepEqual(labels(merger.drain(300)), ['a100', 'a200']);
    merger.push('b', at(150, 'b', 'b150'));
    merger.push('b', at(400, 'b', 'b400'));
    assert.equal(merger.late, 1);
    assert.deepEqual(labels(merger.drain(300)), ['b150'], 'late, but never dropped');
    assert.deepEqual(labels(merger.drainAll()), ['b400']);
    assert.equal(merger.late, 1);
  });

  it('counts a tie with an earlier-ranked source as late, and one with the same source as in order', () => {
    const merger = new EventMerger({ holdMs: 0, sources: ['first', 'second'] });
    merger.push('second', at(100, 'n', 's100'));
    assert.equal(merger.drain(200).length, 1);
    merger.push('second', at(100, 'n', 's100-again'));
    assert.equal(merger.late, 0);
    merger.push('first', at(100, 'n', 'f100'));
    assert.equal(merger.late, 1);
    assert.deepEqual(labels(merger.drainAll()), ['f100', 's100-again']);
  });

  it('releases the oldest early past maxBuffered, in order, and counts them forced', () => {
    const merger = new EventMerger({ holdMs: 1000, maxBuffered: 3 });
    for (const t of [5, 1, 4, 2, 3]) merger.push('a', at(t, 'a', `t${t}`));
    assert.deepEqual(labels(merger.drain(10)), ['t1', 't2']);
    assert.equal(merger.forced, 2);
    assert.equal(merger.buffered, 3);
    assert.deepEqual(labels(merger.drainAll()), ['t3', 't4', 't5']);
  });

  it('merges shuffled interleavings of many sources into one sorted stream', () => {
    let seed = 42;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const merger = new EventMerger({ holdMs: 50 });
    const out: EventLogEntry[] = [];
    const clocks = [0, 0, 0];
    for (let step = 0; step < 3000; step += 1) {
      const source = Math.floor(next() * 3);
      clocks[source] = (clocks[source] ?? 0) + next() * 3;
      merger.push(`s${source}`, at(clocks[source] ?? 0, `s${source}`, `${source}:${step}`));
      // Drained at the slowest source's clock: no later entry can be older than what was released.
      if (step % 10 === 0) out.push(...merger.drain(Math.min(...clocks)));
    }
    out.push(...merger.drainAll());
    assert.equal(out.length, 3000);
    for (let i = 1; i < out.length; i += 1) assert.ok((out[i - 1]?.atEpochMs ?? 0) <= (out[i]?.atEpochMs ?? 0), `out of order at ${i}`);
    assert.equal(merger.late, 0);
  });
});
