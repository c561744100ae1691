import { test } from 'node:test';
import assert from 'node:assert/strict';
import { naturalKey } from '../../src/core/natural-key.js';

test('naturalKey: digit runs compare by value, text by characters, case ignored', () => {
  const hosts = ['agent-10', 'agent-2', 'Agent-1', 'agent-010a', 'agent-9', 'b-1', 'agent-100'];
  const sorted = [...hosts].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : naturalKey(a) > naturalKey(b) ? 1 : 0));
  assert.deepEqual(sorted, ['Agent-1', 'agent-2', 'agent-9', 'agent-10', 'agent-010a', 'agent-100', 'b-1']);
});
