import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAST_TIMING } from '../../../src/core/timing.js';
import { testCluster } from '../../helpers/cluster.js';
import { eventually, postJson, send, serveTestCluster, subscribe, type ServedTestCluster, type Subscription } from '../../helpers/mesos-http.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCHED = '/api/v1/scheduler';
const SUBSCRIBE = (name: string, id?: string) => ({
  type: 'SUBSCRIBE',
  ...(id ? { framework_id: { value: id } } : {}),
  subscribe: { framework_info: { user: 'root', name, failover_timeout: 60, capabilities: [{ type: 'PARTITION_AWARE' }], ...(id ? { id: { value: id } } : {}) } },
});

type Ev = Record<string, unknown> & { type: string };
const fwIdOf = (e: Ev) => ((e.subscribed as { framework_id: { value: string } }).framework_id.value);
const offersOf = (e: Ev) => (e.offers as { offers: Array<{ id: { value: string }; agent_id: { value: string }; url: { address: { ip: string } } }> }).offers;
const statusOf = (e: Ev) => (e.update as { status: { task_id: { value: string }; state: string; uuid?: string; agent_id: { value: string }; reason?: string } }).status;

describe('the v1 scheduler API against a served simulated cluster', () => {
  let served: ServedTestCluster;
  let port: number;
  before(async () => {
    served = await serveTestCluster(testCluster({ agents: 2, masters: 1, timing: { ...FAST_TIMING, heartbeatIntervalMs: 500 } }), { speed: 2 });
    port = served.port('master-1');
  });
  after(async () => served.close());

  const gateCases: Array<{ name: string; method?: string; headers?: Record<string, string>; body?: string; status: number; match?: RegExp }> = [
    { name: 'GET is 405', method: 'GET', status: 405 },
    { name: 'no Content-Type is 400', headers: {}, body: '{}', status: 400, match: /Content-Type/ },
    { name: 'text/plain is 415', headers: { 'Content-Type': 'text/plain' }, body: '{}', status: 415 },
    { name: 'protobuf is 415 (faultline speaks JSON)', headers: { 'Content-Type': 'application/x-protobuf' }, body: '{}', status: 415 },
    { name: 'malformed JSON is 400 with one line', headers: { 'Content-Type': 'application/json' }, body: '{"type":', status: 400, match: /^Failed to parse body into JSON[^\n]*\n$/ },
    { name: 'UNKNOWN is 501', headers: { 'Content-Type': 'application/json' }, body: '{"type":"UNKNOWN"}', status: 501 },
    { name: 'an enum as a number is 400', headers: { 'Content-Type': 'application/json' }, body: '{"type":1}', status: 400 },
    { name: 'SUBSCRIBE with Accept: protobuf only is 406', headers: { 'Content-Type': 'application/json', Accept: 'application/x-protobuf' }, body: JSON.stringify(SUBSCRIBE('x')), status: 406 },
    { name: 'SUBSCRIBE with a Mesos-Stream-Id is 400', headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': 'x' }, body: JSON.stringify(SUBSCRIBE('x')), status: 400, match: /Mesos-Stream-Id/ },
    { name: 'a call for an unknown framework is 400', headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': 'x' }, body: '{"type":"TEARDOWN","framework_id":{"value":"nope"}}', status: 400, match: /cannot be found/ },
    { name: 'a body over 4 MiB is 413', headers: { 'Content-Type': 'application/json' }, body: `{"pad":"${'x'.repeat(4 * 1024 * 1024 + 10)}"}`, status: 413 },
  ];
  for (const c of gateCases) {
    it(c.name, async () => {
      const answer = await send(port, { method: c.method ?? 'POST', path: SCHED, headers: c.headers ?? { 'Content-Type': 'application/json' }, body: c.body });
      assert.equal(answer.status, c.status, answer.body);
      if (c.match) assert.match(answer.body, c.match);
    });
  }

  it('unknown paths are 404; /master/health is 200; /master/redirect on the leader is 307 to itself', async () => {
    assert.equal((await send(port, { method: 'GET', path: '/nope' })).status, 404);
    const health = await send(port, { method: 'GET', path: '/master/health' });
    assert.equal(health.status, 200);
    assert.equal(health.body, '');
    const redirect = await send(port, { method: 'GET', path: '/master/redirect' });
    assert.equal(redirect.status, 307);
    assert.equal(redirect.headers.location, `//127.0.0.1:${port}`);
    assert.equal((await send(port, { method: 'GET', path: '/master/redirect/x' })).status, 404);
  });

  describe('a framework through every call', () => {
    let stream: Subscription;
    let frameworkId: string;
    let streamId: string;
    const call = (body: Record<string, unknown>, headers: Record<string, string> = { 'Mesos-Stream-Id': streamId }) =>
      postJson(port, '/master/api/v1/scheduler', { framework_id: { value: frameworkId }, ...body }, headers);

    const acks: number[] = [];
    /** Acknowledges every update with a uuid, as a scheduler must (the agent sends the next only then). */
    const autoAck = (s: Subscription): void =>
      s.onEvent((e) => {
        if (e.type !== 'UPDATE') return;
        const status = statusOf(e);
        if (status.uuid === undefined) return;
        void call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } }).then((a) => acks.push(a.status));
      });

    before(async () => {
      stream = await subscribe(port, SCHED, SUBSCRIBE('probe'));
      const subscribed = await stream.waitFor((e) => e.type === 'SUBSCRIBED');
      frameworkId = fwIdOf(subscribed);
      streamId = String(stream.headers['mesos-stream-id']);
      autoAck(stream);
    });
    after(() => stream.close());

    it('SUBSCRIBE: 200, application/json, chunked, a canonical UUID stream id, SUBSCRIBED first with master_info', () => {
      assert.equal(stream.status, 200);
      assert.equal(stream.headers['content-type'], 'application/json');
      assert.equal(stream.headers['transfer-encoding'], 'chunked');
      assert.match(streamId, UUID);
      const first = stream.events[0] as Ev;
      assert.equal(first.type, 'SUBSCRIBED');
      const sub = first.subscribed as { heartbeat_interval_seconds: number; master_info: { port: number; ip: number; address: { ip: string } } };
      assert.equal(sub.heartbeat_interval_seconds, 0.5);
      assert.equal(sub.master_info.port, port);
      assert.equal(sub.master_info.ip, 16777343);
    });

    it('calls without or with a wrong Mesos-Stream-Id are 400', async () => {
      assert.equal((await call({ type: 'REVIVE' }, {})).status, 400);
      assert.equal((await call({ type: 'REVIVE' }, { 'Mesos-Stream-Id': '00000000-0000-4000-8000-000000000000' })).status, 400);
    });

    it('OFFERS (with url.address.ip), ACCEPT a LAUNCH, UPDATEs with 16-byte uuids, ACKNOWLEDGE each: 202 with an empty body', async () => {
      const offers = await stream.waitFor((e) => e.type === 'OFFERS');
      const [offer, ...rest] = offersOf(offers);
      assert.ok(offer);
      assert.equal(offer.url.address.ip, '127.0.0.1');
      const accepted = await call({
        type: 'ACCEPT',
        accept: {
          offer_ids: [offer.id],
          operations: [
            {
              type: 'LAUNCH',
              launch: {
                task_infos: [
                  { name: 'sleeper', task_id: { value: 'sleeper-1' }, agent_id: offer.agent_id, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }], command: { shell: true, value: 'sleep 600' } },
                ],
              },
            },
          ],
          filters: { refuse_seconds: 1 },
        },
      });
      assert.equal(accepted.status, 202);
      assert.equal(accepted.body, '');
      assert.equal((await call({ type: 'DECLINE', decline: { offer_ids: rest.map((o) => o.id) } })).status, 202);
      const running = await stream.waitFor((e) => e.type === 'UPDATE' && statusOf(e).state === 'TASK_RUNNING');
      for (const e of stream.events.filter((x) => x.type === 'UPDATE')) {
        const status = statusOf(e);
        assert.ok(status.uuid);
        assert.equal(Buffer.from(status.uuid, 'base64').length, 16);
      }
      await eventually(() => served.cluster.history().some((r) => r.type === 'status.ack_received' && r.taskId === 'sleeper-1'), 5_000, 'the agent to receive an ack');
      assert.ok(acks.length > 0 && acks.every((s) => s === 202), `acks: ${acks.join(',')}`);
      assert.equal(statusOf(running).task_id.value, 'sleeper-1');
      const bad = await call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: statusOf(running).agent_id, task_id: { value: 'sleeper-1' }, uuid: Buffer.alloc(8).toString('base64') } });
      assert.equal(bad.status, 400, 'a uuid of 8 bytes');
    });

    it('every record arrives in its own chunk, as compact JSON without raw newlines', () => {
      for (const chunk of stream.chunks) {
        const newline = chunk.indexOf('\n');
        assert.ok(newline > 0);
        assert.equal(Number(chunk.slice(0, newline)), Buffer.byteLength(chunk.slice(newline + 1)), 'one whole record per chunk');
      }
    });

    it('REVIVE, SUPPRESS (roles[]), MESSAGE, REQUEST, SHUTDOWN: 202; the calls are in the history', async () => {
      for (const body of [
        { type: 'REVIVE', revive: { roles: ['*'] } },
        { type: 'SUPPRESS', suppress: { roles: ['*'] } },
        { type: 'REVIVE' },
        { type: 'MESSAGE', message: { agent_id: { value: 'a' }, executor_id: { value: 'e' }, data: 'aGk=' } },
        { type: 'REQUEST', request: { requests: [] } },
        { type: 'SHUTDOWN', shutdown: { agent_id: { value: 'a' }, executor_id: { value: 'e' } } },
      ]) {
        const answer = await call(body);
        assert.equal(answer.status, 202, `${body.type}: ${answer.body}`);
      }
      const notes = served.cluster.history().filter((r) => r.type === 'scheduler.note' && r.app === 'http-api' && r.frameworkId === frameworkId).map((r) => (r.type === 'scheduler.note' ? r.note : ''));
      for (const type of ['ACCEPT', 'ACKNOWLEDGE', 'DECLINE', 'REVIVE', 'SUPPRESS', 'MESSAGE', 'REQUEST']) assert.ok(notes.some((n) => n.startsWith(type)), `${type} in ${notes.join(' | ')}`);
    });

    it('RECONCILE: the master answers with the latest state, REASON_RECONCILIATION', async () => {
      const from = stream.events.length;
      assert.equal((await call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'sleeper-1' } }] } })).status, 202);
      const e = await stream.waitFor((x) => x.type === 'UPDATE' && statusOf(x).reason === 'REASON_RECONCILIATION', 5_000, from);
      assert.equal(statusOf(e).state, 'TASK_RUNNING');
    });

    it('KILL: TASK_KILLED comes back', async () => {
      assert.equal((await call({ type: 'KILL', kill: { task_id: { value: 'sleeper-1' } } })).status, 202);
      await stream.waitFor((x) => x.type === 'UPDATE' && statusOf(x).state === 'TASK_KILLED');
    });

    it('HEARTBEAT arrives every interval', async () => {
      const from = stream.events.length;
      await stream.waitFor((x) => x.type === 'HEARTBEAT', 3_000, from);
    });

    it('a second SUBSCRIBE of the framework: ERROR "Framework failed over" on the old stream, which ends; the new one is SUBSCRIBED with the same id', async () => {
      const again = await subscribe(port, SCHED, SUBSCRIBE('probe', frameworkId));
      autoAck(again);
      try {
        const error = await stream.waitFor((e) => e.type === 'ERROR');
        assert.deepEqual(error.error, { message: 'Framework failed over' });
        await stream.waitEnded();
        const sub = await again.waitFor((e) => e.type === 'SUBSCRIBED');
        assert.equal(fwIdOf(sub), frameworkId);
        assert.notEqual(again.headers['mesos-stream-id'], streamId);
        // The old stream id is no longer valid.
        assert.equal((await call({ type: 'REVIVE' })).status, 400);
        streamId = String(again.headers['mesos-stream-id']);
        assert.equal((await call({ type: 'REVIVE' })).status, 202);
      } finally {
        stream = again;
      }
    });

    it('closing the stream disconnects the framework at once (reason recorded); its calls are then 403', async () => {
      const closedAt = served.cluster.now();
      stream.close();
      await eventually(() => served.cluster.state().frameworks.get(frameworkId)?.state === 'disconnected', 3_000, 'disconnect');
      const view = served.cluster.state().frameworks.get(frameworkId);
      assert.equal(view?.disconnectReason, 'subscription stream closed');
      assert.ok((view?.disconnectedAtMs ?? Infinity) - closedAt < 500, 'within a network hop, not 3 heartbeat intervals (1.5 s)');
      const answer = await call({ type: 'REVIVE' });
      assert.equal(answer.status, 403);
      assert.match(answer.body, /not subscribed/);
    });

    it('TEARDOWN: 202, the framework is removed and its stream ends', async () => {
      const fresh = await subscribe(port, SCHED, SUBSCRIBE('probe', frameworkId));
      stream = fresh;
      await fresh.waitFor((e) => e.type === 'SUBSCRIBED');
      streamId = String(fresh.headers['mesos-stream-id']);
      assert.equal((await call({ type: 'TEARDOWN' })).status, 202);
      await fresh.waitEnded();
      await eventually(() => served.cluster.state().frameworks.get(frameworkId)?.state === 'removed', 3_000, 'removal');
      assert.equal((await call({ type: 'REVIVE' })).status, 400, 'a removed framework cannot be found');
    });
  });

  it('a built-in scheduler cannot be driven over HTTP: 403', async () => {
    const builtIn = testCluster({ agents: 1, masters: 1, services: [{ name: 'web', instances: 1 }] });
    const other = await serveTestCluster(builtIn, { speed: 4 });
    try {
      await eventually(() => builtIn.state().frameworks.size > 0, 5_000, 'the service to subscribe');
      const [fw] = [...builtIn.state().frameworks.keys()];
      const answer = await postJson(other.port('master-1'), SCHED, { type: 'REVIVE', framework_id: { value: fw } }, { 'Mesos-Stream-Id': 'x' });
      assert.equal(answer.status, 403);
      assert.match(answer.body, /not connected via HTTP/);
    } finally {
      await other.close();
    }
  });
});
