import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consecutiveAddresses, ipAsUint32 } from '../../src/api/addresses.js';
import { acceptsJson, gateCall, gateFrameworkCall, gateSubscribe, redirectEndpoint, routeOf, type FrameworkStanding } from '../../src/api/gate.js';
import { masterMetrics } from '../../src/api/metrics.js';
import { answerOperatorQuery, parseOperatorCall } from '../../src/api/operator.js';
import { OperatorEventTranslator } from '../../src/api/operator-events.js';
import { resourcesFromV1, resourcesToFlat, resourcesToV1 } from '../../src/api/resources.js';
import { schedulerEventOf } from '../../src/api/scheduler-event.js';
import { masterStateJson } from '../../src/api/state-json.js';
import { StatusUuidCodec } from '../../src/api/status-uuid.js';
import { resources } from '../../src/core/resources.js';
import type { HistoryRecord } from '../../src/core/events.js';
import { running, testCluster } from '../helpers/cluster.js';

const addresses = consecutiveAddresses({ ip: '127.0.0.1', firstPort: 5050, masters: ['master-1', 'master-2', 'master-3'] });
const master = { hostname: '127.0.0.1', ip: '127.0.0.1', port: 5050 };

describe('resources', () => {
  it('v1 array <-> core, and the legacy flat object', () => {
    const core = resources({ cpus: 1.5, mem: 128, ports: [{ begin: 31000, end: 31005 }] });
    const v1 = resourcesToV1(core, 'web');
    assert.deepEqual(v1, [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1.5 }, role: '*', allocation_info: { role: 'web' } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 128 }, role: '*', allocation_info: { role: 'web' } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31005 }] }, role: '*', allocation_info: { role: 'web' } },
    ]);
    assert.deepEqual(resourcesFromV1(v1 as never, 'r'), core);
    assert.deepEqual(resourcesToFlat(core), { cpus: 1.5, gpus: 0, mem: 128, disk: 0, ports: '[31000-31005]' });
    assert.deepEqual(resourcesToFlat(resources({ cpus: 1 })), { cpus: 1, gpus: 0, mem: 0, disk: 0 });
  });
});

describe('scheduler events', () => {
  const uuids = new StatusUuidCodec();
  const ctx = { addresses, uuids, master };
  const cases = [
    {
      name: 'SUBSCRIBED with heartbeat_interval_seconds and master_info (ip as uint32 in network order)',
      message: { type: 'master.subscribed', epoch: 1, masterId: 'abc', frameworkId: 'abc-0000', heartbeatIntervalMs: 15_000 } as const,
      expect: {
        type: 'SUBSCRIBED',
        subscribed: {
          framework_id: { value: 'abc-0000' },
          heartbeat_interval_seconds: 15,
          master_info: { id: 'abc', ip: 16777343, port: 5050, pid: 'master@127.0.0.1:5050', hostname: '127.0.0.1', version: '1.11.0', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port: 5050 } },
        },
      },
    },
    { name: 'RESCIND', message: { type: 'master.rescind', epoch: 1, offerId: 'o1' } as const, expect: { type: 'RESCIND', rescind: { offer_id: { value: 'o1' } } } },
    { name: 'FAILURE', message: { type: 'master.failure', epoch: 1, agentId: 'a1' } as const, expect: { type: 'FAILURE', failure: { agent_id: { value: 'a1' } } } },
    { name: 'ERROR as error.message', message: { type: 'master.error', epoch: 1, message: 'gone' } as const, expect: { type: 'ERROR', error: { message: 'gone' } } },
    { name: 'HEARTBEAT', message: { type: 'master.heartbeat', epoch: 1 } as const, expect: { type: 'HEARTBEAT' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(schedulerEventOf(c.message, ctx), c.expect));

  it('OFFERS is offers.offers with url.address.ip; UPDATE carries a 16-byte Base64 uuid that ACKNOWLEDGE maps back', () => {
    const offers = schedulerEventOf(
      {
        type: 'master.offers',
        epoch: 1,
        offers: [{ offerId: 'o1', frameworkId: 'f', agentId: 'a', host: 'agent-1', role: '*', resources: resources({ cpus: 4 }), attributes: { rack: 'r1' } }],
      },
      ctx,
    );
    assert.deepEqual(offers, {
      type: 'OFFERS',
      offers: {
        offers: [
          {
            id: { value: 'o1' },
            framework_id: { value: 'f' },
            agent_id: { value: 'a' },
            hostname: 'agent-1',
            url: { scheme: 'http', address: { hostname: 'agent-1', ip: '127.0.0.1', port: 5051 }, path: '/slave(1)' },
            resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 4 }, role: '*', allocation_info: { role: '*' } }],
            attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }],
            allocation_info: { role: '*' },
          },
        ],
      },
    });
    const update = schedulerEventOf(
      { type: 'master.update', epoch: 1, status: { taskId: 't', frameworkId: 'f', agentId: 'a', state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: '00ff00ff00ff00ff', timestampMs: 1500 } },
      ctx,
    ) as unknown as { update: { status: { uuid: string; timestamp: number } } };
    assert.equal(Buffer.from(update.update.status.uuid, 'base64').length, 16);
    assert.equal(update.update.status.timestamp, 1.5);
    assert.equal(uuids.decode(update.update.status.uuid, 'u'), '00ff00ff00ff00ff');
    assert.ok(!JSON.stringify(update).includes('\n'));
  });
});

