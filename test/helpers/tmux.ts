/**
 * A tmux server of its own for an end-to-end test of the real binary
 * (tmux is installed by .ci/run): run tmux commands, read the visible pane,
 * wait for the screen to show something. One server per test (`-L`): a server
 * just killed may still hold its socket, so a second test takes a new name.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

/** One tmux server and its one session. */
export class TmuxPane {
  constructor(
    readonly socket: string,
    readonly session: string,
  ) {}

  /** Runs a tmux command on this server; its stdout. */
  run(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The visible pane, one string (capture-pane ends every line, the last too, with a newline). */
  screen(): string {
    return this.run('capture-pane', '-p', '-t', this.session).replace(/\n$/, '');
  }

  /** Polls the screen every 200 ms until `predicate` holds; fails with the last screen after `timeoutMs`. */
  async waitFor(what: string, predicate: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (predicate(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`timed out waiting for ${what}; the screen was:\n${last}`);
  }

  /** Sends keys to the session. */
  keys(...keys: string[]): void {
    this.run('send-keys', '-t', this.session, ...keys);
  }

  /**
   * In the Agents view: sorts by tasks, descending (s / S until the status line says so), selects
   * the first row and asks to kill it (K), confirms (y); the agent id the confirmation named.
   */
  async killBusiestAgent(): Promise<string> {
    for (let i = 0; i < 10 && !/sort TASKS desc/i.test(this.screen()); i += 1) {
      this.keys(/sort TASKS asc/i.test(this.screen()) ? 'S' : 's');
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.waitFor('sorted by tasks', (s) => /sort TASKS desc/i.test(s));
    this.keys('g', 'K');
    const ask = await this.waitFor('the confirmation', (s) => /kill agent agent-\d+/.test(s) && s.includes('[y/n]'));
    const victim = /kill agent (agent-\d+)/.exec(ask)?.[1];
    assert.ok(victim, 'the confirmation names the agent');
    this.keys('y');
    return victim;
  }

  /** Stops the server and everything in it; quiet when it is already gone. */
  kill(): void {
    try {
      this.run('kill-server');
    } catch {
      // already gone
    }
  }
}

/** The number of RUNNING tasks the Overview reports (`Tasks      42 RUNNING, ...`), or -1. */
export function runningOf(text: string): number {
  const m = /^Tasks\s+(\d+) RUNNING/m.exec(text);
  return m ? Number(m[1]) : -1;
}
