/**
 * End to end: the real `faultline` binary in tmux (installed by .ci/run).
 * First frame, view switches, kill an agent and watch its tasks come back
 * elsewhere, resize to 80x24 and 60x15, quit, and the terminal left normal.
 * Needs the build (npm test builds first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TmuxPane, runningOf } from '../helpers/tmux.js';

const root = resolve(import.meta.dirname, '..', '..');
// One tmux server per test: a server just killed may still hold its socket.
let pane = new TmuxPane(`faultline-e2e-${process.pid}`, 'e2e');
const session = 'e2e';
const tmux = (...args: string[]): string => pane.run(...args);
const waitFor = (what: string, predicate: (text: string) => boolean, timeoutMs?: number): Promise<string> => pane.waitFor(what, predicate, timeoutMs);

test('the real binary in tmux: first frame, views, kill an agent, resize, quit', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(join(root, 'dist', 'cli', 'main.js')), 'build first (npm test does)');
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `cd ${root} && node bin/faultline --seed 5 --speed 4; echo EXITED $?; sleep 600`);
  try {
    await waitFor('the first frame', (s) => s.includes('seed 5') && s.includes('Overview'));
    await waitFor('a leader', (s) => /Leader\s+master-\d epoch \d/.test(s));
    assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on}').trim(), '1', 'full screen');

    tmux('send-keys', '-t', session, '2');
    await waitFor('the Agents view', (s) => /Agents \d+\/\d+/.test(s) && s.includes('registered'));
    tmux('send-keys', '-t', session, '4');
    await waitFor('the Tasks view', (s) => /Tasks \d+\/\d+/.test(s) && s.includes('RUNNING'));

    // Steady state first: every service and the batch job's parallelism at full strength.
    tmux('send-keys', '-t', session, '1');
    const steady = await waitFor('steady state', (s) => runningOf(s) === 42);
    assert.equal(runningOf(steady), 42);

    // Kill the agent with the most tasks, from the Agents view, sorted by tasks (descending).
    tmux('send-keys', '-t', session, '2');
    await waitFor('the Agents view', (s) => /Agents \d+\/\d+/.test(s));
    const victim = await pane.killBusiestAgent();
    await waitFor("the agent down (the truth) while the master still has it", (s) => new RegExp(`${victim}\\s+(registered|unreachable)\\s+down`).test(s));
    tmux('send-keys', '-t', session, '1');
    const lost = await waitFor('its tasks reported lost', (s) => /UNREACHABLE|LOST/.test(s));
    assert.match(lost, new RegExp(`kill-agent ${victim}`), 'the fault is listed');
    await waitFor('every task running again elsewhere', (s) => runningOf(s) === 42 && /UNREACHABLE|LOST/.test(s), 40_000);

    tmux('resize-window', '-t', session, '-x', '80', '-y', '24');
    const small = await waitFor('the 80x24 frame', (s) => s.split('\n').length <= 24 && s.includes('seed 5'));
    assert.ok(small.split('\n').every((line) => line.length <= 80));
    tmux('resize-window', '-t', session, '-x', '60', '-y', '15');
    const tiny = await waitFor('the 60x15 frame', (s) => s.includes('seed 5') && s.split('\n').length <= 15);
    assert.ok(tiny.split('\n').every((line) => line.length <= 60));

    tmux('send-keys', '-t', session, 'q');
    const after = await waitFor('the exit', (s) => s.includes('EXITED'));
    assert.match(after, /EXITED 0/);
    assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on}').trim(), '0', 'the alternate screen is off');
  } finally {
    pane.kill();
  }
});

test('the real binary in tmux: w twice does not overwrite, :tasks, l, widen then quit leaves a clean screen', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(join(root, 'dist', 'cli', 'main.js')), 'build first (npm test builds first)');
  const dir = mkdtempSync(join(tmpdir(), 'faultline-e2e-'));
  pane = new TmuxPane(`faultline-e2e-${process.pid}-2`, session);
  tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', `cd ${dir} && clear && node ${join(root, 'bin', 'faultline')} --seed 6 --speed 4; echo EXITED $?; sleep 600`);
  try {
    await waitFor('the first frame', (s) => s.includes('seed 6') && s.includes('Overview'));
    await waitFor('a leader', (s) => /Leader\s+master-\d epoch \d/.test(s));

    // w twice: two files, the first one kept.
    tmux('send-keys', '-t', session, 'w');
    await waitFor('the first write', (s) => /wrote 0 faults to \S*faultline-session-6\.yaml/.test(s));
    const first = readFileSync(join(dir, 'faultline-session-6.yaml'), 'utf8');
    tmux('send-keys', '-t', session, 'F');
    await waitFor('the failover question', (s) => s.includes('[y/n]'));
    tmux('send-keys', '-t', session, 'y');
    await waitFor('the failover', (s) => s.includes('injected: failover'));
    tmux('send-keys', '-t', session, 'w');
    await waitFor('the second write', (s) => /wrote 1 fault to \S*faultline-session-6-2\.yaml/.test(s));
    assert.deepEqual(readdirSync(dir).sort(), ['faultline-session-6-2.yaml', 'faultline-session-6.yaml']);
    assert.equal(readFileSync(join(dir, 'faultline-session-6.yaml'), 'utf8'), first, 'the first file is untouched');
    assert.match(readFileSync(join(dir, 'faultline-session-6-2.yaml'), 'utf8'), /failover/);

    // :tasks switches the view; l opens the selected task's output.
    tmux('send-keys', '-t', session, ':tasks', 'Enter');
    await waitFor('the Tasks view', (s) => /\[4 Tasks\]/.test(s) && /Tasks \d+\/\d+/.test(s) && s.includes('RUNNING'));
    // A running task: it was launched, so its output has a launch line (a task dropped at launch has none).
    tmux('send-keys', '-t', session, '/', 'RUNNING', 'Enter');
    tmux('send-keys', '-t', session, 'l');
    await waitFor('the task output', (s) => /Output of task \S+/.test(s) && /stdout \(\d+ lines?\)/.test(s) && /launching \w+ task/.test(s));
    tmux('send-keys', '-t', session, 'Escape');

    // Widen, then quit: nothing of the frame stays on the shell's screen.
    tmux('resize-window', '-t', session, '-x', '160', '-y', '45');
    await waitFor('the wide frame', (s) => s.split('\n').some((l) => l.length > 100));
    tmux('send-keys', '-t', session, 'q');
    const after = await waitFor('the exit', (s) => s.includes('EXITED'));
    assert.match(after, /EXITED 0/);
    assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on}').trim(), '0', 'the alternate screen is off');
    const leftovers = after.split('\n').filter((l) => l.trim() !== '' && !/^faultline: seed 6|^EXITED/.test(l));
    assert.deepEqual(leftovers, [], 'a clean screen: only the exit lines');
  } finally {
    pane.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
