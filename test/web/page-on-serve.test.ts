import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Cluster } from '../../src/cluster/index.js';
import { serveCommand, type StopSignal } from '../../src/cli/commands/serve.js';
import { browserSkipReason, buildWebOnce, consoleErrors, launchChromium } from '../helpers/browser.js';
import { captureIo } from '../helpers/io.js';

const skip = browserSkipReason();

/** Running tasks per app name, from the cluster's own projection. */
function runningByApp(cluster: Cluster): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of cluster.state().tasks.values()) if (t.state === 'TASK_RUNNING') out.set(t.name, (out.get(t.name) ?? 0) + 1);
  return out;
}

describe('the browser view on faultline serve', { skip }, () => {
  let browser: Browser;
  let page: Page;
  let base: string;
  let cluster: Cluster;
  let errors: string[];
  let stop: (signal: StopSignal) => void;
  let served: Promise<number>;

  before(async () => {
    buildWebOnce();
    const until = new Promise<StopSignal>((resolve) => (stop = resolve));
    const ready = new Promise<void>((resolve, reject) => {
      served = serveCommand(
        { agents: 6, masters: 1, seed: '7', speed: 2, timing: 'fast', listen: '127.0.0.1:0', heartbeatInterval: '1s' },
        captureIo().io,
        {
          until,
          onServing: (api, c) => {
            cluster = c;
            base = `http://${api.masters[0]?.address.ip}:${api.masters[0]?.address.port}/`;
            resolve();
          },
        },
      );
      served.then((code) => reject(new Error(`serve ended early with ${code}`)), reject);
    });
    await ready;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    errors = consoleErrors(page);
  });
  after(async () => {
    await browser?.close();
    stop?.('SIGTERM');
    await served;
  });

  it('serves the page and its bundle at GET /', async () => {
    const html = await fetch(base);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await html.text(), /<script type="module" src="\/web\/app.js">/);
    const js = await fetch(`${base}web/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.equal((await fetch(`${base}web/../package.json`)).status, 404);
  });

  it('shows the agents, live', async () => {
    await page.goto(`${base}#/agents`);
    await page.getByTestId('connection').getByText('live').waitFor();
    for (let i = 1; i <= 6; i++) await page.getByRole('cell', { name: `agent-${i}`, exact: true }).waitFor();
    await page.waitForFunction(`document.querySelectorAll('.vt-row .badge.tone-good').length === 6`);
  });

  it('kills an agent from the page (confirmed) and sees its tasks come back on the chart and in the table', async () => {
    // The agent running the most service tasks, and how many of each service run now.
    const before = runningByApp(cluster);
    const perHost = new Map<string, number>();
    const agentsById = cluster.state().agents;
    for (const t of cluster.state().tasks.values()) {
      if (t.state !== 'TASK_RUNNING' || t.name === 'etl') continue;
      const host = agentsById.get(t.agentId)?.host ?? '';
      perHost.set(host, (perHost.get(host) ?? 0) + 1);
    }
    const [victim, lost] = [...perHost.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    assert.ok(lost > 0, 'an agent runs service tasks');

    await page.getByRole('button', { name: `Kill agent ${victim}`, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Kill agent ${victim}?`).waitFor();
    await dialog.getByRole('button', { name: 'Yes, inject it' }).click();
    await page.getByRole('alert').getByText(/Injected: /).waitFor();
    // The agent's state is told in words once the cluster sees it gone.
    const row = page.locator('.vt-row', { has: page.getByRole('cell', { name: victim, exact: true }) });
    await row.locator('.badge').filter({ hasNotText: 'active' }).waitFor({ timeout: 15_000 });

    // The table: each service runs as many tasks as before, none of them on the dead agent.
    await page.goto(`${base}#/tasks`);
    await page.getByRole('button', { name: /^running \d+$/ }).click();
    for (const app of ['web', 'api']) {
      await page.getByRole('searchbox').fill(`${app}.`);
      // Page-side expressions are strings: the test's typecheck has no DOM types.
      const want = before.get(app) ?? 0;
      await page.waitForFunction(
        `(() => {
          const heading = document.querySelector('#tasks-title')?.textContent ?? '';
          const agents = [...document.querySelectorAll('.vt-row .vt-cell:nth-child(4)')].map((c) => c.textContent);
          return heading.startsWith('Tasks ${want} of') && agents.length === ${want} && !agents.includes(${JSON.stringify(victim)});
        })()`,
        undefined,
        { timeout: 30_000 },
      );
    }

    // The chart: the fault is marked on it and the running count is back.
    await page.goto(`${base}#/`);
    const services = (before.get('web') ?? 0) + (before.get('api') ?? 0);
    await page.waitForFunction(
      `(() => {
        const chart = document.querySelector('[data-testid="running-chart"]');
        return Number(chart?.getAttribute('data-faults')) >= 1 && Number(chart?.getAttribute('data-running')) >= ${services};
      })()`,
      undefined,
      { timeout: 10_000 },
    );
    assert.match((await page.locator('.fault-list').textContent()) ?? '', new RegExp(victim));

    // Events tells the fault.
    await page.goto(`${base}#/events`);
    await page.getByRole('button', { name: 'fault', exact: true }).click();
    await page.getByText(`fault (from this page): `, { exact: false }).first().waitFor();
    assert.match((await page.getByText('fault (from this page): ').first().textContent()) ?? '', new RegExp(victim));
  });

  it('opens a task page with its status history', async () => {
    await page.goto(`${base}#/tasks`);
    await page.getByRole('searchbox').fill('');
    const first = page.locator('.vt-row a').first();
    const id = (await first.textContent()) ?? '';
    await first.click();
    await page.getByRole('heading', { name: new RegExp(`Task ${id.replace(/\./g, '\\.')}`) }).waitFor();
    assert.ok((await page.getByRole('table', { name: /Status history/ }).locator('tbody tr').count()) >= 1);
    assert.equal(new URL(page.url()).hash, `#/tasks/${encodeURIComponent(id)}`);
  });

  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    it(`screenshots the overview at ${width}x${height}, laid out without sideways scrolling`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(`${base}#/`);
      await page.getByTestId('connection').getByText('live').waitFor();
      await page.getByRole('heading', { name: 'Running tasks over time' }).waitFor();
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the ${width} px window`);
      const dir = resolve(import.meta.dirname, '../../test-output/web');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `overview-${width}x${height}.png`);
      await page.screenshot({ path });
      const png = readFileSync(path);
      // The PNG header's IHDR holds the width and height (big-endian) at bytes 16..23.
      assert.equal(png.readUInt32BE(16), width);
      assert.equal(png.readUInt32BE(20), height);
      process.stdout.write(`screenshot: ${path}\n`);
    });
  }

  it('logged no console errors', () => {
    assert.deepEqual(errors, []);
  });
});
