import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFaultlineCall } from '../../../src/api/faultline-call.js';
import { servedWorldOf } from '../../../src/cli/served-cluster.js';
import { serveMesosApi, type ServedApi } from '../../../src/live/http/server.js';
import type { SimCluster } from '../../../src/sim/cluster.js';
import { testCluster } from '../../helpers/cluster.js';
import { postJson, send } from '../../helpers/mesos-http.js';

const INJECT = (fault: unknown) => ({ type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault } });

describe('parseFaultlineCall', () => {
  it('leaves calls that are not the extension to the operator API (null)', () => {
    assert.equal(parseFaultlineCall('{"type":"GET_STATE"}'), null);
    assert.equal(parseFaultlineCall('{"type":'), null);
    assert.equal(parseFaultlineCall('[1]'), null);
  });
  const bad: Array<[string, unknown, RegExp]> = [
    ['an unknown extension type', { type: 'FAULTLINE_NOPE' }, /Unknown faultline call type "FAULTLINE_NOPE"/],
    ['no faultline_inject_fault', { type: 'FAULTLINE_INJECT_FAULT' }, /Missing required field: faultline_inject_fault/],
    ['an unknown fault kind', INJECT({ kind: 'explode' }), /fault\.kind: unknown fault kind "explode"/],
    ['a field of the wrong type', INJECT({ kind: 'kill-agent', node: 3 }), /fault\.node: must be a string for kill-agent/],
    ['bad partition groups', INJECT({ kind: 'partition', groups: [['a'], [1]], oneWay: false }), /fault\.groups: must be a list of lists of node ids/],
    ['a non-finite number', INJECT({ kind: 'swizzle-clog', nodes: ['a'], stepMs: 'x' }), /fault\.stepMs: must be a number/],
  ];
  for (const [name, body, message] of bad) {
    it(`refuses ${name} with 400 and one line`, () => {
      const parsed = parseFaultlineCall(JSON.stringify(body));
      assert.ok(parsed !== null && !parsed.ok);
      assert.equal(parsed.error.status, 400);
      assert.match(parsed.error.message, message);
      assert.doesNotMatch(parsed.error.message, /\n/);
    });
  }
  it('keeps only the fields of the kind', () => {
    const parsed = parseFaultlineCall(JSON.stringify(INJECT({ kind: 'kill-task', taskId: 't', frameworkId: 'f', extra: true })));
    assert.deepEqual(parsed, { ok: true, value: { type: 'FAULTLINE_INJECT_FAULT', fault: { kind: 'kill-task', taskId: 't', frameworkId: 'f' } } });
  });
});

describe('the faultline extension on a served master', () => {
  let cluster: SimCluster;
  let withChaos: ServedApi;
  let readOnly: ServedApi;
  let webDir: string;
  const port = (api: ServedApi): number => api.masters[0]?.address.port ?? 0;
  before(async () => {
    cluster = testCluster({ agents: 2, masters: 1 });
    cluster.runFor(5_000);
    webDir = mkdtempSync(join(tmpdir(), 'faultline-web-'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>t</title>');
    const world = servedWorldOf(cluster);
    withChaos = await serveMesosApi({ world, host: '127.0.0.1', port: 0, heartbeatIntervalMs: 1000, chaos: { inject: (f) => cluster.inject(f) }, webDir });
    readOnly = await serveMesosApi({ world, host: '127.0.0.1', port: 0, heartbeatIntervalMs: 1000, webDir });
  });
  after(async () => {
    await withChaos?.close();
    await readOnly?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('FAULTLINE_GET_INFO tells chaos, the masters with epochs and every agent state', async () => {
    const answer = await postJson(port(withChaos), '/api/v1', { type: 'FAULTLINE_GET_INFO' });
    assert.equal(answer.status, 200, answer.body);
    const info = (JSON.parse(answer.body) as { faultline_get_info: { chaos_allowed: boolean; masters: Array<{ node: string; state: string; epoch: number | null }>; agent_states: Record<string, string>; faults: unknown[]; agents_serve_files: boolean } }).faultline_get_info;
    assert.equal(info.chaos_allowed, true);
    assert.equal(info.agents_serve_files, false);
    assert.deepEqual(
      info.masters.map((m) => [m.node, m.state, typeof m.epoch]),
      [['master-1', 'leading', 'number']],
    );
    assert.deepEqual(Object.values(info.agent_states), ['registered', 'registered']);
    assert.deepEqual(info.faults, []);
  });

  it('FAULTLINE_INJECT_FAULT applies a fault (200 with its detail) and lists it in FAULTLINE_GET_INFO', async () => {
    const answer = await postJson(port(withChaos), '/api/v1', INJECT({ kind: 'kill-agent', node: 'agent-1' }));
    assert.equal(answer.status, 200, answer.body);
    assert.match((JSON.parse(answer.body) as { faultline_inject_fault: { detail: string } }).faultline_inject_fault.detail, /agent-1/);
    assert.equal(cluster.nodeStatus('agent-1'), 'stopped');
    const info = JSON.parse((await postJson(port(withChaos), '/api/v1', { type: 'FAULTLINE_GET_INFO' })).body) as { faultline_get_info: { faults: Array<{ kind: string; target: string; seq: number }> } };
    assert.deepEqual(
      info.faultline_get_info.faults.map((f) => [f.kind, f.target]),
      [['kill-agent', 'agent-1']],
    );
  });

  it('a fault the cluster refuses is 400 with one line', async () => {
    const answer = await postJson(port(withChaos), '/api/v1', INJECT({ kind: 'kill-agent', node: 'agent-99' }));
    assert.equal(answer.status, 400);
    assert.match(answer.body, /^kill-agent: [^\n]+\n$/);
  });

  it('without chaos the call is 403 and the info says why', async () => {
    const answer = await postJson(port(readOnly), '/api/v1', INJECT({ kind: 'heal' }));
    assert.equal(answer.status, 403);
    assert.match(answer.body, /^chaos is off on this master/);
    const info = JSON.parse((await postJson(port(readOnly), '/api/v1', { type: 'FAULTLINE_GET_INFO' })).body) as { faultline_get_info: { chaos_allowed: boolean; chaos_reason: string } };
    assert.equal(info.faultline_get_info.chaos_allowed, false);
    assert.match(info.faultline_get_info.chaos_reason, /--allow-chaos/);
  });

  it('GET / serves the page; a missing bundle file is 503 with one line; other paths stay 404', async () => {
    const page = await send(port(readOnly), { method: 'GET', path: '/' });
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    const js = await send(port(readOnly), { method: 'GET', path: '/web/app.js' });
    assert.equal(js.status, 503);
    assert.match(js.body, /^The web view is not built \(no app\.js in [^\n]+\): run npm run build\n$/);
    assert.equal((await send(port(readOnly), { method: 'GET', path: '/web/../index.html' })).status, 404);
    assert.equal((await send(port(readOnly), { method: 'POST', path: '/', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status, 404);
  });
});
