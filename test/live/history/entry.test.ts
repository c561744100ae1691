/** parseEventLine: every envelope a daemon writes reads back; anything else is a typed error, never a throw. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterEvent } from '../../../src/core/events.js';
import { formatEventLine, parseEventLine, type EventLogEntry } from '../../../src/live/history/index.js';

const event: ClusterEvent = { type: 'agent.accepted', host: 'agent-1', command: 'master.run_task', epoch: 0 };
const entry: EventLogEntry = { atEpochMs: 1_764_000_000_123.456, node: 'agent-1', event };

describe('parseEventLine', () => {
  it('reads back what formatEventLine writes, with or without its newline', () => {
    const line = formatEventLine(entry);
    assert.ok(line.endsWith('\n'));
    assert.equal(line.indexOf('\n'), line.length - 1, 'one line');
    assert.deepEqual(parseEventLine(line), { ok: true, value: entry });
    assert.deepEqual(parseEventLine(line.trimEnd()), { ok: true, value: entry });
    assert.deepEqual(parseEventLine(`${line.trimEnd()}\r\n`), { ok: true, value: entry });
  });

  it('writes the envelope keys in order: atEpochMs, node, event', () => {
    assert.deepEqual(Object.keys(JSON.parse(formatEventLine(entry)) as object), ['atEpochMs', 'node', 'event']);
  });

  for (const [what, line, message] of [
    ['an empty line', '', /not JSON/],
    ['a torn line', formatEventLine(entry).slice(0, 30), /not JSON/],
    ['garbage', '\u0000\u0001binary', /not JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    ['a number', '42', /not a JSON object/],
    ['null', 'null', /not a JSON object/],
    ['no atEpochMs', '{"node":"a","event":{"type":"x"}}', /atEpochMs/],
    ['a string time', '{"atEpochMs":"1","node":"a","event":{"type":"x"}}', /atEpochMs/],
    ['an infinite time', '{"atEpochMs":1e999,"node":"a","event":{"type":"x"}}', /atEpochMs/],
    ['a null time', '{"atEpochMs":null,"node":"a","event":{"type":"x"}}', /atEpochMs/],
    ['no node', '{"atEpochMs":1,"event":{"type":"x"}}', /node/],
    ['an empty node', '{"atEpochMs":1,"node":"","event":{"type":"x"}}', /node/],
    ['a numeric node', '{"atEpochMs":1,"node":7,"event":{"type":"x"}}', /node/],
    ['no event', '{"atEpochMs":1,"node":"a"}', /event is not an object/],
    ['an array event', '{"atEpochMs":1,"node":"a","event":[]}', /event is not an object/],
    ['a string event', '{"atEpochMs":1,"node":"a","event":"task.updated"}', /event is not an object/],
    ['an event without type', '{"atEpochMs":1,"node":"a","event":{"taskId":"t"}}', /event.type/],
    ['an event with a numeric type', '{"atEpochMs":1,"node":"a","event":{"type":3}}', /event.type/],
  ] as const) {
    it(`refuses ${what}`, () => {
      const parsed = parseEventLine(line);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) {
        assert.equal(parsed.error.code, 'PROTOCOL');
        assert.match(parsed.error.message, message);
      }
    });
  }

  it('never throws on random bytes', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const base = formatEventLine(entry);
    for (let i = 0; i < 2000; i += 1) {
      const chars = [...base];
      for (let k = next() % 6; k >= 0; k -= 1) chars[next() % chars.length] = String.fromCharCode(next() % 128);
      const parsed = parseEventLine(chars.join(''));
      if (parsed.ok) assert.equal(typeof parsed.value.event.type, 'string');
    }
  });
});
