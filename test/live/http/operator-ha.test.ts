import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAST_TIMING } from '../../../src/core/timing.js';
import { testCluster } from '../../helpers/cluster.js';
import { eventually, postJson, send, serveTestCluster, subscribe, type ServedTestCluster } from '../../helpers/mesos-http.js';

type Ev = Record<string, unknown> & { type: string };
const timing = { ...FAST_TIMING, heartbeatIntervalMs: 500 };

describe('the operator API, state endpoints and master failover (3 masters)', () => {
  let served: ServedTestCluster;
  before(async () => {
    served = await serveTestCluster(testCluster({ agents: 3, masters: 3, timing, services: [{ name: 'web', instances: 3, partitionAware: true }] }), { speed: 2, heartbeatIntervalMs: 300 });
    await eventually(() => [...served.cluster.state().tasks.values()].filter((t) => t.state === 'TASK_RUNNING').length === 3, 15_000, 'web to run');
  });
  after(async () => served.close());

  it('a standby answers 307 with a protocol-relative Location to the leader, keeping path and query', async () => {
    const leader = served.cluster.leader();
    const standby = served.cluster.masters().find((m) => m !== leader) as string;
    const answer = await postJson(served.port(standby), '/master/api/v1/scheduler?x=1', { type: 'TEARDOWN' });
    assert.equal(answer.status, 307);
    assert.equal(answer.headers.location, `//127.0.0.1:${served.leaderPort()}/master/api/v1/scheduler?x=1`);
    const op = await postJson(served.port(standby), '/api/v1', { type: 'GET_HEALTH' });
    assert.equal(op.status, 307);
    const redirect = await send(served.port(standby), { method: 'GET', path: '/master/redirect' });
    assert.equal(redirect.headers.location, `//127.0.0.1:${served.leaderPort()}`);
  });

  it('GET_* calls answer 200 and echo their type', async () => {
    for (const type of ['GET_HEALTH', 'GET_VERSION', 'GET_MASTER', 'GET_STATE', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_TASKS', 'GET_METRICS', 'GET_ROLES']) {
      const answer = await postJson(served.leaderPort(), '/master/api/v1', { type });
      assert.equal(answer.status, 200, `${type}: ${answer.body}`);
      assert.equal(answer.headers['content-type'], 'application/json');
      const json = JSON.parse(answer.body) as Record<string, unknown>;
      assert.equal(json.type, type);
      assert.ok(json[type.toLowerCase()] !== undefined, type);
    }
    const agents = JSON.parse((await postJson(served.leaderPort(), '/api/v1', { type: 'GET_AGENTS' })).body) as { get_agents: { agents: unknown[] } };
    assert.equal(agents.get_agents.agents.length, 3);
    assert.equal((await postJson(served.leaderPort(), '/api/v1', { type: 'DRAIN_AGENT' })).status, 501);
    assert.equal((await postJson(served.leaderPort(), '/api/v1', { type: 'UNKNOWN' })).status, 501);
    assert.equal((await send(served.leaderPort(), { path: '/api/v1', headers: { 'Content-Type': 'application/json' }, body: 'nope' })).status, 400);
  });

  it('/master/state, /state, /master/state.json and ?jsonp=; /metrics/snapshot', async () => {
    for (const path of ['/master/state', '/state', '/master/state.json']) {
      const answer = await send(served.leaderPort(), { method: 'GET', path });
      assert.equal(answer.status, 200);
      const json = JSON.parse(answer.body) as { leader: string; slaves: unknown[]; frameworks: Array<{ tasks: unknown[] }> };
      assert.equal(json.leader, `master@127.0.0.1:${served.leaderPort()}`);
      assert.equal(json.slaves.length, 3);
      assert.equal(json.frameworks[0]?.tasks.length, 3);
    }
    const jsonp = await send(served.leaderPort(), { method: 'GET', path: '/master/state?jsonp=JSON_CALLBACK' });
    assert.match(jsonp.body, /^JSON_CALLBACK\(\{.*\}\);$/s);
    assert.equal((await send(served.leaderPort(), { method: 'GET', path: '/master/state?jsonp=alert(1)' })).status, 400);
    const metrics = JSON.parse((await send(served.leaderPort(), { method: 'GET', path: '/metrics/snapshot' })).body) as Record<string, number>;
    assert.equal(metrics['master/elected'], 1);
    assert.equal(metrics['master/slaves_active'], 3);
    assert.equal(metrics['master/tasks_running'], 3);
  });

  it('operator SUBSCRIBE against scripted faults: kill an agent -> TASK_UPDATED to UNREACHABLE, no AGENT_REMOVED; restart it -> AGENT_ADDED', async () => {
    const stream = await subscribe(served.leaderPort(), '/api/v1', { type: 'SUBSCRIBE' });
    try {
      assert.equal(stream.status, 200);
      assert.equal(stream.headers['mesos-stream-id'], undefined);
      const first = await stream.waitFor((e) => e.type === 'SUBSCRIBED');
      assert.equal(stream.events[0], first);
      const snapshot = (first.subscribed as { get_state: { get_agents: { agents: unknown[] } }; heartbeat_interval_seconds: number });
      assert.equal(snapshot.get_state.get_agents.agents.length, 3);
      await stream.waitFor((e) => e.type === 'HEARTBEAT', 3_000);
      const victim = [...served.cluster.state().tasks.values()].find((t) => t.state === 'TASK_RUNNING')?.host as string;
      assert.ok(served.cluster.inject({ kind: 'kill-agent', node: victim }).ok);
      const from = stream.events.length;
      const updated = await stream.waitFor((e) => e.type === 'TASK_UPDATED' && (e.task_updated as { state: string }).state === 'TASK_UNREACHABLE', 15_000, from);
      assert.ok((updated.task_updated as { framework_id: { value: string } }).framework_id.value);
      assert.ok(!stream.events.some((e: Ev) => e.type === 'AGENT_REMOVED'), 'no AGENT_REMOVED for an unreachable agent');
      const agentsNow = JSON.parse((await postJson(served.leaderPort(), '/api/v1', { type: 'GET_AGENTS' })).body) as { get_agents: { agents: unknown[] } };
      assert.equal(agentsNow.get_agents.agents.length, 2, 'the unreachable agent left GET_AGENTS');
      const added = stream.events.length;
      assert.ok(served.cluster.inject({ kind: 'restart-agent', node: victim }).ok);
      await stream.waitFor((e) => e.type === 'AGENT_ADDED', 15_000, added);
      await stream.waitFor((e) => e.type === 'TASK_ADDED', 15_000, added);
    } finally {
      stream.close();
    }
  });

  it('master failover: the old leader ends its streams; a client following the 307 resubscribes with its framework id', async () => {
    const oldLeader = served.cluster.leader() as string;
    const oldPort = served.port(oldLeader);
    const sub = { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'ha-probe', failover_timeout: 60 } } };
    const first = await subscribe(oldPort, '/api/v1/scheduler', sub);
    const subscribed = await first.waitFor((e) => e.type === 'SUBSCRIBED');
    const frameworkId = (subscribed.subscribed as { framework_id: { value: string } }).framework_id.value;
    const operator = await subscribe(oldPort, '/api/v1', { type: 'SUBSCRIBE' });
    await operator.waitFor((e) => e.type === 'SUBSCRIBED');

    // While no leader is known, every master answers 503.
    served.setPaused(true);
    assert.ok(served.cluster.inject({ kind: 'failover', node: oldLeader }).ok);
    assert.ok(served.cluster.runUntilCondition((c) => c.leader() === null, { timeoutMs: 10_000, checkEveryMs: 1 }), 'the old leader steps down');
    await operator.waitEnded(5_000);
    assert.equal(first.ended(), false, 'a scheduler stream stays open (silent) until a new leader is known');
    const noLeader = await postJson(oldPort, '/api/v1/scheduler', sub);
    assert.equal(noLeader.status, 503);
    assert.match(noLeader.body, /No leader elected/);
    assert.equal((await send(oldPort, { method: 'GET', path: '/master/redirect' })).status, 503);
    served.setPaused(false);
    await eventually(() => served.cluster.leader() !== null && served.cluster.leader() !== oldLeader, 15_000, 'a new leader');
    await first.waitEnded(5_000);

    // The client resubscribes where it was, follows the 307, and keeps its id.
    const resub = { ...sub, framework_id: { value: frameworkId }, subscribe: { framework_info: { ...sub.subscribe.framework_info, id: { value: frameworkId } } } };
    const redirected = await postJson(oldPort, '/api/v1/scheduler', resub);
    assert.equal(redirected.status, 307);
    const target = /^\/\/127\.0\.0\.1:(\d+)(\/.*)$/.exec(String(redirected.headers.location));
    assert.ok(target);
    const again = await subscribe(Number(target[1]), target[2] as string, resub);
    try {
      const resubscribed = await again.waitFor((e) => e.type === 'SUBSCRIBED');
      assert.equal((resubscribed.subscribed as { framework_id: { value: string } }).framework_id.value, frameworkId);
      assert.equal((resubscribed.subscribed as { master_info: { port: number } }).master_info.port, Number(target[1]));
    } finally {
      again.close();
    }
  });

  it('a killed master refuses connections', async () => {
    const standby = served.cluster.masters().find((m) => m !== served.cluster.leader()) as string;
    assert.ok(served.cluster.inject({ kind: 'kill-master', node: standby }).ok);
    await assert.rejects(send(served.port(standby), { method: 'GET', path: '/master/health' }));
  });
});
