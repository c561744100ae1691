import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { read as dcosRead } from '@dcos/recordio';
import {
  RecordIoDecoder,
  decodeRecords,
  encodeRecord,
  utf8ByteLength,
  type RecordIoErrorReason,
} from '../../src/api/recordio.js';

const encoder = new TextEncoder();

/** Feeds `bytes` to a fresh decoder in chunks cut at `cuts` (byte offsets); returns all records. */
function decodeInChunks(bytes: Uint8Array, cuts: number[]): string[] {
  const decoder = new RecordIoDecoder();
  const records: string[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    const result = decoder.push(bytes.subarray(from, to));
    assert.ok(result.ok, `chunk ${from}..${to}: ${result.ok ? '' : result.error.message}`);
    records.push(...result.records);
    from = to;
  }
  assert.equal(decoder.end(), undefined);
  return records;
}

const payloads: { name: string; records: string[] }[] = [
  { name: 'one ASCII record', records: ['{"type":"HEARTBEAT"}'] },
  { name: 'several records', records: ['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}', 'x'] },
  { name: 'two-byte UTF-8', records: ['{"message":"café"}'] },
  { name: 'three-byte UTF-8', records: ['{"message":"Größe €"}', 'ok'] },
  { name: 'four-byte UTF-8 (surrogate pairs)', records: ['{"m":"🐳🚀"}', '🐳'] },
  { name: 'a record holding a newline and digits', records: ['12\n34', '\n'] },
  { name: 'a long record', records: ['y'.repeat(70_000)] },
];

describe('RecordIO encoding', () => {
  const cases: { text: string; bytes: number }[] = [
    { text: 'a', bytes: 1 },
    { text: '{"type":"HEARTBEAT"}', bytes: 20 },
    { text: 'é', bytes: 2 },
    { text: '€', bytes: 3 },
    { text: '🐳', bytes: 4 },
    { text: '\ud800', bytes: 3 }, // a lone surrogate is written as U+FFFD
  ];
  for (const { text, bytes } of cases) {
    it(`measures ${JSON.stringify(text)} as ${bytes} bytes, as the UTF-8 encoder does`, () => {
      assert.equal(utf8ByteLength(text), bytes);
      assert.equal(utf8ByteLength(text), encoder.encode(text).length);
      assert.equal(encodeRecord(text), `${bytes}\n${text}`);
    });
  }

  it('encodes the heartbeat of live-runtime.md section 1.6 exactly', () => {
    assert.equal(encodeRecord('{"type":"HEARTBEAT"}'), '20\n{"type":"HEARTBEAT"}');
  });

  it('refuses an empty record (RecordIO lengths are never 0)', () => {
    assert.throws(() => encodeRecord(''), /never empty/);
  });
});

