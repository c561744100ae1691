import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, buildWebOnce, consoleErrors, launchChromium } from '../helpers/browser.js';
import { startMesosOperatorFixture, type MesosOperatorFixture } from '../helpers/mesos-operator-fixture.js';

describe('the browser view against a recorded Mesos operator stream', { skip: browserSkipReason() }, () => {
  let fixture: MesosOperatorFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  before(async () => {
    buildWebOnce();
    fixture = await startMesosOperatorFixture();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    errors = consoleErrors(page);
  });
  after(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it('renders the agents of the snapshot, read-only because the master is not faultline', async () => {
    await page.goto(`${fixture.url}#/agents`);
    await page.getByTestId('connection').getByText('live').waitFor();
    for (const host of fixture.hosts) await page.getByRole('cell', { name: host, exact: true }).waitFor();
    await page.getByRole('note').getByText(/read-only: this master is not faultline/).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Kill agent/ }).count(), 0);
  });

  it('renders the tasks and follows TASK_ADDED and TASK_UPDATED live', async () => {
    await page.goto(`${fixture.url}#/tasks`);
    await page.getByRole('link', { name: 'nginx.1a2b' }).waitFor();
    assert.ok(fixture.next()); // TASK_ADDED redis, staging
    const redisRow = page.locator('.vt-row', { has: page.getByRole('link', { name: 'redis.3c4d' }) });
    await redisRow.getByText('staging', { exact: true }).waitFor();
    assert.ok(fixture.next()); // starting
    assert.ok(fixture.next()); // running
    await redisRow.getByText('running', { exact: true }).waitFor();
    assert.equal(await redisRow.locator('.vt-cell').nth(3).textContent(), 'mesos-agent-b.example');
  });

  it('shows the task page with its history and the agent’s stdout and stderr links', async () => {
    await page.goto(`${fixture.url}#/tasks/redis.3c4d`);
    const history = page.getByRole('table', { name: /Status history/ });
    await history.locator('tbody tr').nth(1).waitFor();
    assert.deepEqual(await history.locator('tbody tr td:nth-child(2)').allTextContents(), ['starting', 'running']);
    const stdout = await page.getByRole('link', { name: 'stdout' }).getAttribute('href');
    assert.equal(stdout, `http://10.0.0.12:5051/files/read?path=${encodeURIComponent('/frameworks/9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f-0000/executors/redis.3c4d/runs/latest/stdout')}&offset=0&length=65536`);
  });

  it('shows the polled offers and the leading master', async () => {
    await page.goto(`${fixture.url}#/offers`);
    await page.getByRole('cell', { name: 'mesos-agent-b.example' }).waitFor({ timeout: 10_000 });
    await page.goto(`${fixture.url}#/`);
    await page.getByTestId('leader').getByText('mesos-master-1.example:5050').waitFor();
  });

  it('logged no console errors', () => {
    // The extension probe's 400 is how the page tells Mesos from faultline; Chromium logs failed loads as errors.
    assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
  });
});