describe('gatekeeping', () => {
  const leading = { leading: true, leader: null };
  const standby = { leading: false, leader: { hostname: '127.0.0.1', ip: '127.0.0.1', port: 5051 } };
  const noLeader = { leading: false, leader: null };
  const json = { 'content-type': 'application/json' };
  const cases: Array<{ name: string; method: string; headers: Record<string, string>; view: typeof leading | typeof standby; status: number | null; location?: string }> = [
    { name: 'leader, POST, JSON', method: 'POST', headers: json, view: leading, status: null },
    { name: 'JSON with a charset (lenient)', method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, view: leading, status: null },
    { name: 'GET', method: 'GET', headers: json, view: leading, status: 405 },
    { name: 'no Content-Type', method: 'POST', headers: {}, view: leading, status: 400 },
    { name: 'protobuf', method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, view: leading, status: 415 },
    { name: 'standby that knows the leader', method: 'POST', headers: json, view: standby, status: 307, location: '//127.0.0.1:5051/api/v1/scheduler?x=1' },
    { name: 'standby redirects before checking the method', method: 'GET', headers: {}, view: standby, status: 307, location: '//127.0.0.1:5051/api/v1/scheduler?x=1' },
    { name: 'no leader', method: 'POST', headers: json, view: noLeader, status: 503 },
  ];
  for (const c of cases) {
    it(`${c.status ?? 'pass'}: ${c.name}`, () => {
      const gated = gateCall({ method: c.method, headers: c.headers, pathAndQuery: '/api/v1/scheduler?x=1' }, c.view);
      if (c.status === null) return assert.ok(gated.ok);
      assert.equal(gated.ok, false);
      if (gated.ok) return;
      assert.equal(gated.error.status, c.status);
      if (c.location) assert.equal(gated.error.headers?.Location, c.location);
    });
  }
  it('SUBSCRIBE: 406 for an Accept without JSON, 400 with a Mesos-Stream-Id', () => {
    assert.ok(gateSubscribe({}, 'scheduler').ok);
    assert.ok(gateSubscribe({ accept: 'application/json' }, 'scheduler').ok);
    assert.ok(acceptsJson('text/html, */*;q=0.1'));
    const notJson = gateSubscribe({ accept: 'application/x-protobuf' }, 'scheduler');
    assert.ok(!notJson.ok && notJson.error.status === 406);
    const withStream = gateSubscribe({ 'mesos-stream-id': 'x' }, 'scheduler');
    assert.ok(!withStream.ok && withStream.error.status === 400);
    assert.ok(gateSubscribe({ 'mesos-stream-id': 'x' }, 'operator').ok, 'the operator SUBSCRIBE has no stream id rule');
  });
  const standings: Array<[string, FrameworkStanding, Record<string, string>, number | null]> = [
    ['unknown framework', { kind: 'unknown' }, { 'mesos-stream-id': 's' }, 400],
    ['disconnected', { kind: 'disconnected' }, { 'mesos-stream-id': 's' }, 403],
    ['built-in (not HTTP)', { kind: 'not_http' }, { 'mesos-stream-id': 's' }, 403],
    ['no stream id', { kind: 'subscribed', streamId: 's' }, {}, 400],
    ['wrong stream id', { kind: 'subscribed', streamId: 's' }, { 'mesos-stream-id': 't' }, 400],
    ['right stream id', { kind: 'subscribed', streamId: 's' }, { 'mesos-stream-id': 's' }, null],
  ];
  for (const [name, standing, headers, status] of standings) {
    it(`framework call: ${name} -> ${status ?? 'pass'}`, () => {
      const gated = gateFrameworkCall('f', headers, standing);
      if (status === null) return assert.ok(gated.ok);
      assert.ok(!gated.ok && gated.error.status === status);
    });
  }
  it('routes, and /master/redirect', () => {
    assert.equal(routeOf('/master/api/v1/scheduler').route, 'scheduler');
    assert.equal(routeOf('/master/state.json?jsonp=cb').route, 'state');
    assert.equal(routeOf('/master/state?jsonp=cb').query.get('jsonp'), 'cb');
    assert.equal(routeOf('/master/redirect/x').route, 'not_found');
    assert.deepEqual(redirectEndpoint(leading, master), { status: 307, location: '//127.0.0.1:5050' });
    assert.deepEqual(redirectEndpoint(standby, master), { status: 307, location: '//127.0.0.1:5051' });
    assert.deepEqual(redirectEndpoint(noLeader, master), { status: 503, message: 'No leader elected' });
    assert.equal(ipAsUint32('10.0.0.1'), 16777226);
  });
});

