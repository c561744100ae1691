/**
 * Headless Chromium for the browser view's tests: Debian's /usr/bin/chromium
 * driven by playwright-core (no browser download here). Off CI a machine
 * without it skips with a reason; in CI (.ci/run installs it) a missing browser
 * fails the test. Also builds the page (esbuild, well under a second) so a
 * `--no-checks` run never tests a stale bundle, and collects console errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian puts Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why browser tests skip here, or false when they run (always in CI). */
export function browserSkipReason(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  if (process.env.CI) return false; // CI installs it: fail loudly instead of skipping
  return `no ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y chromium) to run the browser tests`;
}

let built = false;

/** Builds dist/web once per test process. */
export function buildWebOnce(): void {
  if (built) return;
  const root = resolve(import.meta.dirname, '../..');
  const run = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm run build (web) failed: ${run.stderr}`);
  built = true;
}

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Records the page's console errors and uncaught exceptions. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}
