import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serveCommand, type StopSignal } from '../../src/cli/commands/serve.js';
import { runCli, captureIo } from '../helpers/io.js';
import { send } from '../helpers/mesos-http.js';
import type { ServedApi } from '../../src/live/http/server.js';

const FLAGS = { agents: 2, masters: 3, seed: '5', speed: 1, timing: 'fast' as const, listen: '127.0.0.1:0', heartbeatInterval: '1s' };

function stopper(): { until: Promise<StopSignal>; stop(signal: StopSignal): void } {
  let stop: (signal: StopSignal) => void = () => {};
  const until = new Promise<StopSignal>((resolve) => (stop = resolve));
  return { until, stop };
}

describe('faultline serve', () => {
  for (const [listen, match] of [
    ['nonsense', /--listen: "nonsense" has no port number/],
    ['example.com:5050', /IPv4 host/],
    ['127.0.0.1:70000', /above 65535/],
    ['127.0.0.1:65535', /3 masters need ports 65535-65537/],
  ] as const) {
    it(`bad --listen ${listen}: one line, exit 64`, async () => {
      const { code, err } = await runCli('serve', '--listen', listen);
      assert.equal(code, 64);
      assert.match(err, match);
      assert.equal(err.trim().split('\n').length, 1);
    });
  }

  it('faultline up --listen: a bad address, --once, or --scenario is one line and exit 64', async () => {
    for (const [args, match] of [
      [['up', '--listen', 'nope'], /--listen: "nope" has no port number/],
      [['up', '--once', '--listen', '127.0.0.1:0'], /--listen: serves only with the TUI/],
      [['up', '--scenario', 'x.yaml', '--listen', '127.0.0.1:0'], /use faultline serve --scenario/],
    ] as const) {
      const { code, err } = await runCli(...args);
      assert.equal(code, 64, err);
      assert.match(err, match);
      assert.equal(err.trim().split('\n').length, 1);
    }
  });

  it('bad --heartbeat-interval: exit 64', async () => {
    const { code, err } = await runCli('serve', '--heartbeat-interval', '0s');
    assert.equal(code, 64);
    assert.match(err, /--heartbeat-interval/);
  });

  for (const [signal, exit] of [
    ['SIGINT', 130],
    ['SIGTERM', 0],
  ] as const) {
    it(`prints each master's address, serves, and on ${signal} exits ${exit} with the servers closed`, async () => {
      const c = captureIo();
      const s = stopper();
      let api: ServedApi | null = null;
      const done = serveCommand(FLAGS, c.io, { until: s.until, onServing: (served) => (api = served) });
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (api) {
            clearInterval(poll);
            resolve();
          }
        }, 10);
      });
      const served = api as unknown as ServedApi;
      // The master lines come first; the browser view's line may follow them.
      const lines = c.stdout().trim().split('\n').filter((line) => !line.startsWith('browser view: '));
      assert.equal(lines.length, 3);
      served.masters.forEach((m, i) => assert.equal(lines[i], `master-${i + 1} listening on http://127.0.0.1:${m.address.port}`));
      const port = served.masters[0]?.address.port as number;
      assert.equal((await send(port, { method: 'GET', path: '/master/health' })).status, 200);
      s.stop(signal);
      assert.equal(await done, exit);
      assert.equal(c.stderr(), '', 'quietly');
      await assert.rejects(send(port, { method: 'GET', path: '/master/health' }), 'closed');
    });
  }

  it('a port in use: one line, exit 64', async () => {
    const c1 = captureIo();
    const s1 = stopper();
    let api: ServedApi | null = null;
    const first = serveCommand({ ...FLAGS, masters: 1 }, c1.io, { until: s1.until, onServing: (served) => (api = served) });
    try {
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (api) {
            clearInterval(poll);
            resolve();
          }
        }, 10);
      });
      const port = (api as unknown as ServedApi).masters[0]?.address.port as number;
      const c2 = captureIo();
      const code = await serveCommand({ ...FLAGS, masters: 1, listen: `127.0.0.1:${port}` }, c2.io, { until: new Promise(() => {}) });
      assert.equal(code, 64);
      assert.match(c2.stderr(), /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
    } finally {
      s1.stop('SIGTERM');
      await first;
    }
  });

  it('--scenario: serves the scenario cluster, runs its method paced, prints the verdict, keeps serving', { timeout: 60_000 }, async () => {
    const c = captureIo();
    const s = stopper();
    let api: ServedApi | null = null;
    const done = serveCommand({ ...FLAGS, masters: 1, speed: 20, scenario: 'test/fixtures/scenarios/valid/minimal.yaml' }, c.io, { until: s.until, onServing: (served) => (api = served) });
    const deadline = Date.now() + 50_000;
    while (!/: (pass|PASS|passed)/i.test(c.stdout()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(api, 'served');
    assert.match(c.stdout(), /listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(c.stdout(), /pass/i);
    const port = (api as unknown as ServedApi).masters[0]?.address.port as number;
    assert.equal((await send(port, { method: 'GET', path: '/master/health' })).status, 200, 'still serving after the run');
    s.stop('SIGINT');
    assert.equal(await done, 130);
  });
});
