/**
 * The browser view on a real `faultline master` process: GET / answers the
 * page and /web/app.js its bundle on the master's own port, and the page, in
 * headless Chromium, lists the live agents (registered, both up). Every
 * process is stopped in the after hook, also on failure.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { after, before, describe, it } from 'node:test';
import { browserSkipReason, buildWebOnce, consoleErrors, launchChromium } from '../../helpers/browser.js';
import { getJson, LiveDaemons, until } from '../../helpers/live-daemons.js';

const daemons = new LiveDaemons();
let browser: Browser | null = null;
let base = '';
let masterPort = 0;

before(async () => {
  buildWebOnce();
  const master = await daemons.master();
  masterPort = master.port;
  base = `http://${master.address}/`;
  await daemons.agent(master.address);
  await daemons.agent(master.address);
  await until('2 agents registered', async () => ((await getJson(master.port, '/master/state')) as { slaves: unknown[] }).slaves.length === 2);
});
after(async () => {
  await browser?.close();
  await daemons.stopAll();
});

it('serves the browser view at GET / and its bundle at /web/app.js', async () => {
  const html = await fetch(base);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await html.text(), /<script type="module" src="\/web\/app.js">/);
  const js = await fetch(`${base}web/app.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
  assert.ok((await js.text()).length > 10_000, 'the bundle');
});

describe('the page in a browser', { skip: browserSkipReason() }, () => {
  it('lists the live master\'s agents', async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = consoleErrors(page);
    const state = (await getJson(masterPort, '/master/state')) as { slaves: Array<{ id: string }> };
    await page.goto(`${base}#/agents`);
    await page.getByTestId('connection').getByText('live').waitFor();
    for (const agent of state.slaves) await page.getByText(agent.id, { exact: true }).first().waitFor();
    await page.waitForFunction(`document.querySelectorAll('.vt-row .badge.tone-good').length === 2`);
    assert.deepEqual(errors, []);
  });
});
