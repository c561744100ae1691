/**
 * TUI figures (issue 5), measured on real processes in tmux (a private
 * server, `-L`, at a fixed 120x40):
 *
 * - `tui-cpu-10k-pct`: CPU of the TUI process minus CPU of the same simulation
 *   without the TUI, in % of one core, from /proc/<pid>/stat over a window in
 *   steady churn; the workload and the two modes are bench/tui-workload.ts
 *   (10,000 churning tasks, the store refreshed at 4 Hz, the Tasks view shown).
 *   Runs alternate bare / TUI; the figure is the difference of the medians.
 * - `tui-first-frame-ms` and `tui-interactive-ms`: the built binary (the CLI bundle) (`node bin/faultline --seed 7`, the
 *   demo cluster), from spawning the process in a tmux pane to its first frame
 *   on screen (the header and the Overview), median of several launches. The
 *   first frame is painted before Ink loads (src/tui/first-paint.ts), so a key
 *   pressed as soon as it shows is handled once Ink is up: that key's latency
 *   (a view switch) and first frame + it (the time to interactive) are logged
 *   beside it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bench } from './types.js';

const ROOT = resolve(import.meta.dirname, '..');
const SOCKET = `faultline-bench-${process.pid}`;
const SESSION = 'bench';
const COLUMNS = 120;
const ROWS = 40;
/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Polls the screen until `predicate` holds; returns the ms it took from `startMs` (performance.now()). */
async function waitForScreen(what: string, predicate: (text: string) => boolean, startMs: number, timeoutMs = 30_000): Promise<number> {
  let last = '';
  while (performance.now() - startMs < timeoutMs) {
    last = screen();
    if (predicate(last)) return performance.now() - startMs;
    await sleep(2);
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
}

/** A tmux server with one idle pane, torn down by `close`. */
function openTmux(): { close(): void } {
  tmux('new-session', '-d', '-s', SESSION, '-x', String(COLUMNS), '-y', String(ROWS), '-c', ROOT, 'sleep 100000');
  return {
    close: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}

/** Starts `command` in the pane, replacing what ran there; `exec` makes the pane's pid the command's. */
function respawn(command: string): number {
  tmux('respawn-pane', '-k', '-t', SESSION, '-c', ROOT, `exec ${command}`);
  return Number(tmux('display', '-p', '-t', SESSION, '#{pane_pid}').trim());
}

/** utime + stime of a process (all its threads), in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** Builds dist/ when a source file is newer than the built CLI. */
function ensureBuilt(): void {
  // The launcher runs the bundle (dist/bundle, scripts/build-cli.mjs) when there is one.
  const built = join(ROOT, 'dist', 'bundle', 'main.js');
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, 'src'))) return;
  log('  dist/ is older than src/: npm run build');
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (!existsSync(built)) throw new Error(`npm run build did not produce dist/bundle/main.js (exit ${result.status})`);
  if (result.status !== 0) log(`  npm run build exited ${result.status} (type errors elsewhere?); measuring the files it emitted`);
}

const WARMUP_MS = 30_000;
const WINDOW_MS = 20_000;
const REPEATS = 3;
const WORKLOAD = 'node --import tsx bench/tui-workload.ts';

/** One run: start, warm up, CPU % of one core over the window; in TUI mode also the view-switch latency. */
async function cpuRun(mode: 'tui' | 'bare', refreshMs: number): Promise<{ pct: number; keyMs: number[] }> {
  const started = performance.now();
  const pid = respawn(`${WORKLOAD} ${mode} --refresh-ms ${refreshMs}`);
  if (mode === 'tui') {
    await waitForScreen('the first frame', (s) => s.includes('seed 10000') && s.includes('Overview'), started);
    tmux('send-keys', '-t', SESSION, '4'); // the Tasks view: 10,000+ rows to sort and window
  }
  await sleep(Math.max(0, WARMUP_MS - (performance.now() - started)));
  const cpuStart = cpuSeconds(pid);
  const wallStart = performance.now();
  await sleep(WINDOW_MS);
  const pct = ((cpuSeconds(pid) - cpuStart) / ((performance.now() - wallStart) / 1000)) * 100;
  const keyMs: number[] = [];
  if (mode === 'tui') {
    if (!/\[4 Tasks\]/.test(screen())) throw new Error(`the TUI is not on the Tasks view:\n${screen()}`);
    for (let i = 0; i < 6; i += 1) {
      const [key, marker] = i % 2 === 0 ? ['1', '[1 Overview]'] : ['4', '[4 Tasks]'];
      const pressed = performance.now();
      tmux('send-keys', '-t', SESSION, key);
      keyMs.push(await waitForScreen(`the view after ${key}`, (s) => s.includes(marker), pressed, 5_000));
    }
  }
  return { pct, keyMs };
}

