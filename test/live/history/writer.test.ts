/** The event-log writer: one write per event-loop turn, appended, flushed on close; an unusable file is a typed IO error at --event-log. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ClusterEvent } from '../../../src/core/events.js';
import { createEpochClock, openEventLogWriter, parseEventLine } from '../../../src/live/history/index.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-evlog-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const note = (text: string): ClusterEvent => ({ type: 'scheduler.note', frameworkId: null, node: 'n', app: 'test', note: text });
const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('event-log writer', () => {
  it('writes the lines of one turn together, at the end of the turn', async () => {
    const path = join(dir, 'turns.jsonl');
    let t = 1000.25;
    const opened = openEventLogWriter({ path, clock: () => (t += 0.5) });
    assert.ok(opened.ok);
    const log = opened.value;
    log.append('master-1', note('a'));
    log.append('http-fw-1', note('b'));
    assert.equal(readFileSync(path, 'utf8'), '', 'nothing written inside the turn');
    await turn();
    assert.equal(lines(path).length, 2);
    log.append('master-1', note('c'));
    await turn();
    const parsed = lines(path).map((l) => parseEventLine(l));
    assert.deepEqual(
      parsed.map((p) => (p.ok ? [p.value.atEpochMs, p.value.node, p.value.event.type === 'scheduler.note' ? p.value.event.note : ''] : null)),
      [
        [1000.75, 'master-1', 'a'],
        [1001.25, 'http-fw-1', 'b'],
        [1001.75, 'master-1', 'c'],
      ],
    );
    log.close();
  });

  it('appends to an existing file and writes what is pending on close', () => {
    const path = join(dir, 'append.jsonl');
    writeFileSync(path, '{"atEpochMs":1,"node":"old","event":{"type":"x"}}\n');
    const opened = openEventLogWriter({ path });
    assert.ok(opened.ok);
    opened.value.append('agent-1', note('pending'));
    opened.value.close();
    assert.equal(lines(path).length, 2, 'the old line kept, the pending one written without waiting for the turn');
    opened.value.append('agent-1', note('after close'));
    assert.equal(lines(path).length, 2, 'appends after close are dropped');
  });

  it('refuses a file it cannot open with one IO error at --event-log', () => {
    const opened = openEventLogWriter({ path: join(dir, 'no', 'such', 'dir', 'x.jsonl') });
    assert.equal(opened.ok, false);
    if (!opened.ok) {
      assert.equal(opened.error.code, 'IO');
      assert.equal(opened.error.where, '--event-log');
      assert.match(opened.error.message, /cannot open .* for appending: ENOENT/);
    }
    const isDir = join(dir, 'a-dir');
    mkdirSync(isDir);
    const onDir = openEventLogWriter({ path: isDir, where: 'eventLog' });
    assert.ok(!onDir.ok && onDir.error.where === 'eventLog' && /EISDIR/.test(onDir.error.message));
  });

  it('stamps times that never go back, with a fraction', () => {
    const readings = [10.5, 12.25, 11, 12.25, 13.125];
    const clock = createEpochClock(() => readings.shift() ?? 0);
    assert.deepEqual([clock(), clock(), clock(), clock(), clock()], [10.5, 12.25, 12.25, 12.25, 13.125]);
    const real = createEpochClock();
    const a = real();
    const b = real();
    assert.ok(b >= a);
    assert.ok(Math.abs(a - Date.now()) < 1000, 'epoch milliseconds');
  });
});
