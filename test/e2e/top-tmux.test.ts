/**
 * End to end: the real `faultline top --master` in tmux against a real
 * `faultline serve` process (chaos allowed). Attached through master-2, it
 * finds the leader, renders agents and tasks, K kills an agent through
 * FAULTLINE_INJECT_FAULT, its tasks come back elsewhere, and q restores the
 * screen. Needs the build (npm test builds first). Every process is stopped
 * in the finally blocks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TmuxPane, runningOf } from '../helpers/tmux.js';

const root = resolve(import.meta.dirname, '..', '..');
const pane = new TmuxPane(`faultline-top-e2e-${process.pid}`, 'top');
const session = 'top';
const tmux = (...args: string[]): string => pane.run(...args);
const screen = (): string => pane.screen();
const waitFor = (what: string, predicate: (text: string) => boolean, timeoutMs?: number): Promise<string> => pane.waitFor(what, predicate, timeoutMs);

/** Starts `faultline serve` on free ports; resolves with the process and its masters' ports. */
async function startServe(): Promise<{ child: ChildProcess; ports: number[] }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'faultline'), 'serve', '--listen', '127.0.0.1:0', '--agents', '8', '--masters', '2', '--seed', '11', '--speed', '4', '--heartbeat-interval', '1s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const ports = [...out.matchAll(/master-\d listening on http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    if (ports.length === 2) return { child, ports };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  assert.fail(`faultline serve did not start:\n${out}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

test('faultline top --master in tmux against faultline serve: agents, tasks, K kills an agent, tasks come back, q restores', { timeout: 150_000 }, async () => {
  assert.ok(existsSync(join(root, 'dist', 'cli', 'main.js')), 'build first (npm test does)');
  const serve = await startServe();
  try {
    // Which master leads depends on the seed's election: ask, and attach through the other one.
    // Until the first election the masters answer 503 (no leader yet), a while on a loaded machine.
    let leaderPort = Number.NaN;
    for (const deadline = Date.now() + 30_000; Number.isNaN(leaderPort) && Date.now() < deadline; ) {
      const answer = await fetch(`http://127.0.0.1:${serve.ports[0]}/master/redirect`, { redirect: 'manual' });
      leaderPort = Number(/:(\d+)$/.exec(answer.headers.get('location') ?? '')?.[1]);
      if (Number.isNaN(leaderPort)) await new Promise((r) => setTimeout(r, 200));
    }
    const standbyPort = serve.ports.find((p) => p !== leaderPort);
    assert.ok(serve.ports.includes(leaderPort) && standbyPort !== undefined, `leader ${leaderPort} of ${serve.ports.join(', ')}`);
    tmux('new-session', '-d', '-s', session, '-x', '110', '-y', '32', `cd ${root} && node bin/faultline top --master 127.0.0.1:${standbyPort}; echo EXITED $?; sleep 600`);
    try {
      // Attached through the standby, on screen is the leader (found with /master/redirect).
      await waitFor('the first frame, on the leader', (s) => s.includes(`top 127.0.0.1:${leaderPort}`) && s.includes('Overview'));
      assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on}').trim(), '1', 'full screen');
      assert.doesNotMatch(screen(), /read-only/, 'faultline serve allows chaos');
      await waitFor('steady state', (s) => runningOf(s) === 42, 40_000);

      tmux('send-keys', '-t', session, '4');
      await waitFor('the Tasks view', (s) => /Tasks \d+\/\d+/.test(s) && s.includes('RUNNING'));
      tmux('send-keys', '-t', session, '2');
      await waitFor('the Agents view', (s) => /Agents 8\/8/.test(s) && s.includes('registered'));
      const victim = await pane.killBusiestAgent();
      await waitFor('the fault sent through FAULTLINE_INJECT_FAULT', (s) => /sent kill-agent agent-\d+ to 127\.0\.0\.1:\d+ \(FAULTLINE_INJECT_FAULT\)/.test(s));
      await waitFor('the agent down (FAULTLINE_GET_INFO tells the truth)', (s) => new RegExp(`${victim}\\s+(registered|unreachable)\\s+down`).test(s));

      tmux('send-keys', '-t', session, '1');
      const lost = await waitFor('its tasks reported lost', (s) => /UNREACHABLE|LOST/.test(s) && s.includes(`kill-agent ${victim}`));
      assert.match(lost, new RegExp(`kill-agent ${victim}`), 'the fault is listed');
      await waitFor('every task running again elsewhere', (s) => runningOf(s) === 42 && /UNREACHABLE|LOST/.test(s), 60_000);

      tmux('send-keys', '-t', session, 'q');
      const after = await waitFor('the exit', (s) => s.includes('EXITED'));
      assert.match(after, /EXITED 0/);
      assert.match(after, new RegExp(`faultline: top: detached from 127\\.0\\.0\\.1:${leaderPort}`));
      assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on}').trim(), '0', 'the alternate screen is off');
    } finally {
      pane.kill();
    }
  } finally {
    await stop(serve.child);
  }
});
