/**
 * The operator role on the master's WebSocket transport, against in-process
 * live masters: answers are the bytes POST /api/v1 gives, SUBSCRIBE streams
 * the same records as the HTTP stream, bad frames are refused without
 * changing the master's state, chaos obeys --allow-chaos, a secret is checked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { parseResources } from '../../../src/core/resources.js';
import { TIMING_PROFILES } from '../../../src/core/timing.js';
import { startLiveAgent, type LiveAgent } from '../../../src/live/agent/live-agent.js';
import { createProcessExecutor } from '../../../src/live/executor/process-executor.js';
import { startLiveMaster, type LiveMaster, type LiveMasterOptions } from '../../../src/live/master/live-master.js';
import { connectWsOperator, type WsOperator, type WsOperatorEvent } from '../../../src/live/operator-client/ws-operator.js';
import { basicAuthHeader, proofOf } from '../../../src/live/transport/auth.js';
import { MAX_FRAME_BYTES, MAX_RECEIVE_BYTES, TRANSPORT_PATH } from '../../../src/live/transport/protocol.js';
import { postJson, send, subscribe, type Subscription } from '../../helpers/mesos-http.js';
import { waitUntil } from '../../helpers/wall-clock-host.js';

const SECRET = 'correct horse battery staple';
const dir = mkdtempSync(join(tmpdir(), 'faultline-ws-operator-'));
const masters: LiveMaster[] = [];
const agents: LiveAgent[] = [];
const clients: WsOperator[] = [];
const sockets: WebSocket[] = [];
const streams: Subscription[] = [];
after(async () => {
  for (const s of streams) s.close();
  for (const s of sockets) s.terminate();
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(agents.map((a) => a.close({ killTasks: true })));
  await Promise.all(masters.map((m) => m.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function master(name: string, extra: Partial<LiveMasterOptions> = {}): Promise<LiveMaster> {
  const started = await startLiveMaster({ host: '127.0.0.1', port: 0, workDir: join(dir, name), secret: null, allowChaos: false, timing: TIMING_PROFILES.fast, heartbeatIntervalMs: 300, ...extra });
  assert.ok(started.ok, started.ok ? '' : started.error.message);
  masters.push(started.value);
  return started.value;
}

async function operator(m: LiveMaster, options: { secret?: string; node?: string } = {}): Promise<WsOperator> {
  const connected = await connectWsOperator({ master: `127.0.0.1:${m.port}`, ...options });
  assert.ok(connected.ok, connected.ok ? '' : connected.error.message);
  clients.push(connected.value);
  return connected.value;
}

/** A hand-driven connection, for frames the client would never send. */
interface Raw {
  readonly frames: Array<Record<string, unknown>>;
  send(text: string): void;
  hello(node?: string): Promise<void>;
  next(pred: (frame: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  readonly closed: Promise<number>;
}

async function raw(m: LiveMaster): Promise<Raw> {
  const ws = new WebSocket(`ws://127.0.0.1:${m.port}${TRANSPORT_PATH}`, { perMessageDeflate: false });
  sockets.push(ws);
  const frames: Array<Record<string, unknown>> = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (pred: (frame: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
    await waitUntil('a frame', () => frames.some(pred), 5_000, () => JSON.stringify(frames).slice(0, 500));
    return frames.find(pred) as Record<string, unknown>;
  };
  await next((f) => f.type === 'challenge');
  return {
    frames,
    send: (text) => ws.send(text),
    hello: async (node = 'raw-operator') => {
      ws.send(JSON.stringify({ v: 1, type: 'hello', node, role: 'operator' }));
      await next((f) => f.type === 'welcome');
    },
    next,
    closed,
  };
}

const getState = async (m: LiveMaster, headers: Record<string, string> = {}): Promise<string> => {
  const answer = await postJson(m.port, '/api/v1', { type: 'GET_STATE' }, headers);
  assert.equal(answer.status, 200, answer.body);
  return answer.body;
};

const eventTypes = (events: ReadonlyArray<{ type?: unknown }>): unknown[] => events.map((e) => e.type).filter((t) => t !== 'HEARTBEAT');

describe('operator clients on the master WebSocket', () => {
  let plain: LiveMaster;
  before(async () => {
    plain = await master('plain');
  });

  it('answers each call with the status and body bytes POST /api/v1 gives', async () => {
    const client = await operator(plain);
    const calls = [{ type: 'GET_STATE' }, { type: 'GET_AGENTS' }, { type: 'GET_FRAMEWORKS' }, { type: 'GET_MASTER' }, { type: 'FAULTLINE_GET_INFO' }, { type: 'NOPE' }, { type: 'FAULTLINE_NOPE' }];
    for (const call of calls) {
      const overHttp = await postJson(plain.port, '/api/v1', call);
      const overWs = await client.call(call);
      assert.equal(overWs.status, overHttp.status, `${call.type}: status`);
      assert.equal(overWs.body, overHttp.body, `${call.type}: body`);
    }
    const unknown = await client.call({ type: 'NOPE' });
    assert.equal(unknown.status, 400, 'an unknown call type is the operator API\'s 400, and the connection stays open');
  });

  it('refuses a chaos call without --allow-chaos with 403 and the reason, as over HTTP', async () => {
    const client = await operator(plain);
    const call = { type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault: { kind: 'heal' } } };
    const overWs = await client.call(call);
    const overHttp = await postJson(plain.port, '/api/v1', call);
    assert.equal(overWs.status, 403);
    assert.match(overWs.body, /--allow-chaos/);
    assert.equal(overWs.body, overHttp.body);
  });

  it('SUBSCRIBE streams SUBSCRIBED, then AGENT_ADDED when a live agent registers, as the HTTP stream does', async () => {
    const client = await operator(plain);
    const overWs: WsOperatorEvent[] = [];
    const opened = await client.subscribe((event) => overWs.push(event));
    assert.equal(opened.status, 200);
    const overHttp = await subscribe(plain.port, '/api/v1', { type: 'SUBSCRIBE' });
    streams.push(overHttp);
    assert.equal(overWs[0]?.type, 'SUBSCRIBED');
    const resources = parseResources('cpus:1;mem:256;disk:10;ports:[32000-32001]', 'r');
    assert.ok(resources.ok);
    const agent = await startLiveAgent({
      master: `127.0.0.1:${plain.port}`,
      host: '127.0.0.1',
      port: 0,
      resources: resources.value,
      attributes: {},
      workDir: join(dir, 'agent'),
      secret: null,
      timing: TIMING_PROFILES.fast,
      createExecutor: createProcessExecutor,
    });
    assert.ok(agent.ok, agent.ok ? '' : agent.error.message);
    agents.push(agent.value);
    const added = await overHttp.waitFor((e) => e.type === 'AGENT_ADDED');
    await waitUntil('AGENT_ADDED over the WebSocket', () => overWs.some((e) => e.type === 'AGENT_ADDED'), 10_000);
    assert.deepEqual(
      overWs.find((e) => e.type === 'AGENT_ADDED'),
      added,
    );
    const upTo = (events: ReadonlyArray<{ type?: unknown }>): unknown[] => {
      const types = eventTypes(events);
      return types.slice(0, types.indexOf('AGENT_ADDED') + 1);
    };
    assert.deepEqual(upTo(overWs), upTo(overHttp.events));
    await waitUntil('a HEARTBEAT over the WebSocket', () => overWs.some((e) => e.type === 'HEARTBEAT'), 10_000);
  });

  describe('bad frames: an error or a response with its code, the state unchanged, the master healthy', () => {
    const cases: Array<[string, (r: Raw) => Promise<void>]> = [
      [
        'a call before hello',
        async (r) => {
          r.send(JSON.stringify({ v: 1, type: 'call', id: '1', call: { type: 'GET_STATE' } }));
          const error = await r.next((f) => f.type === 'error');
          assert.equal(error.code, 'unexpected');
          assert.equal(await r.closed, 1008);
        },
      ],
      [
        'a call frame whose call is not an object',
        async (r) => {
          await r.hello();
          r.send(JSON.stringify({ v: 1, type: 'call', id: '1', call: 'GET_STATE' }));
          assert.equal((await r.next((f) => f.type === 'error')).code, 'schema');
          assert.equal(await r.closed, 1008);
        },
      ],
      [
        'a call frame that is not JSON',
        async (r) => {
          await r.hello();
          r.send('{"v":1,"type":"call",');
          assert.equal((await r.next((f) => f.type === 'error')).code, 'malformed');
          assert.equal(await r.closed, 1008);
        },
      ],
      [
        'an unknown call type and a call that does not parse (400, the connection stays)',
        async (r) => {
          await r.hello();
          r.send(JSON.stringify({ v: 1, type: 'call', id: 'a', call: { type: 'DESTROY_EVERYTHING' } }));
          r.send(JSON.stringify({ v: 1, type: 'call', id: 'b', call: { type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault: { kind: 'explode' } } } }));
          r.send(JSON.stringify({ v: 1, type: 'call', id: 'c', call: { type: 'GET_HEALTH' } }));
          assert.equal((await r.next((f) => f.type === 'response' && f.id === 'a')).status, 400);
          assert.equal((await r.next((f) => f.type === 'response' && f.id === 'b')).status, 400);
          assert.equal((await r.next((f) => f.type === 'response' && f.id === 'c')).status, 200);
        },
      ],
      [
        'a frame above the limit (too_large)',
        async (r) => {
          await r.hello();
          r.send(JSON.stringify({ v: 1, type: 'call', id: '1', call: { type: 'GET_STATE', pad: 'x'.repeat(MAX_FRAME_BYTES) } }));
          assert.equal((await r.next((f) => f.type === 'error')).code, 'too_large');
          assert.equal(await r.closed, 1008);
        },
      ],
      [
        'a frame above what a socket reads (closed with 1009)',
        async (r) => {
          await r.hello();
          r.send(JSON.stringify({ v: 1, type: 'call', id: '1', call: { type: 'GET_STATE', pad: 'x'.repeat(MAX_RECEIVE_BYTES) } }));
          assert.equal(await r.closed, 1009);
        },
      ],
      [
        'a core message from an operator connection',
        async (r) => {
          await r.hello('agent-evil');
          r.send(JSON.stringify({ v: 1, type: 'message', message: { type: 'agent.register', host: 'agent-evil', resources: { cpus: 1, mem: 1, disk: 1, gpus: 0, ports: [] }, attributes: {} } }));
          // An operator's frames are checked against the operator role's schema: no message frames there.
          assert.equal((await r.next((f) => f.type === 'error')).code, 'schema');
          assert.equal(await r.closed, 1008);
        },
      ],
    ];
    for (const [name, act] of cases) {
      it(name, async () => {
        const before = await getState(plain);
        const r = await raw(plain);
        await act(r);
        const health = await send(plain.port, { method: 'GET', path: '/master/health' });
        assert.equal(health.status, 200);
        assert.equal(await getState(plain), before);
      });
    }
  });
});

describe('operator clients on a master with a secret and --allow-chaos', () => {
  let guarded: LiveMaster;
  const auth = { Authorization: basicAuthHeader(SECRET) };
  before(async () => {
    guarded = await master('guarded', { secret: SECRET, allowChaos: true });
  });

  it('refuses a wrong or missing proof, and the state does not change', async () => {
    const before = await getState(guarded, auth);
    const wrong = await connectWsOperator({ master: `127.0.0.1:${guarded.port}`, secret: 'not it' });
    assert.ok(!wrong.ok);
    assert.match(wrong.error.message, /unauthorized/);
    const missing = await connectWsOperator({ master: `127.0.0.1:${guarded.port}` });
    assert.ok(!missing.ok);
    assert.match(missing.error.message, /unauthorized/);
    const r = await raw(guarded);
    r.send(JSON.stringify({ v: 1, type: 'hello', node: 'ops', role: 'operator', proof: proofOf(SECRET, 'another nonce', 'ops') }));
    assert.equal((await r.next((f) => f.type === 'error')).code, 'unauthorized');
    assert.equal(await r.closed, 1008);
    assert.equal(await getState(guarded, auth), before);
  });

  it('with the secret answers as HTTP with Basic does; chaos calls act; a partition does not cut the operator', async () => {
    const client = await operator(guarded, { secret: SECRET, node: 'ops' });
    assert.equal((await client.call({ type: 'GET_STATE' })).body, await getState(guarded, auth));
    const heal = await client.call({ type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault: { kind: 'heal' } } });
    assert.equal(heal.status, 200, heal.body);
    assert.match(heal.body, /nothing to heal/);
    const partition = await client.call({ type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault: { kind: 'partition', groups: [['master-1'], ['ops']], oneWay: false } } });
    assert.equal(partition.status, 200, partition.body);
    // The operator's name is cut from the master, but an operator connection is no node: its calls are still answered.
    assert.equal((await client.call({ type: 'GET_HEALTH' })).status, 200);
    assert.equal((await client.call({ type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault: { kind: 'heal' } } })).status, 200);
  });
});
