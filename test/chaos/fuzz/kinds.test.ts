import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FUZZ_KINDS, parseFaultKinds } from '../../../src/chaos/fuzz/index.js';

describe('parseFaultKinds (--faults)', () => {
  const valid: Array<[string, string | string[] | undefined, string[]]> = [
    ['absent: every kind', undefined, [...FUZZ_KINDS]],
    ['empty: every kind', '', [...FUZZ_KINDS]],
    ['one kind', 'kill-agent', ['kill-agent']],
    ['a list, put in the canonical order', 'partition,kill-agent', ['kill-agent', 'partition']],
    ['spaces and duplicates', ' pause-agent , pause-agent,failover ', ['pause-agent', 'failover']],
    ['repeated flag', ['kill-task', 'clog'], ['clog', 'kill-task']],
  ];
  for (const [name, flag, kinds] of valid) {
    it(name, () => {
      const parsed = parseFaultKinds(flag);
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.value, kinds);
    });
  }

  const invalid: Array<[string, string, RegExp]> = [
    ['a typo suggests the kind', 'kill-agnet', /unknown fault kind "kill-agnet", did you mean "kill-agent"\?/],
    ['an unknown word lists the kinds', 'meteor', /unknown fault kind "meteor" \(kinds: kill-agent, /],
    ['heal points at partition', 'heal', /"heal" is not drawn on its own: it follows partition \(use --faults partition\)/],
    ['resume-agent points at pause-agent', 'kill-agent,resume-agent', /follows pause-agent/],
    ['unclog points at clog', 'unclog', /follows clog/],
  ];
  for (const [name, flag, message] of invalid) {
    it(name, () => {
      const parsed = parseFaultKinds(flag);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.equal(parsed.error.code, 'USAGE');
      assert.equal(parsed.error.where, '--faults');
      assert.match(parsed.error.message, message);
      assert.ok(!parsed.error.message.includes('\n'), 'one line');
    });
  }
});
