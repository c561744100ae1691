/**
 * The v1 scheduler client against the scripted fake master: subscription,
 * calls with the stream id, redirects, retries and backoff, and
 * resubscription when the stream goes silent or ends.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SchedulerClient,
  parseMasterAddress,
  resolveRedirect,
  type MasterEndpoint,
  type SchedulerClientOptions,
  type TimerHandle,
  type Timers,
  type V1Event,
} from '../../src/live/scheduler-client/index.js';
import { closedPort, startFakeMaster } from '../helpers/fake-mesos-master.js';

function endpointOf(address: string): MasterEndpoint {
  const parsed = parseMasterAddress(address);
  assert.ok(parsed.ok);
  return parsed.value;
}

/** A client whose events land in `events`; stopped when the test ends. */
function client(t: { after: (fn: () => void) => void }, address: string, extra: Partial<SchedulerClientOptions> = {}): { client: SchedulerClient; events: V1Event[]; notices: string[] } {
  const events: V1Event[] = [];
  const notices: string[] = [];
  const c = new SchedulerClient({
    master: endpointOf(address),
    subscribeCall: (id) => ({
      type: 'SUBSCRIBE',
      ...(id === undefined ? {} : { framework_id: { value: id } }),
      subscribe: { framework_info: { user: 'test', name: 'client-test', ...(id === undefined ? {} : { id: { value: id } }) } },
    }),
    onEvent: (e) => events.push(e),
    onNotice: (n) => notices.push(n),
    retryIntervalMs: 20,
    ...extra,
  });
  t.after(() => c.stop());
  c.start();
  return { client: c, events, notices };
}

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('master addresses and redirects', () => {
  const addresses: Array<[string, MasterEndpoint | RegExp]> = [
    ['127.0.0.1:5050', { host: '127.0.0.1', port: 5050, path: '/api/v1/scheduler' }],
    ['leader.mesos:5050', { host: 'leader.mesos', port: 5050, path: '/api/v1/scheduler' }],
    ['http://10.0.0.1:5050', { host: '10.0.0.1', port: 5050, path: '/api/v1/scheduler' }],
    ['http://10.0.0.1:5050/master/api/v1/scheduler', { host: '10.0.0.1', port: 5050, path: '/master/api/v1/scheduler' }],
    ['[::1]:5050', { host: '::1', port: 5050, path: '/api/v1/scheduler' }],
    ['127.0.0.1', /has no port/],
    ['', /empty/],
    ['zk://127.0.0.1:2181/mesos', /ZooKeeper/],
    ['https://127.0.0.1:5050', /not an http master address/],
    ['127.0.0.1:notaport', /not HOST:PORT/],
  ];
  for (const [text, expected] of addresses) {
    it(`parses ${JSON.stringify(text)}`, () => {
      const parsed = parseMasterAddress(text);
      if (expected instanceof RegExp) {
        assert.ok(!parsed.ok);
        assert.match(parsed.error.message, expected);
      } else {
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
        assert.deepEqual(parsed.value, expected);
      }
    });
  }

  const from: MasterEndpoint = { host: '127.0.0.1', port: 5050, path: '/api/v1/scheduler' };
  const redirects: Array<[string, MasterEndpoint | RegExp]> = [
    ['//127.0.0.2:5051/api/v1/scheduler', { host: '127.0.0.2', port: 5051, path: '/api/v1/scheduler' }],
    ['//leader:5050/master/api/v1/scheduler', { host: 'leader', port: 5050, path: '/master/api/v1/scheduler' }],
    ['http://127.0.0.3:6000/api/v1/scheduler', { host: '127.0.0.3', port: 6000, path: '/api/v1/scheduler' }],
    ['//leader/api/v1/scheduler', { host: 'leader', port: 80, path: '/api/v1/scheduler' }],
    ['/master/api/v1/scheduler', { host: '127.0.0.1', port: 5050, path: '/master/api/v1/scheduler' }],
    ['//[::1]:5050/api/v1/scheduler', { host: '::1', port: 5050, path: '/api/v1/scheduler' }],
    ['https://127.0.0.2:5050/api/v1/scheduler', /not an http master address/],
    ['http://[bad', /not a URL/],
  ];
  for (const [location, expected] of redirects) {
    it(`follows Location ${JSON.stringify(location)}`, () => {
      const target = resolveRedirect(from, location);
      if (expected instanceof RegExp) {
        assert.ok(!target.ok);
        assert.match(target.error.message, expected);
      } else {
        assert.ok(target.ok, target.ok ? '' : target.error.message);
        assert.deepEqual(target.value, expected);
      }
    });
  }
});

