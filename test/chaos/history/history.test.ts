import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryRecord } from '../../../src/core/events.js';
import {
  canonicalLine,
  hashHistory,
  HistoryHasher,
  HistoryWriter,
  readHistory,
  scanHistory,
  writeHistory,
} from '../../../src/chaos/history/index.js';
import { story } from '../../core/projection/story.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-history-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A small but varied history: every common event kind appears. */
function sample(): HistoryRecord[] {
  const s = story().start({ agents: ['agent-1', 'agent-2'] }).subscribe('web');
  s.at(1_000).launch('web', 'web.1', 'agent-1').run('web.1');
  s.at(2_000).fault({ kind: 'partition', groups: [['agent-1'], ['master-1']], oneWay: false });
  s.at(5_000).unreachable('agent-1');
  s.emit({ type: 'scheduler.note', frameworkId: s.frameworkId('web'), node: 'scheduler-web', app: 'web', note: 'replacing web.1 → web.2 ✓' });
  return s.records;
}

describe('canonical lines and the history hash', () => {
  it('writes seq, atMs and type first, then the event fields in order', () => {
    const line = canonicalLine({ seq: 3, atMs: 10, type: 'node.paused', node: 'agent-1' });
    assert.equal(line, '{"seq":3,"atMs":10,"type":"node.paused","node":"agent-1"}');
  });

  it('gives the same hash for the same history built twice, and equals sha256 of the written file', () => {
    const first = hashHistory(sample());
    const second = hashHistory(sample());
    assert.equal(first, second);
    assert.match(first, /^[0-9a-f]{64}$/);
    const path = join(dir, 'sample.jsonl');
    assert.ok(writeHistory(path, sample()).ok);
    assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), first);
  });

  const changes: Array<[string, (records: HistoryRecord[]) => void]> = [
    ['one record a millisecond later', (r) => mutate(r, 10, (x) => ({ ...x, atMs: x.atMs + 1 }))],
    ['a resource amount', (r) => mutateType(r, 'agent.registered', (x) => ({ ...x, resources: { ...x.resources, cpus: 5 } }))],
    ['a task state', (r) => mutateType(r, 'task.status', (x) => ({ ...x, state: 'TASK_FAILED' }))],
    ['a reason', (r) => mutateType(r, 'task.updated', (x) => ({ ...x, reason: 'REASON_RECONCILIATION' }))],
    ['a dropped record', (r) => void r.splice(7, 1)],
    ['two records swapped', (r) => void r.splice(5, 2, r[6] as HistoryRecord, r[5] as HistoryRecord)],
  ];
  for (const [what, change] of changes) {
    it(`changes the hash when ${what} changes`, () => {
      const records = sample();
      change(records);
      assert.notEqual(hashHistory(records), hashHistory(sample()));
    });
  }

  it('lets the hash be read mid-stream and keeps going', () => {
    const records = sample();
    const hasher = new HistoryHasher();
    for (const r of records.slice(0, 5)) hasher.add(r);
    const partial = hasher.digest();
    assert.equal(hasher.digest(), partial, 'reading the digest does not consume it');
    assert.equal(partial, hashHistory(records.slice(0, 5)));
    for (const r of records.slice(5)) hasher.add(r);
    assert.equal(hasher.digest(), hashHistory(records));
    assert.equal(hasher.lines, records.length);
  });
});

