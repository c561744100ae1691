/**
 * End to end: `faultline up --listen` (the real binary in tmux, the TUI on
 * top) serves the browser view at GET / and its bundle beside the Mesos API,
 * as `faultline serve` does (issue 15: every master serves the page). Needs
 * the build (npm test builds first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { send } from '../helpers/mesos-http.js';

const root = resolve(import.meta.dirname, '..', '..');
const socket = `faultline-up-listen-${process.pid}`;
const session = 'up-listen';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

async function waitFor<T>(what: string, probe: () => T | null, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out waiting for ${what}; the screen was:\n${tmux('capture-pane', '-p', '-t', session)}`);
}

test('faultline up --listen serves the browser view at GET / on every master, with the TUI on top', { timeout: 90_000 }, async () => {
  assert.ok(existsSync(join(root, 'dist', 'web', 'index.html')), 'build first (npm test does)');
  const dir = mkdtempSync(join(tmpdir(), 'faultline-up-listen-'));
  const err = join(dir, 'stderr.txt');
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `cd ${root} && node bin/faultline up --seed 5 --masters 2 --listen 127.0.0.1:0 2>${err}; echo EXITED $?; sleep 600`);
  try {
    await waitFor('the first frame', () => (tmux('capture-pane', '-p', '-t', session).includes('Overview') ? true : null));
    const ports = await waitFor('both masters listening', () => {
      const found = [...(existsSync(err) ? readFileSync(err, 'utf8') : '').matchAll(/master-\d listening on http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      return found.length === 2 ? found : null;
    });
    for (const port of ports) {
      const page = await send(port, { method: 'GET', path: '/' });
      assert.equal(page.status, 200, `GET / on ${port}`);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /web\/app\.js/);
      const script = await send(port, { method: 'GET', path: '/web/app.js' });
      assert.equal(script.status, 200);
      assert.match(String(script.headers['content-type']), /^text\/javascript/);
      assert.ok(script.body.length > 10_000, 'the bundle');
    }
    tmux('send-keys', '-t', session, 'q');
    await waitFor('the exit', () => (tmux('capture-pane', '-p', '-t', session).includes('EXITED 0') ? true : null));
    await assert.rejects(send(ports[0] as number, { method: 'GET', path: '/' }), 'closed with the TUI');
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
