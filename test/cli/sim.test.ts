import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/io.js';

const sim = (...argv: string[]) => runCli('sim', ...argv);

test('faultline sim --json prints the seed, the history hash, tasks and agents by state', async () => {
  const args = ['--agents', '20', '--services', 'web=10', '--duration', '5m', '--seed', '7', '--json'];
  const first = await sim(...args);
  assert.equal(first.code, 0, first.err);
  const summary = JSON.parse(first.out) as { seed: string; historyHash: string; tasks: { byState: Record<string, number> }; agents: { byState: Record<string, number> }; services: Array<{ name: string; running: number }> };
  assert.equal(summary.seed, '7');
  assert.match(summary.historyHash, /^[0-9a-f]{64}$/);
  assert.equal(summary.tasks.byState.TASK_RUNNING, 10);
  assert.equal(summary.agents.byState.registered, 20);
  assert.deepEqual(summary.services, [{ name: 'web', instances: 10, running: 10 }]);
  const again = JSON.parse((await sim(...args)).out) as { historyHash: string };
  assert.equal(again.historyHash, summary.historyHash, 'same seed, same hash');
  const other = JSON.parse((await sim(...args.slice(0, -3), '--seed', '8', '--json')).out) as { historyHash: string };
  assert.notEqual(other.historyHash, summary.historyHash);
});

for (const [flags, where] of [
  [['--duration', 'soon'], '--duration'],
  [['--services', 'web'], '--services'],
  [['--resources', 'cpus:x'], '--resources.cpus'],
  [['--bogus'], 'bogus'],
] as const) {
  test(`faultline sim ${flags.join(' ')}: one line naming ${where}, exit 64`, async () => {
    const r = await sim(...flags);
    assert.equal(r.code, 64);
    const lines = r.err.trim().split('\n').filter((l) => !l.startsWith('Try faultline'));
    assert.equal(lines.length, 1, r.err);
    assert.match(lines[0] ?? '', new RegExp(where.replace(/[.-]/g, (c) => `\\${c}`)));
  });
}

test('faultline sim: one history hash and event count with or without --history, equal to the sha256 of the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-sim-'));
  try {
    const file = join(dir, 'h.jsonl');
    const args = ['--agents', '5', '--services', 'web=4', '--duration', '1m', '--seed', '3', '--json'];
    const without = JSON.parse((await sim(...args)).out) as { historyHash: string; events: number };
    const withFile = await sim(...args, '--history', file);
    assert.equal(withFile.code, 0, withFile.err);
    const summary = JSON.parse(withFile.out) as { historyHash: string; events: number };
    assert.equal(summary.historyHash, without.historyHash);
    assert.equal(summary.events, without.events);
    const text = readFileSync(file);
    assert.equal(createHash('sha256').update(text).digest('hex'), summary.historyHash, 'the hash is sha256sum of the file');
    assert.equal(text.toString('utf8').split('\n').length - 1, summary.events, 'one line per event');
    assert.match(text.toString('utf8'), /^\{[^\n]*"cluster\.started"/, 'the records of the build are in it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
