/**
 * Browser view figures (issue 15), in headless Chromium (Debian's, through
 * playwright-core) against bench/web-workload.ts's 5,000 agents and 50,000
 * tasks:
 *
 * - `web-first-paint-ms`: from navigation to the Overview showing every agent
 *   and task counted (GET_STATE parsed, the model built, React rendered),
 *   median of 3 fresh pages.
 * - `web-update-ms`: from a TASK_UPDATED written to the stream to its new state
 *   shown in the Tasks table's row (decode, batch, render), median of 15
 *   updates spaced apart, with the SUBSCRIBED snapshot of 50,000 tasks applied.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Bench } from './types.js';
import { AGENTS, startWebBenchServer, TASKS, taskId } from './web-workload.js';

const ROOT = resolve(import.meta.dirname, '..');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function buildWeb(): void {
  const run = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`web build failed: ${run.stderr}`);
}

async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

const painted = `(() => {
  const count = (label) => document.querySelector('[aria-label="' + label + '"] .count')?.textContent;
  return count('Agents by state') === '${AGENTS}' && count('Tasks by state') === '${TASKS}';
})()`;

async function measureFirstPaint(): Promise<number> {
  buildWeb();
  const server = await startWebBenchServer();
  try {
    return await withBrowser(async (browser) => {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        const start = performance.now();
        await page.goto(server.url);
        await page.waitForFunction(painted, undefined, { polling: 'raf', timeout: 60_000 });
        runs.push(performance.now() - start);
        log(`first paint ${i + 1}: ${runs[i]?.toFixed(0)} ms`);
        await page.close();
      }
      return Math.round(median(runs));
    });
  } finally {
    await server.close();
  }
}

async function measureUpdate(): Promise<number> {
  buildWeb();
  const server = await startWebBenchServer();
  try {
    return await withBrowser(async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${server.url}#/tasks`);
      await page.getByTestId('connection').getByText('live').waitFor({ timeout: 60_000 });
      await page.locator('.vt-row a', { hasText: taskId(0) }).waitFor();
      await page.waitForTimeout(1500); // let the SUBSCRIBED snapshot settle
      const runs: number[] = [];
      const states = ['TASK_FAILED', 'TASK_RUNNING'];
      for (let i = 0; i < 15; i++) {
        // The first rows in id order (app-0.000000, app-0.000020, ...) are on screen.
        const row = i % 5;
        const word = states[i % 2] === 'TASK_FAILED' ? 'failed' : 'running';
        const id = taskId(row * 20);
        const shown = `(() => [...document.querySelectorAll('.vt-row')].some((r) => r.querySelector('a')?.textContent === '${id}' && r.querySelector('.badge')?.textContent === '${word}'))()`;
        if (word === 'running') {
          // Make sure the row shows failed first (the previous update).
          await page.waitForFunction(`(() => [...document.querySelectorAll('.vt-row')].some((r) => r.querySelector('a')?.textContent === '${id}'))()`);
        }
        const start = performance.now();
        server.update(row * 20, states[i % 2] as string);
        await page.waitForFunction(shown, undefined, { polling: 'raf', timeout: 10_000 });
        runs.push(performance.now() - start);
        await page.waitForTimeout(250);
      }
      log(`updates: ${runs.map((r) => r.toFixed(0)).join(', ')} ms`);
      return Math.round(median(runs));
    });
  } finally {
    await server.close();
  }
}

/** The browser view's benches. */
export const benches: Bench[] = [
  { name: 'web-first-paint-ms', unit: 'ms', anchor: 'issue 15: <= 1 s at 5,000 agents / 50,000 tasks', goal: '<= 1,000 ms', goalCheck: (v) => v <= 1_000, run: measureFirstPaint },
  { name: 'web-update-ms', unit: 'ms', anchor: 'issue 15: a task update on screen <= 100 ms', goal: '<= 100 ms', goalCheck: (v) => v <= 100, run: measureUpdate },
];