async function measureCpu(): Promise<number> {
  const tmuxServer = openTmux();
  try {
    const bare: number[] = [];
    const tui: number[] = [];
    const keys: number[] = [];
    for (let i = 0; i < REPEATS; i += 1) {
      const b = await cpuRun('bare', 250);
      bare.push(b.pct);
      const t = await cpuRun('tui', 250);
      tui.push(t.pct);
      keys.push(...t.keyMs);
      log(`  run ${i + 1}: bare ${b.pct.toFixed(1)}%, TUI ${t.pct.toFixed(1)}% of one core; view switch ${t.keyMs.map((ms) => Math.round(ms)).join(', ')} ms`);
    }
    const result = median(tui) - median(bare);
    log(`  4 Hz refresh, Tasks view: median TUI ${median(tui).toFixed(1)}% - median bare ${median(bare).toFixed(1)}% = ${result.toFixed(1)}% of one core; key press to screen median ${Math.round(median(keys))} ms, max ${Math.round(Math.max(...keys))} ms`);
    // For the record: the TUI's default refresh (100 ms, 10 Hz), one run.
    const t10 = await cpuRun('tui', 100);
    log(`  10 Hz refresh (the default), Tasks view, one run: TUI ${t10.pct.toFixed(1)}% (${(t10.pct - median(bare)).toFixed(1)}% over the bare median)`);
    return result;
  } finally {
    tmuxServer.close();
  }
}

async function measureFirstFrame(): Promise<number> {
  return (await measureLaunches()).firstFrameMs;
}

async function measureInteractive(): Promise<number> {
  return (await measureLaunches()).interactiveMs;
}

/** Launches in tmux: to the first frame, and to the first key acted on (the time to interactive). */
async function measureLaunches(): Promise<{ firstFrameMs: number; interactiveMs: number }> {
  ensureBuilt();
  const tmuxServer = openTmux();
  try {
    const frames: number[] = [];
    const keys: number[] = [];
    const interactive: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const started = performance.now();
      respawn('node bin/faultline --seed 7');
      frames.push(await waitForScreen('the first frame', (s) => s.includes('seed 7') && s.includes('Overview'), started));
      const pressed = performance.now();
      tmux('send-keys', '-t', SESSION, '4');
      keys.push(await waitForScreen('the Tasks view', (s) => s.includes('[4 Tasks]'), pressed, 5_000));
      interactive.push(performance.now() - started);
    }
    const sorted = [...frames].sort((a, b) => a - b);
    log(
      `  first frame of node bin/faultline --seed 7 (demo cluster, ${COLUMNS}x${ROWS}): ${frames.map((ms) => Math.round(ms)).join(', ')} ms; ` +
        `min ${Math.round(sorted[0] as number)}, median ${Math.round(median(frames))}, max ${Math.round(sorted[sorted.length - 1] as number)}; ` +
        `key 4 pressed as soon as it shows, to the Tasks view on screen (handled once Ink has loaded): median ${Math.round(median(keys))} ms, max ${Math.round(Math.max(...keys))} ms; ` +
        `launch to that view (the time to interactive): median ${Math.round(median(interactive))} ms (screen polled every ~5 ms)`,
    );
    return { firstFrameMs: median(frames), interactiveMs: median(interactive) };
  } finally {
    tmuxServer.close();
  }
}

/** The TUI figures. */
export const benches: Bench[] = [
  {
    name: 'tui-cpu-10k-pct',
    unit: '%',
    anchor: 'k9s stalls near 7k pods',
    goal: '<= 5% of a core over the bare core',
    goalCheck: (value) => value <= 5,
    run: measureCpu,
  },
  {
    name: 'tui-first-frame-ms',
    unit: 'ms',
    anchor: 'issue 5: first frame <= 1 s',
    goal: '<= 1,000 ms',
    goalCheck: (value) => value <= 1_000,
    run: measureFirstFrame,
  },
  {
    // Launch to the first key acted on: key 4 sent as soon as the first frame shows, until the Tasks view is on screen.
    name: 'tui-interactive-ms',
    unit: 'ms',
    anchor: 'issue 16: ~1.1 s before the CLI bundle',
    goal: '<= 400 ms',
    goalCheck: (value) => value <= 400,
    run: measureInteractive,
  },
];
