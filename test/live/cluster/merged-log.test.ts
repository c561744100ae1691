/**
 * One history from many processes: entries from daemons' event logs and the
 * runner's own events come out in time order, with sequence numbers and
 * times that never go back; the daemons' own lifecycle and fault records are
 * left to the runner.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterEvent, HistoryRecord } from '../../../src/core/events.js';
import { epochNowMs, MergedHistoryLog } from '../../../src/live/cluster/merged-log.js';

const note = (text: string): ClusterEvent => ({ type: 'scheduler.note', frameworkId: null, node: 'scheduler-web', app: 'web', note: text });
const textOf = (r: HistoryRecord): string => (r.type === 'scheduler.note' ? r.note : r.type);

describe('MergedHistoryLog', () => {
  it('releases entries of several sources in time order once the hold window passed', () => {
    const start = epochNowMs() - 10_000;
    const log = new MergedHistoryLog(start, 0);
    const got: HistoryRecord[] = [];
    log.onRecord((r) => got.push(r));
    log.pushDaemon('agent-1', { atEpochMs: start + 300, node: 'agent-1', event: note('b') });
    log.pushDaemon('master-1', { atEpochMs: start + 100, node: 'master-1', event: note('a') });
    log.pushDaemon('master-1', { atEpochMs: start + 200, node: 'master-1', event: { type: 'node.started', node: 'master-1', role: 'master' } });
    log.pushDaemon('master-1', { atEpochMs: start + 250, node: 'master-1', event: { type: 'fault.injected', fault: { kind: 'heal' }, detail: 'x' } });
    log.flush();
    assert.deepEqual(got.map(textOf), ['a', 'b']);
    assert.deepEqual(got.map((r) => r.seq), [0, 1]);
    assert.deepEqual(got.map((r) => r.atMs), [100, 300]);
    // A late entry keeps its place after what was released: its time is not allowed to go back.
    log.pushDaemon('agent-2', { atEpochMs: start + 50, node: 'agent-2', event: note('late') });
    log.emit(note('runner'));
    log.flush(true);
    assert.deepEqual(got.map(textOf), ['a', 'b', 'late', 'runner']);
    assert.ok(got.every((r, i) => i === 0 || r.atMs >= (got[i - 1]?.atMs ?? 0)));
  });

  it('holds what is younger than the window', () => {
    const log = new MergedHistoryLog(epochNowMs(), 60_000);
    const got: HistoryRecord[] = [];
    log.onRecord((r) => got.push(r));
    log.emit(note('now'));
    log.flush();
    assert.equal(got.length, 0);
    log.flush(true);
    assert.equal(got.length, 1);
  });
});
