/** EventLogTail: follows a growing file; partial lines wait for their end, malformed lines are counted and skipped, a late file is waited for. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FaultlineError } from '../../../src/core/errors.js';
import { EventLogTail, formatEventLine, type EventLogEntry } from '../../../src/live/history/index.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-tail-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = (): string => join(dir, `events-${(files += 1)}.jsonl`);

const entry = (n: number, note = `n${n}`): EventLogEntry => ({ atEpochMs: 1000 + n, node: 'agent-1', event: { type: 'scheduler.note', frameworkId: null, node: 'agent-1', app: 'test', note } });
const notes = (entries: readonly EventLogEntry[]): string[] => entries.map((e) => (e.event.type === 'scheduler.note' ? e.event.note : '?'));

function tailOf(path: string, offsetBytes?: number): { tail: EventLogTail; got: EventLogEntry[]; bad: Array<{ line: string; error: FaultlineError }> } {
  const got: EventLogEntry[] = [];
  const bad: Array<{ line: string; error: FaultlineError }> = [];
  const tail = new EventLogTail({ path, onEntry: (e) => got.push(e), onMalformed: (line, error) => bad.push({ line, error }), ...(offsetBytes === undefined ? {} : { offsetBytes }) });
  return { tail, got, bad };
}

describe('EventLogTail', () => {
  it('survives a file that does not exist yet and reads it once it does', async () => {
    const path = newPath();
    const { tail, got } = tailOf(path);
    assert.equal(await tail.poll(), 0);
    assert.equal(await tail.poll(), 0);
    writeFileSync(path, formatEventLine(entry(1)));
    assert.equal(await tail.poll(), 1);
    assert.deepEqual(notes(got), ['n1']);
    await tail.stop();
  });

  it('follows growth: each poll hands on only what is new', async () => {
    const path = newPath();
    writeFileSync(path, formatEventLine(entry(1)) + formatEventLine(entry(2)));
    const { tail, got } = tailOf(path);
    assert.equal(await tail.poll(), 2);
    assert.equal(await tail.poll(), 0);
    appendFileSync(path, formatEventLine(entry(3)));
    assert.equal(await tail.poll(), 1);
    assert.deepEqual(notes(got), ['n1', 'n2', 'n3']);
    assert.equal(tail.entries, 3);
    await tail.stop();
  });

  it('keeps an incomplete last line until its newline arrives, also when a UTF-8 character is cut', async () => {
    const path = newPath();
    const line = Buffer.from(formatEventLine(entry(1, 'caf\u00e9 \u2603 done')), 'utf8');
    const snowman = line.indexOf(Buffer.from('\u2603', 'utf8'));
    const cuts = [10, snowman + 1, snowman + 2, line.length - 1];
    const { tail, got, bad } = tailOf(path);
    let written = 0;
    for (const cut of cuts) {
      appendFileSync(path, line.subarray(written, cut));
      written = cut;
      assert.equal(await tail.poll(), 0, `nothing complete after ${cut} bytes`);
      assert.equal(tail.offsetBytes, 0, 'the resume offset stays at the line start');
    }
    appendFileSync(path, line.subarray(written));
    assert.equal(await tail.poll(), 1);
    assert.deepEqual(notes(got), ['caf\u00e9 \u2603 done']);
    assert.equal(bad.length, 0);
    assert.equal(tail.offsetBytes, line.length);
    await tail.stop();
  });

  it('counts and skips malformed lines, and goes on with the good ones', async () => {
    const path = newPath();
    writeFileSync(path, [formatEventLine(entry(1)), 'not json\n', '{"atEpochMs":"soon","node":"a","event":{"type":"x"}}\n', '\n', '[]\n', formatEventLine(entry(2))].join(''));
    const { tail, got, bad } = tailOf(path);
    assert.equal(await tail.poll(), 2);
    assert.deepEqual(notes(got), ['n1', 'n2']);
    assert.equal(tail.malformed, 3, 'a blank line is not counted');
    assert.deepEqual(bad.map((b) => b.line), ['not json', '{"atEpochMs":"soon","node":"a","event":{"type":"x"}}', '[]']);
    assert.ok(bad.every((b) => b.error.code === 'PROTOCOL'));
    await tail.stop();
  });

  it('counts a last line cut off for good as malformed at the final stop, and keeps it without final', async () => {
    const path = newPath();
    const torn = formatEventLine(entry(2)).slice(0, 20);
    writeFileSync(path, formatEventLine(entry(1)) + torn);
    const kept = tailOf(path);
    await kept.tail.poll();
    await kept.tail.stop({ final: false });
    assert.equal(kept.tail.malformed, 0);
    // A new tail from where the first stopped sees the line once it is finished.
    appendFileSync(path, formatEventLine(entry(2)).slice(20));
    const resumed = tailOf(path, kept.tail.offsetBytes);
    assert.equal(await resumed.tail.poll(), 1);
    assert.deepEqual(notes(resumed.got), ['n2']);
    await resumed.tail.stop();

    const cut = tailOf(path);
    appendFileSync(path, torn);
    await cut.tail.poll();
    await cut.tail.stop();
    assert.equal(cut.tail.malformed, 1);
    assert.match(cut.bad[0]?.error.message ?? '', /no newline/);
  });

  it('starts reading at offsetBytes', async () => {
    const path = newPath();
    const first = formatEventLine(entry(1));
    writeFileSync(path, first + formatEventLine(entry(2)));
    const { tail, got } = tailOf(path, Buffer.byteLength(first));
    await tail.poll();
    assert.deepEqual(notes(got), ['n2']);
    await tail.stop();
  });

  it('drops a line longer than maxLineBytes and resumes at the next line', async () => {
    const path = newPath();
    const long = `${'x'.repeat(5000)}\n`;
    const got: EventLogEntry[] = [];
    const tail = new EventLogTail({ path, onEntry: (e) => got.push(e), maxLineBytes: 1000 });
    writeFileSync(path, long.slice(0, 2000));
    await tail.poll();
    appendFileSync(path, long.slice(2000) + formatEventLine(entry(1)));
    await tail.poll();
    assert.deepEqual(notes(got), ['n1']);
    assert.equal(tail.malformed, 1);
    await tail.stop();
  });

  it('reads a file larger than one read chunk', async () => {
    const path = newPath();
    const lines = Array.from({ length: 3000 }, (_, i) => formatEventLine(entry(i)));
    writeFileSync(path, lines.join(''));
    const { tail, got } = tailOf(path);
    assert.equal(await tail.poll(), 3000);
    assert.deepEqual(notes(got), lines.map((_, i) => `n${i}`));
    await tail.stop();
  });

  it('polls on its injected timer at intervalMs once started, and not after stop', async () => {
    const path = newPath();
    writeFileSync(path, formatEventLine(entry(1)));
    const queued: Array<{ fn: () => void; ms: number }> = [];
    const got: EventLogEntry[] = [];
    const tail = new EventLogTail({
      path,
      intervalMs: 7,
      onEntry: (e) => got.push(e),
      timers: { setTimeout: (fn, ms) => queued.push({ fn, ms }), clearTimeout: () => undefined },
    });
    tail.start();
    assert.deepEqual(queued.map((q) => q.ms), [0], 'the first poll at once');
    queued.shift()?.fn();
    await tail.poll();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(notes(got), ['n1']);
    assert.deepEqual(queued.map((q) => q.ms), [7], 'then every intervalMs');
    appendFileSync(path, formatEventLine(entry(2)));
    await tail.stop();
    assert.deepEqual(notes(got), ['n1', 'n2'], 'stop reads what is left');
    queued.shift()?.fn();
    await new Promise((r) => setImmediate(r));
    assert.equal(queued.length, 0, 'no poll scheduled after stop');
  });
});
