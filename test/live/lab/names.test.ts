/**
 * Namespace names and `ip` output (no root): `flt-<pid>-<n>`, the pid read
 * back, which namespaces are stale (their pid dead; others' names never),
 * and `ip netns list` / `ip netns pids` parsing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { labNamespaceName, pidOfLabName } from '../../../src/live/lab/index.js';
import { isValidNamespaceName, parseNetnsList, parsePids, staleLabNames } from '../../../src/live/lab/names.js';

describe('lab namespace names', () => {
  it('are flt-<pid>-<n>, short, and give their pid back', () => {
    const name = labNamespaceName(4194304, 12);
    assert.equal(name, 'flt-4194304-12');
    assert.ok(isValidNamespaceName(name));
    assert.equal(pidOfLabName(name), 4194304);
    for (const other of ['flt-lab', 'flt-12', 'flt-12-x', 'xflt-1-2', 'flt-1-2-3', 'mesos']) assert.equal(pidOfLabName(other), null, other);
  });

  it('stale labs are those whose pid is dead; other namespaces are never touched', () => {
    const alive = new Set([100]);
    assert.deepEqual(staleLabNames(['flt-100-0', 'flt-200-0', 'flt-200-1', 'flt-lo', 'netns-of-someone'], (pid) => alive.has(pid)), ['flt-200-0', 'flt-200-1']);
  });

  it('parse `ip netns list` with and without ids, and `ip netns pids`', () => {
    assert.deepEqual(parseNetnsList('flt-1-0 (id: 3)\nflt-2-0\n\n  other (id: 0)\n'), ['flt-1-0', 'flt-2-0', 'other']);
    assert.deepEqual(parseNetnsList(''), []);
    assert.deepEqual(parsePids('123\n456\n\n'), [123, 456]);
    assert.deepEqual(parsePids(''), []);
  });

  it('refuses names ip would choke on or that are too long', () => {
    for (const bad of ['', '.', '..', 'a/b', 'has space', 'x'.repeat(33), '-leading']) assert.ok(!isValidNamespaceName(bad), bad);
  });
});