describe('operator API and state endpoints over a simulated cluster', () => {
  const cluster = testCluster({ agents: 3, services: [{ name: 'web', instances: 4, partitionAware: true }] });
  cluster.runUntilCondition(() => running(cluster, 'web') === 4, { timeoutMs: 30_000 });
  const ctx = { state: cluster.state(), addresses, self: 'master-1', startedAtMs: 0 };

  it('parses calls: SUBSCRIBE, queries, 501 for calls not served, 400 for a number', () => {
    assert.deepEqual(parseOperatorCall('{"type":"SUBSCRIBE"}'), { ok: true, value: { kind: 'subscribe' } });
    assert.deepEqual(parseOperatorCall('{"type":"GET_STATE"}'), { ok: true, value: { kind: 'query', type: 'GET_STATE' } });
    const notServed = parseOperatorCall('{"type":"DRAIN_AGENT"}');
    assert.ok(!notServed.ok && notServed.error.status === 501);
    const number = parseOperatorCall('{"type":9}');
    assert.ok(!number.ok && number.error.status === 400);
  });
  it('GET_STATE lists the agents, the framework and its running tasks', () => {
    const answer = answerOperatorQuery('GET_STATE', ctx) as { type: string; get_state: { get_agents: { agents: unknown[] }; get_frameworks: { frameworks: Array<{ framework_info: { name: string } }> }; get_tasks: { tasks: Array<{ state: string; task_id: { value: string } }> } } };
    assert.equal(answer.type, 'GET_STATE');
    assert.equal(answer.get_state.get_agents.agents.length, 3);
    assert.deepEqual(answer.get_state.get_frameworks.frameworks.map((f) => f.framework_info.name), ['web']);
    assert.equal(answer.get_state.get_tasks.tasks.filter((t) => t.state === 'TASK_RUNNING').length, 4);
  });
  it('GET_METRICS and /metrics/snapshot name Mesos metrics; a standby is not elected', () => {
    const metrics = masterMetrics(ctx.state, 'master-1', 0);
    assert.equal(metrics['master/elected'], 1);
    assert.equal(metrics['master/slaves_active'], 3);
    assert.equal(metrics['master/tasks_running'], 4);
    assert.equal(masterMetrics(ctx.state, 'master-2', 0)['master/elected'], 0);
    const answer = answerOperatorQuery('GET_METRICS', ctx) as { get_metrics: { metrics: Array<{ name: string; value: number }> } };
    assert.ok(answer.get_metrics.metrics.some((m) => m.name === 'master/tasks_running' && m.value === 4));
  });
  it('GET_HEALTH, GET_VERSION, GET_MASTER, GET_ROLES', () => {
    assert.deepEqual(answerOperatorQuery('GET_HEALTH', ctx), { type: 'GET_HEALTH', get_health: { healthy: true } });
    assert.deepEqual(answerOperatorQuery('GET_VERSION', ctx), { type: 'GET_VERSION', get_version: { version_info: { version: '1.11.0' } } });
    const m = answerOperatorQuery('GET_MASTER', ctx) as { get_master: { master_info: { id: string; port: number } } };
    assert.equal(m.get_master.master_info.id, ctx.state.leader?.masterId);
    assert.equal(m.get_master.master_info.port, 5050);
    const roles = answerOperatorQuery('GET_ROLES', ctx) as { get_roles: { roles: Array<{ name: string }> } };
    assert.ok(roles.get_roles.roles.length >= 1);
  });
  it('/master/state: plain-string ids, flat resources, leader, tasks under their framework', () => {
    const s = masterStateJson(ctx) as { leader: string; slaves: Array<{ id: string; resources: unknown; pid: string }>; frameworks: Array<{ name: string; tasks: Array<{ id: string; slave_id: string; resources: { cpus: number } }> }> };
    assert.equal(s.leader, 'master@127.0.0.1:5050');
    assert.equal(s.slaves.length, 3);
    assert.equal(typeof s.slaves[0]?.id, 'string');
    assert.deepEqual(s.slaves[0]?.resources, { cpus: 4, gpus: 0, mem: 8192, disk: 10240, ports: '[31000-32000]' });
    assert.equal(s.slaves[0]?.pid, 'slave(1)@127.0.0.1:5051');
    const web = s.frameworks.find((f) => f.name === 'web');
    assert.equal(web?.tasks.length, 4);
    assert.ok((web?.tasks[0]?.resources.cpus ?? 0) > 0);
    const standby = masterStateJson({ ...ctx, self: 'master-2' }) as { slaves: unknown[]; leader: string };
    assert.deepEqual(standby.slaves, []);
    assert.equal(standby.leader, 'master@127.0.0.1:5050');
  });
  it('operator events from the history: TASK_ADDED, TASK_UPDATED, AGENT_ADDED, FRAMEWORK_ADDED; no AGENT_REMOVED for an unreachable agent', () => {
    const translator = new OperatorEventTranslator();
    const rec = (event: Record<string, unknown>): HistoryRecord => ({ seq: 0, atMs: 1000, ...event }) as unknown as HistoryRecord;
    const types = (r: HistoryRecord) => translator.translate(r, ctx).map((e) => e.type);
    const task = [...ctx.state.tasks.values()][0];
    assert.ok(task);
    assert.deepEqual(types(rec({ type: 'task.launched', taskId: task.taskId, frameworkId: task.frameworkId, agentId: task.agentId, name: task.name, resources: task.resources })), ['TASK_ADDED']);
    const agent = [...ctx.state.agents.values()][0];
    assert.ok(agent);
    assert.deepEqual(types(rec({ type: 'agent.registered', agentId: agent.agentId, host: agent.host, resources: agent.resources, attributes: {}, epoch: 1 })), ['AGENT_ADDED']);
    assert.deepEqual(types(rec({ type: 'agent.unreachable', agentId: agent.agentId, host: agent.host, epoch: 1 })), []);
    assert.deepEqual(types(rec({ type: 'agent.removed', agentId: agent.agentId, host: agent.host, reason: 'x', epoch: 1 })), ['AGENT_REMOVED']);
    const fw = [...ctx.state.frameworks.values()][0];
    assert.ok(fw);
    assert.deepEqual(types(rec({ type: 'framework.subscribed', frameworkId: fw.frameworkId, name: fw.name, node: fw.node, roles: [], partitionAware: true, failoverTimeoutMs: 0, epoch: 1 })), ['FRAMEWORK_ADDED']);
    assert.deepEqual(types(rec({ type: 'framework.disconnected', frameworkId: fw.frameworkId, reason: 'x', epoch: 1 })), ['FRAMEWORK_UPDATED']);
    assert.deepEqual(types(rec({ type: 'framework.removed', frameworkId: fw.frameworkId, reason: 'x', epoch: 1 })), ['FRAMEWORK_REMOVED']);
    // TASK_UPDATED: status is the last acknowledged one, state the latest.
    translator.translate(rec({ type: 'status.delivered', frameworkId: fw.frameworkId, taskId: task.taskId, state: 'TASK_RUNNING', reason: null, uuid: 'aa' }), ctx);
    translator.translate(rec({ type: 'status.acknowledged', frameworkId: fw.frameworkId, taskId: task.taskId, uuid: 'aa' }), ctx);
    const [updated] = translator.translate(
      rec({ type: 'task.updated', taskId: task.taskId, frameworkId: fw.frameworkId, agentId: task.agentId, state: 'TASK_UNREACHABLE', reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER', message: null }),
      ctx,
    );
    assert.deepEqual((updated as unknown as { task_updated: { state: string; status: { state: string } } }).task_updated.state, 'TASK_UNREACHABLE');
    assert.deepEqual((updated as unknown as { task_updated: { state: string; status: { state: string } } }).task_updated.status.state, 'TASK_RUNNING');
  });
});
