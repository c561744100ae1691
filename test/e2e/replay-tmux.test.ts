/**
 * End to end: `faultline replay` of a bundled scenario's history in tmux, with
 * the real binary: play, pause, jump to the end, quit, and the screen restored
 * (the alternate screen off, the shell's line back). Needs the build (npm test
 * builds first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TmuxPane } from '../helpers/tmux.js';

const root = resolve(import.meta.dirname, '..', '..');
const pane = new TmuxPane(`faultline-e2e-replay-${process.pid}`, 'replay');
const session = 'replay';
const tmux = (...args: string[]): string => pane.run(...args);
const screen = (): string => pane.screen();
const waitFor = (what: string, predicate: (text: string) => boolean, timeoutMs?: number): Promise<string> => pane.waitFor(what, predicate, timeoutMs);

/** The position the timeline bar shows: `#12/345`. */
function positionOf(text: string): { at: number; total: number } | null {
  const m = /#(\d+)\/(\d+)/.exec(text);
  return m ? { at: Number(m[1]), total: Number(m[2]) } : null;
}

test('faultline replay in tmux: play, pause, G, quit, the screen restored', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(join(root, 'dist', 'cli', 'main.js')), 'build first (npm test does)');
  const dir = mkdtempSync(join(tmpdir(), 'faultline-e2e-replay-'));
  const history = join(dir, 'partition-heal.jsonl');
  execFileSync(process.execPath, [join(root, 'bin', 'faultline'), 'run', join(root, 'scenarios', 'partition-heal.yaml'), '--quiet', '--history', history], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `cd ${dir} && clear && echo SHELL-BEFORE && node ${join(root, 'bin', 'faultline')} replay ${history}; echo EXITED $?; sleep 600`);
  try {
    const first = await waitFor('the first frame with its timeline', (s) => s.includes('REPLAY') && positionOf(s) !== null);
    assert.equal(positionOf(first)?.at, 0, 'it opens at the start');
    assert.match(first, /PAUSED/);
    assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on}').trim(), '1', 'full screen');

    tmux('send-keys', '-t', session, '+', '+', '+', 'Space');
    const playing = await waitFor('the replay playing', (s) => (positionOf(s)?.at ?? 0) > 0 && !/PAUSED/.test(s.split('\n')[0] ?? ''));
    assert.ok((positionOf(playing)?.at ?? 0) > 0);
    tmux('send-keys', '-t', session, 'Space');
    const paused = await waitFor('paused', (s) => /PAUSED/.test(s.split('\n')[0] ?? ''));
    const at = positionOf(paused)?.at ?? -1;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(positionOf(screen())?.at, at, 'paused: the position stays');

    tmux('send-keys', '-t', session, 'G');
    const end = await waitFor('the end', (s) => {
      const p = positionOf(s);
      return p !== null && p.at === p.total;
    });
    assert.ok((positionOf(end)?.total ?? 0) > 100, 'a whole history');

    tmux('send-keys', '-t', session, 'q');
    const after = await waitFor('the exit', (s) => s.includes('EXITED'));
    assert.match(after, /EXITED 0/);
    assert.match(after, /SHELL-BEFORE/, 'the shell screen is back');
    assert.doesNotMatch(after, /REPLAY|#\d+\/\d+/, 'nothing of the TUI is left');
    assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on}').trim(), '0', 'the alternate screen is off');
  } finally {
    pane.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
