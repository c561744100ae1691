/**
 * The lab's iptables rules as text (no root): the directed pairs a drop
 * covers (symmetric, one-way, deduplicated, never a node to itself), each
 * rule's match, the statistic match of a lossy link, the one
 * iptables-restore transaction, the chain set-up and heal, and bad input.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LAB_CHAIN, directedPairs, dropRestoreInput, dropRule, validateDrop } from '../../../src/live/lab/index.js';
import { formatProbability, healCommand, restoreArgs, setupCommands } from '../../../src/live/lab/rules.js';

const A = '127.0.0.10';
const B = '127.0.0.11';
const C = '127.0.0.12';

describe('drop rules', () => {
  it('a symmetric drop covers both directions of every pair; one-way only from → to', () => {
    assert.deepEqual(directedPairs({ from: [A], to: [B, C], oneWay: false }), [
      { source: A, destination: B },
      { source: B, destination: A },
      { source: A, destination: C },
      { source: C, destination: A },
    ]);
    assert.deepEqual(directedPairs({ from: [A], to: [B, C], oneWay: true }), [
      { source: A, destination: B },
      { source: A, destination: C },
    ]);
  });

  it('covers each directed pair once and never a node to itself', () => {
    // Two sides that overlap (a node listed on both) and repeated addresses.
    assert.deepEqual(directedPairs({ from: [A, B, A], to: [B, A], oneWay: false }), [
      { source: A, destination: B },
      { source: B, destination: A },
    ]);
    assert.deepEqual(directedPairs({ from: [A], to: [A], oneWay: false }), []);
    assert.equal(dropRestoreInput({ from: [A], to: [A], oneWay: false }), null);
    assert.equal(dropRestoreInput({ from: [], to: [B], oneWay: false }), null);
  });

  it('a rule matches source and destination hosts; a probability below 1 adds the statistic match', () => {
    assert.deepEqual(dropRule({ source: A, destination: B }), ['-s', `${A}/32`, '-d', `${B}/32`, '-j', 'DROP']);
    assert.deepEqual(dropRule({ source: A, destination: B }, 1), ['-s', `${A}/32`, '-d', `${B}/32`, '-j', 'DROP']);
    assert.deepEqual(dropRule({ source: A, destination: B }, 0.25), ['-s', `${A}/32`, '-d', `${B}/32`, '-m', 'statistic', '--mode', 'random', '--probability', '0.25', '-j', 'DROP']);
    assert.equal(formatProbability(0.3), '0.3');
    assert.equal(formatProbability(1e-7), '0.0000001');
  });

  it('one iptables-restore transaction appends every rule to the lab chain', () => {
    assert.equal(
      dropRestoreInput({ from: [A], to: [B], oneWay: false, probability: 0.5 }),
      [
        '*filter',
        `-A ${LAB_CHAIN} -s ${A}/32 -d ${B}/32 -m statistic --mode random --probability 0.5 -j DROP`,
        `-A ${LAB_CHAIN} -s ${B}/32 -d ${A}/32 -m statistic --mode random --probability 0.5 -j DROP`,
        'COMMIT',
        '',
      ].join('\n'),
    );
    assert.deepEqual(restoreArgs().slice(-1), ['--noflush'], 'appends, never flushes the namespace tables');
  });

  it('the chain is created and jumped to first from INPUT; heal flushes only that chain', () => {
    const [create, jump] = setupCommands();
    assert.deepEqual(create?.slice(-2), ['-N', LAB_CHAIN]);
    assert.deepEqual(jump?.slice(-5), ['-I', 'INPUT', '1', '-j', LAB_CHAIN]);
    assert.deepEqual(healCommand().slice(-2), ['-F', LAB_CHAIN]);
  });

  it('refuses an address that is not IPv4 and a probability outside (0, 1]', () => {
    assert.deepEqual(validateDrop({ from: [A], to: [B], oneWay: true, probability: 1 }), { ok: true, value: true });
    for (const bad of ['127.0.0.256', 'localhost', '127.0.0.1; reboot', '', '127.0.0.01']) {
      const checked = validateDrop({ from: [A], to: [bad], oneWay: true });
      assert.equal(checked.ok, false, bad);
      if (!checked.ok) assert.equal(checked.error.code, 'FAULT_INVALID');
    }
    for (const p of [0, -0.1, 1.5, Number.NaN, Infinity]) {
      const checked = validateDrop({ from: [A], to: [B], oneWay: true, probability: p });
      assert.equal(checked.ok, false, String(p));
      if (!checked.ok) assert.match(checked.error.message, /probability/);
    }
  });
});