describe('writing and reading history files', () => {
  it('round-trips a history', () => {
    const path = join(dir, 'round.jsonl');
    const written = writeHistory(path, sample());
    assert.deepEqual(written, { ok: true, value: sample().length });
    const read = readHistory(path);
    assert.ok(read.ok);
    assert.deepEqual(read.value, sample());
  });

  it('streams a long history through small buffers, multi-byte text across chunk edges, hashing as it writes', () => {
    const path = join(dir, 'long.jsonl');
    const hasher = new HistoryHasher();
    const opened = HistoryWriter.open(path, { hasher });
    assert.ok(opened.ok);
    const records: HistoryRecord[] = [];
    for (let i = 0; i < 12_000; i += 1) {
      const note = `été ✓ 🚀 ${'x'.repeat(i % 97)}`;
      const record: HistoryRecord = { seq: i, atMs: i * 3, type: 'scheduler.note', frameworkId: null, node: 'scheduler-web', app: 'web', note };
      records.push(record);
      opened.value.write(record);
    }
    assert.deepEqual(opened.value.close(), { ok: true, value: 12_000 });
    assert.equal(hasher.digest(), hashHistory(records));
    let seen = 0;
    const scanned = scanHistory(path, (r) => {
      assert.equal(r.seq, seen);
      seen += 1;
    });
    assert.deepEqual(scanned, { ok: true, value: 12_000 });
    const read = readHistory(path);
    assert.ok(read.ok);
    assert.deepEqual(read.value[11_999], records[11_999]);
  });

  it('reads the same records through one-byte chunks that split lines and characters', () => {
    const path = join(dir, 'tiny-chunks.jsonl');
    assert.ok(writeHistory(path, sample()).ok);
    const read = readHistory(path, { chunkBytes: 1 });
    assert.ok(read.ok);
    assert.deepEqual(read.value, sample());
    const note = read.value.find((r) => r.type === 'scheduler.note');
    assert.equal(note?.type === 'scheduler.note' ? note.note : '', 'replacing web.1 → web.2 ✓');
  });

  it('reports a file it cannot write or read as IO naming the file', () => {
    const written = writeHistory(join(dir, 'no-such-dir', 'h.jsonl'), sample());
    assert.equal(written.ok, false);
    if (!written.ok) {
      assert.equal(written.error.code, 'IO');
      assert.match(written.error.where ?? '', /no-such-dir/);
    }
    const read = readHistory(join(dir, 'missing.jsonl'));
    assert.equal(read.ok, false);
    if (!read.ok) {
      assert.equal(read.error.code, 'IO');
      assert.equal(read.error.where, join(dir, 'missing.jsonl'));
    }
  });

  const good = (seq: number, atMs = seq * 10): string => canonicalLine({ seq, atMs, type: 'node.paused', node: 'agent-1' });
  const badLines: Array<[string, string, RegExp]> = [
    ['not JSON', '{"seq":2,', /not JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    ['a missing seq', '{"atMs":20,"type":"node.paused","node":"a"}', /"seq"/],
    ['a negative time', '{"seq":2,"atMs":-1,"type":"node.paused","node":"a"}', /"atMs"/],
    ['an unknown type', '{"seq":2,"atMs":20,"type":"agent.exploded"}', /unknown event type "agent.exploded"/],
    ['a missing field', '{"seq":2,"atMs":20,"type":"agent.unreachable","agentId":"m1-S1","epoch":1}', /agent.unreachable: field "host"/],
    [
      'an unknown task state',
      '{"seq":2,"atMs":20,"type":"task.status","taskId":"t","frameworkId":"f","agentId":"a","host":"h","state":"TASK_DANCING","reason":null,"uuid":"u"}',
      /field "state" must be a task state/,
    ],
    [
      'bad resources',
      '{"seq":2,"atMs":20,"type":"offer.created","offerId":"o","frameworkId":"f","agentId":"a","resources":{"cpus":-1,"mem":0,"disk":0,"gpus":0,"ports":[]}}',
      /field "resources" must have a non-negative "cpus"/,
    ],
    ['an unknown fault kind', '{"seq":2,"atMs":20,"type":"fault.injected","fault":{"kind":"meteor"},"detail":"x"}', /unknown fault kind "meteor"/],
    ['a fault without its target', '{"seq":2,"atMs":20,"type":"fault.injected","fault":{"kind":"kill-agent"},"detail":"x"}', /\(kill-agent\) has a bad "node"/],
    ['a repeated seq', good(1, 20), /seq 1 does not follow 1/],
    ['time going back', good(2, 5), /time goes back from 10 to 5/],
    ['an empty line', '', /empty line/],
    ['a master.unhandled without its sender', '{"seq":2,"atMs":20,"type":"master.unhandled","node":"master-1","message":"master.ping"}', /master.unhandled: field "from"/],
  ];
  for (const [what, line, reason] of badLines) {
    it(`names the line of ${what}`, () => {
      const path = join(dir, 'bad.jsonl');
      writeFileSync(path, [good(0), good(1), line, good(3)].join('\n') + '\n');
      const read = readHistory(path);
      assert.equal(read.ok, false, 'the bad line is refused');
      if (read.ok) return;
      assert.equal(read.error.code, 'IO');
      assert.equal(read.error.where, `${path}:3`);
      assert.match(read.error.message, reason);
    });
  }

  it('reads back a master.unhandled record (a message a master does not handle)', () => {
    const path = join(dir, 'unhandled.jsonl');
    const line = canonicalLine({ seq: 1, atMs: 20, type: 'master.unhandled', node: 'master-1', from: 'agent-1', message: 'executor.status' });
    writeFileSync(path, [good(0), line].join('\n') + '\n');
    const read = readHistory(path);
    assert.ok(read.ok, read.ok ? '' : read.error.message);
    assert.deepEqual(read.value[1], { seq: 1, atMs: 20, type: 'master.unhandled', node: 'master-1', from: 'agent-1', message: 'executor.status' });
  });

  it('accepts a last line without its newline', () => {
    const path = join(dir, 'no-newline.jsonl');
    writeFileSync(path, `${good(0)}\n${good(1)}`);
    const read = readHistory(path);
    assert.ok(read.ok);
    assert.equal(read.value.length, 2);
  });
});

function mutate(records: HistoryRecord[], index: number, change: (r: HistoryRecord) => HistoryRecord): void {
  const record = records[index];
  assert.ok(record);
  records[index] = change(record);
}

function mutateType<T extends HistoryRecord['type']>(records: HistoryRecord[], type: T, change: (r: Extract<HistoryRecord, { type: T }>) => HistoryRecord): void {
  const index = records.findIndex((r) => r.type === type);
  assert.ok(index >= 0, `a ${type} record to change`);
  mutate(records, index, (r) => change(r as Extract<HistoryRecord, { type: T }>));
}
