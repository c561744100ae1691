/**
 * `faultline top`'s screens (ink-testing-library) over the live feed attached
 * to the recorded Mesos operator stream: agents and tasks visible, events
 * followed live, and read-only with the reason because the master is Mesos.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/app.js';
import { createTuiSession, type TuiSession } from '../../src/tui/session.js';
import { createTopFeed, type TopFeed } from '../../src/cli/top-feed.js';
import { parseOperatorMaster, probeMaster } from '../../src/live/operator-client/index.js';
import { startMesosOperatorFixture, type MesosOperatorFixture } from '../helpers/mesos-operator-fixture.js';
import { settle } from './harness.js';

async function until(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('faultline top on a Mesos master (TUI)', () => {
  let fixture: MesosOperatorFixture;
  let feed: TopFeed;
  let session: TuiSession;
  let app: ReturnType<typeof render>;
  before(async () => {
    fixture = await startMesosOperatorFixture();
    const endpoint = parseOperatorMaster(`127.0.0.1:${fixture.port}`);
    assert.ok(endpoint.ok);
    const probed = await probeMaster(endpoint.value, 5000);
    assert.ok(probed.ok);
    feed = createTopFeed({ endpoint: probed.value.endpoint, master: probed.value.master, now: () => Date.now(), pollBaseMs: 100 });
    feed.start();
    await feed.ready;
    session = createTuiSession({ feed, readonly: feed.readonlyReason !== null, readonlyReason: feed.readonlyReason, title: feed.title, noColor: true, size: { columns: 100, rows: 24 }, refreshMs: 0 });
    app = render(<App session={session} onQuit={() => {}} />);
    await settle();
  });
  after(async () => {
    app?.unmount();
    session?.dispose();
    feed?.stop();
    await fixture?.close();
  });
  const frame = (): string => app.lastFrame() ?? '';
  const press = async (keys: string): Promise<void> => {
    app.stdin.write(keys);
    await settle();
  };

  it('says it is read-only and why, in the header', () => {
    assert.match(frame().split('\n')[0] ?? '', /faultline {2}top 127\.0\.0\.1:\d+ .*read-only: a Mesos master/);
  });

  it('shows the agents of the snapshot', async () => {
    await press('2');
    // At 100 columns the host column is cut in the middle: its start is enough.
    for (const host of fixture.hosts) assert.ok(frame().includes(host.slice(0, 15)), frame());
    assert.match(frame(), /S0 .*registered/);
    assert.match(frame(), /Agents 2\/2/);
  });

  it('shows the tasks and follows TASK_ADDED and TASK_UPDATED', async () => {
    await press('4');
    assert.match(frame(), /nginx\.1a2b.*RUNNING/);
    while (fixture.next());
    await until('redis running on screen', () => {
      session.sync.flushNow();
      return /redis\.3c4d.*RUNNING/.test(frame());
    });
  });

  it('says the live clock cannot be paused or sped up', async () => {
    await press(' ');
    let lines = frame().split('\n');
    assert.match(lines[lines.length - 2] ?? '', /a live cluster cannot be paused/);
    await press('+');
    lines = frame().split('\n');
    assert.match(lines[lines.length - 2] ?? '', /a live cluster runs at its own pace/);
    assert.deepEqual(session.store.getState().clock, { paused: false, speed: 1 });
  });

  it('refuses the fault keys with the reason', async () => {
    await press('2');
    await press('K');
    const lines = frame().split('\n');
    assert.match(lines[lines.length - 2] ?? '', /read-only: K .* is off \(a Mesos master/);
    assert.equal(session.store.getState().confirm, null, 'no y/n prompt');
  });
});