describe('SchedulerClient', () => {
  it('subscribes, then sends calls beside the stream with its Mesos-Stream-Id (202)', async (t) => {
    const master = await startFakeMaster();
    t.after(() => master.close());
    const { client: c, events } = client(t, master.address);
    const refused = await c.send({ type: 'REVIVE', framework_id: { value: 'x' } });
    assert.ok(!refused.ok, 'no call before SUBSCRIBED');
    await until('SUBSCRIBED', () => events.length > 0);
    assert.equal(events[0]?.type, 'SUBSCRIBED');
    assert.equal(c.frameworkId, `${master.masterId}-0000`);
    assert.equal(c.streamId, master.streams[0]?.streamId);
    const sent = await c.send({ type: 'REVIVE', framework_id: { value: c.frameworkId as string } });
    assert.ok(sent.ok, sent.ok ? '' : sent.error.message);
    assert.deepEqual(master.calls.map((call) => call.type), ['REVIVE']);
    assert.deepEqual(master.rejections, []);
  });

  it('reports a call the master refuses, with the status and the body', async (t) => {
    const master = await startFakeMaster();
    t.after(() => master.close());
    const { client: c, events } = client(t, master.address);
    await until('SUBSCRIBED', () => events.length > 0);
    const sent = await c.send({ type: 'REVIVE', framework_id: { value: 'someone-else' } });
    assert.ok(!sent.ok);
    assert.match(sent.error.message, /REVIVE to 127\.0\.0\.1:\d+ answered 400: Framework cannot be found/);
  });

  it('delivers events in order, including records the master writes back to back', async (t) => {
    const master = await startFakeMaster({
      onSubscribed: (stream) => {
        for (let i = 0; i < 50; i++) stream.send({ type: 'MESSAGE', message: { data: Buffer.from(`héllo ${i}`).toString('base64') } });
      },
    });
    t.after(() => master.close());
    const { events } = client(t, master.address);
    await until('51 events', () => events.length >= 51);
    assert.deepEqual(events.slice(1).map((e) => Buffer.from((e.message as { data: string }).data, 'base64').toString()), Array.from({ length: 50 }, (_, i) => `héllo ${i}`));
  });

  it('follows a 307 with an absolute http:// Location', async (t) => {
    const leader = await startFakeMaster();
    t.after(() => leader.close());
    const standby = await startFakeMaster({ answerSubscribe: () => ({ kind: 'redirect', location: `http://127.0.0.1:${leader.port}/master/api/v1/scheduler` }) });
    t.after(() => standby.close());
    const { client: c, events } = client(t, standby.address);
    await until('SUBSCRIBED', () => events.length > 0);
    assert.deepEqual(c.endpoint, { host: '127.0.0.1', port: leader.port, path: '/master/api/v1/scheduler' });
    assert.ok((await c.send({ type: 'SUPPRESS', framework_id: { value: c.frameworkId as string } })).ok);
    assert.equal(leader.calls.length, 1);
    assert.equal(standby.calls.length, 0);
  });

  it('backs off when redirected in a loop, then keeps trying', async (t) => {
    let port = 0;
    const loop = await startFakeMaster({ answerSubscribe: () => ({ kind: 'redirect', location: `//127.0.0.1:${port}/api/v1/scheduler` }) });
    port = loop.port;
    t.after(() => loop.close());
    const { notices } = client(t, loop.address, { maxRedirects: 3, retryIntervalMs: 10_000 });
    await until('4 redirects', () => loop.subscribes.length >= 4);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(loop.subscribes.length, 4, 'after maxRedirects the client waits out its backoff instead of spinning');
    assert.ok(notices.every((n) => n.includes('redirected to')));
  });

  it('retries 503s until the master has a leader', async (t) => {
    const master = await startFakeMaster({ answerSubscribe: (n) => (n <= 3 ? { kind: 'unavailable' } : { kind: 'accept' }) });
    t.after(() => master.close());
    const { events, notices } = client(t, master.address);
    await until('SUBSCRIBED', () => events.length > 0);
    assert.equal(master.subscribes.length, 4);
    assert.equal(notices.filter((n) => n.includes('503')).length, 3);
    assert.match(notices[0] ?? '', /503 \(no leader, or it is recovering\): No leader elected/);
  });

  it('resubscribes, as the same framework, when the stream goes silent for several heartbeats', async (t) => {
    const master = await startFakeMaster({ heartbeatIntervalSeconds: 0.05 }); // and it never sends one
    t.after(() => master.close());
    const { client: c, events, notices } = client(t, master.address, { missedHeartbeats: 3 });
    await master.waitForStreams(2);
    await until('the second SUBSCRIBED', () => events.filter((e) => e.type === 'SUBSCRIBED').length === 2);
    const second = master.subscribes[1] as unknown as { framework_id?: { value: string }; subscribe: { framework_info: { id?: { value: string } } } };
    assert.equal(second.framework_id?.value, `${master.masterId}-0000`);
    assert.equal(second.subscribe.framework_info.id?.value, `${master.masterId}-0000`);
    assert.ok(notices.some((n) => /missed heartbeats/.test(n)), notices.join('; '));
    assert.equal(master.streams[0]?.closed, true, 'the silent stream was closed');
    // Calls now carry the new stream's id, which the master checks.
    assert.equal(c.streamId, master.streams[1]?.streamId);
    assert.ok((await c.send({ type: 'REVIVE', framework_id: { value: c.frameworkId as string } })).ok);
    assert.deepEqual(master.rejections, []);
  });

  it('keeps its stream while heartbeats arrive', async (t) => {
    const master = await startFakeMaster({ heartbeatIntervalSeconds: 0.1, heartbeatEveryMs: 20 });
    t.after(() => master.close());
    const { events } = client(t, master.address, { missedHeartbeats: 3 });
    await until('SUBSCRIBED and heartbeats', () => events.filter((e) => e.type === 'HEARTBEAT').length >= 30);
    assert.equal(master.streams.length, 1, 'no resubscription while the master is alive');
  });

  it('resubscribes when the master ends the stream', async (t) => {
    const master = await startFakeMaster();
    t.after(() => master.close());
    const { events } = client(t, master.address);
    const first = await master.waitForStreams(1);
    first.end();
    await master.waitForStreams(2);
    await until('the second SUBSCRIBED', () => events.filter((e) => e.type === 'SUBSCRIBED').length === 2);
  });

  it('drops a stream that is not RecordIO and tries again', async (t) => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': '130ae4e3-6b13-4ef4-baa9-9f2e85c3e9af' });
      res.write('{"type":"SUBSCRIBED"}\n'); // JSON lines, no lengths
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const { events, notices } = client(t, `127.0.0.1:${(server.address() as AddressInfo).port}`);
    await until('a retry', () => requests >= 2);
    assert.equal(events.length, 0);
    assert.match(notices[0] ?? '', /is not RecordIO \(byte 0: a record length has the non-digit byte 0x7b\)/);
  });

  it('gives up after giveUpAfterMs when nothing answers, saying why', async (t) => {
    const port = await closedPort();
    let gaveUp = '';
    const { notices } = client(t, `127.0.0.1:${port}`, { giveUpAfterMs: 300, onGiveUp: (m) => (gaveUp = m) });
    await until('give up', () => gaveUp !== '');
    assert.match(gaveUp, new RegExp(`could not subscribe to the master at 127\\.0\\.0\\.1:${port} within 0\\.3s: connect ECONNREFUSED`));
    assert.ok(notices.length >= 2, 'it retried before giving up');
  });

  it('doubles its retry delay per failure up to maxBackoffMs, on injected timers', async (t) => {
    const port = await closedPort();
    const pending: Array<{ fn: () => void; ms: number; handle: TimerHandle }> = [];
    const timers: Timers = {
      now: () => 0,
      setTimeout: (fn, ms) => {
        const handle = {};
        pending.push({ fn, ms, handle });
        return handle;
      },
      clearTimeout: (handle) => {
        const i = pending.findIndex((p) => p.handle === handle);
        if (i >= 0) pending.splice(i, 1);
      },
    };
    const { client: c } = client(t, `127.0.0.1:${port}`, { timers, retryIntervalMs: 1000, maxBackoffMs: 5000, subscribeTimeoutMs: 60_000 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      // Each refused connection leaves exactly one timer: the retry.
      await until('a retry timer', () => pending.length === 1 && pending[0]?.ms !== 60_000);
      const retry = pending.shift() as { fn: () => void; ms: number };
      delays.push(retry.ms);
      retry.fn();
    }
    c.stop();
    assert.deepEqual(delays, [1000, 2000, 4000, 5000, 5000]);
  });
});
