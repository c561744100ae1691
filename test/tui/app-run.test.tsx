/**
 * A scenario run inside the TUI says what happens: its own cluster replaces
 * the one on screen (the header's seed and the overview's faults follow), the
 * status line gives the verdict when it comes, and quitting afterwards exits
 * with the verdict's code. `w` never overwrites.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTui, settle, statusLine, type Harness } from './harness.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** The overview's "Last faults" section, up to the end of the body. */
function lastFaults(harness: Harness): string {
  const frame = harness.frame();
  return frame.slice(frame.indexOf('Last faults'));
}

test(':run says its cluster replaces the one on screen; header seed and Last faults follow it', async () => {
  h = await renderTui({ size: { columns: 140, rows: 40 } });
  await h.press(':kill task web.0\r');
  await h.press('1');
  assert.match(lastFaults(h), /kill-task/);
  assert.match(h.lines()[0] ?? '', /seed 42/);
  await h.press(':run agent-loss.yaml\r');
  assert.match(statusLine(h), /^running scenario agent-loss on its own cluster \(seed 77\), which replaces the one on screen$/);
  assert.match(h.lines()[0] ?? '', /seed 77/);
  await h.press('1');
  assert.doesNotMatch(lastFaults(h), /kill-task/, 'the old cluster’s faults are gone with it');
});

test('the status line gives the verdict when it comes; q then exits with its code', async () => {
  h = await renderTui({ size: { columns: 140, rows: 40 } });
  await h.press(':run agent-loss.yaml\r');
  const run = h.feed.runs[0];
  assert.ok(run);
  run.update({ phase: 'done', verdict: 'liveness-failure', verdictDetail: 'web has 11 of 12 running' });
  await settle();
  assert.match(statusLine(h), /^error: scenario agent-loss: LIVENESS FAILURE \(exit 2\); q quits with exit 2$/);
  assert.doesNotMatch(statusLine(h), /running scenario/);
  await h.press('q');
  assert.deepEqual(h.quits, [2]);
});

test('q after a passing run exits 0; without a run, 0', async () => {
  h = await renderTui();
  await h.press(':run agent-loss.yaml\r');
  h.feed.runs[0]?.update({ phase: 'done', verdict: 'pass', verdictDetail: null });
  await settle();
  await h.press('q');
  assert.deepEqual(h.quits, [0]);
});

test('w asks the feed for a free name; :write <file> for exactly that file', async () => {
  h = await renderTui();
  await h.press('w');
  await h.press(':write mine.yaml\r');
  assert.deepEqual(h.feed.writes, [
    { path: 'faultline-session-42.yaml', unique: true },
    { path: 'mine.yaml', unique: false },
  ]);
});

test('the line the CLI prints after quitting: the verdict with its exit code, or that the run was cut short', async () => {
  const { runExitLine } = await import('../../src/tui/run-panel.js');
  const base = { scenario: 'agent-loss', phase: 'done', steps: [], checks: [], verdictDetail: null };
  assert.equal(runExitLine({ ...base, verdict: 'liveness-failure', verdictDetail: 'web has 11 of 12 running' }), 'scenario agent-loss: LIVENESS FAILURE (exit 2): web has 11 of 12 running');
  assert.equal(runExitLine({ ...base, verdict: 'pass' }), 'scenario agent-loss: PASS (exit 0)');
  assert.equal(runExitLine({ ...base, phase: 'method', verdict: null }), 'scenario agent-loss: quit while it ran (method): no verdict');
});