describe('RecordIO decoding', () => {
  for (const { name, records } of payloads) {
    const stream = records.map(encodeRecord).join('');
    const bytes = encoder.encode(stream);

    it(`${name}: round-trips in one chunk`, () => {
      const result = decodeRecords(bytes);
      assert.ok(result.ok);
      assert.deepEqual(result.records, records);
    });

    it(`${name}: round-trips split at every byte boundary`, () => {
      const step = Math.max(1, Math.floor(bytes.length / 300)); // every byte for small streams, ~300 cuts for big ones
      for (let cut = 1; cut < bytes.length; cut += step) {
        assert.deepEqual(decodeInChunks(bytes, [cut]), records, `cut at ${cut}`);
      }
    });

    // The long record is covered by the cuts above; byte-at-a-time is for the small ones.
    if (bytes.length <= 5000) it(`${name}: round-trips one byte at a time`, () => {
      const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      assert.deepEqual(decodeInChunks(bytes, cuts), records);
    });

    // @dcos/recordio's record pattern needs a first byte other than a newline.
    const dcosCanRead = !records.some((r) => r.startsWith('\n'));
    if (dcosCanRead) it(`${name}: agrees with @dcos/recordio`, () => {
      const [theirs, rest] = dcosRead(stream);
      assert.equal(rest, '');
      assert.deepEqual(theirs, records);
    });

    if (dcosCanRead) it(`${name}: @dcos/recordio decodes what encodeRecord wrote, split anywhere`, () => {
      for (let cut = 1; cut < Math.min(stream.length, 200); cut++) {
        const [first, rest] = dcosRead(stream.slice(0, cut));
        const [second, tail] = dcosRead(rest + stream.slice(cut));
        assert.equal(tail, '');
        assert.deepEqual([...first, ...second], records, `cut at ${cut}`);
      }
    });
  }

  it('accepts text chunks as well as bytes', () => {
    const decoder = new RecordIoDecoder();
    const a = decoder.push('5\nhel');
    const b = decoder.push('lo3\n€');
    assert.ok(a.ok && b.ok);
    assert.deepEqual([...a.records, ...b.records], ['hello', '€']);
  });

  it('yields nothing for an empty chunk or an empty stream', () => {
    const decoder = new RecordIoDecoder();
    const result = decoder.push(new Uint8Array(0));
    assert.ok(result.ok);
    assert.deepEqual(result.records, []);
    assert.equal(decoder.end(), undefined);
    assert.ok(decoder.atRecordBoundary);
  });

  const malformed: { name: string; input: string; reason: RecordIoErrorReason; where: string; max?: number }[] = [
    { name: 'a non-digit length', input: 'x\nabc', reason: 'LENGTH_NOT_DIGIT', where: 'byte 0' },
    { name: 'a negative length', input: '-1\na', reason: 'LENGTH_NOT_DIGIT', where: 'byte 0' },
    { name: 'a length with a space', input: '1 \na', reason: 'LENGTH_NOT_DIGIT', where: 'byte 1' },
    { name: 'a CRLF header', input: '1\r\na', reason: 'LENGTH_NOT_DIGIT', where: 'byte 1' },
    { name: 'an empty length', input: '\nabc', reason: 'LENGTH_NOT_DIGIT', where: 'byte 0' },
    { name: 'garbage after a good record', input: '1\naZ', reason: 'LENGTH_NOT_DIGIT', where: 'byte 3' },
    { name: 'a length of 0', input: '0\n', reason: 'LENGTH_ZERO', where: 'byte 1' },
    { name: 'a length of 00', input: '00\nab', reason: 'LENGTH_ZERO', where: 'byte 2' },
    { name: 'a length over the limit', input: '11\nhello world', reason: 'LENGTH_TOO_LARGE', where: 'byte 1', max: 10 },
    { name: 'a length over 16 MiB', input: '16777217\n', reason: 'LENGTH_TOO_LARGE', where: 'byte 7' },
    { name: 'a length of 2^64', input: '18446744073709551616\n', reason: 'LENGTH_TOO_LARGE', where: 'byte 7' },
    { name: 'a header of endless zeros', input: '0'.repeat(100), reason: 'LENGTH_TOO_LARGE', where: 'byte 20' },
    { name: 'a stream ending inside a length', input: '12', reason: 'TRUNCATED', where: 'byte 2' },
    { name: 'a stream ending inside a record', input: '5\nabc', reason: 'TRUNCATED', where: 'byte 5' },
  ];
  for (const { name, input, reason, where, max } of malformed) {
    it(`rejects ${name} with ${reason} at ${where}`, () => {
      const result = decodeRecords(input, max === undefined ? {} : { maxRecordBytes: max });
      assert.ok(!result.ok, 'expected an error');
      assert.equal(result.error.code, 'PROTOCOL');
      assert.equal(result.error.reason, reason);
      assert.equal(result.error.where, where);
    });
  }

  it('accepts a record of exactly the limit', () => {
    const result = decodeRecords('10\nhelloworld', { maxRecordBytes: 10 });
    assert.ok(result.ok);
    assert.deepEqual(result.records, ['helloworld']);
  });

  it('rejects a record that is not UTF-8', () => {
    const decoder = new RecordIoDecoder();
    const result = decoder.push(new Uint8Array([0x32, 0x0a, 0xc3, 0x28]));
    assert.ok(!result.ok);
    assert.equal(result.error.reason, 'INVALID_UTF8');
  });

  it('locates an error by its offset in the whole stream, across chunks', () => {
    const decoder = new RecordIoDecoder();
    assert.ok(decoder.push('3\nabc').ok);
    const result = decoder.push('4x');
    assert.ok(!result.ok);
    assert.equal(result.error.where, 'byte 6');
  });

  it('stays failed: every push after an error returns that error and no records', () => {
    const decoder = new RecordIoDecoder();
    const first = decoder.push('x');
    const second = decoder.push('1\na');
    assert.ok(!first.ok && !second.ok);
    assert.deepEqual(second.error, first.error);
    assert.deepEqual(decoder.end(), first.error);
  });

  it('fails an oversized length before any of its body arrives (bounded memory)', () => {
    const decoder = new RecordIoDecoder({ maxRecordBytes: 1024 });
    const result = decoder.push('999999');
    assert.ok(!result.ok);
    assert.equal(result.error.reason, 'LENGTH_TOO_LARGE');
  });
});
