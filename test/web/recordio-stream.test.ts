import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RecordIoStreamDecoder } from '../../src/web/recordio-stream.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const frame = (payload: string): string => `${bytes(payload).length}\n${payload}`;

describe('the browser RecordIO decoder', () => {
  const records = ['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}', '{"name":"héllo ✓ 𝄞"}'];
  const stream = bytes(records.map(frame).join(''));

  it('yields the same records whatever the chunk split (every split point, byte by byte)', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new RecordIoStreamDecoder();
      const a = d.push(stream.subarray(0, cut));
      const b = d.push(stream.subarray(cut));
      assert.ok(a.ok && b.ok);
      assert.deepEqual([...a.records, ...b.records], records, `cut at ${cut}`);
      assert.equal(d.endedCleanly(), true);
    }
    const d = new RecordIoStreamDecoder();
    const out: string[] = [];
    for (const byte of stream) {
      const r = d.push(Uint8Array.of(byte));
      assert.ok(r.ok);
      out.push(...r.records);
    }
    assert.deepEqual(out, records);
  });

  it('tells a stream cut inside a record', () => {
    const d = new RecordIoStreamDecoder();
    assert.ok(d.push(bytes('10\n{"a"')).ok);
    assert.equal(d.endedCleanly(), false);
  });

  const broken: Array<[string, Uint8Array, RegExp]> = [
    ['a letter in the length', bytes('1x\n{}'), /a length header holds byte 120 at byte 2/],
    ['an empty length', bytes('\n{}'), /bad record length "" at byte 1/],
    ['a zero length', bytes('0\n'), /bad record length "0"/],
    ['a length over the limit', bytes('1000\n'), /bad record length "1000"/],
    ['a record that is not UTF-8', Uint8Array.of(0x32, 0x0a, 0xff, 0xfe), /a record is not UTF-8/],
  ];
  for (const [name, input, message] of broken) {
    it(`fails on ${name}, and stays failed`, () => {
      const d = new RecordIoStreamDecoder(100);
      const r = d.push(input);
      assert.ok(!r.ok);
      assert.match(r.message, message);
      assert.deepEqual(d.push(bytes(frame('{}'))), r);
    });
  }
});
