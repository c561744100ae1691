/**
 * The served state answers come from cached bytes (src/api/json-cache.ts);
 * over HTTP, after a change, no master may answer with the state from before
 * it: a killed task is shown killed by the very next /master/state and
 * GET_STATE (and JSONP), and an agent's loss by the next GET_AGENTS.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAST_TIMING } from '../../../src/core/timing.js';
import { testCluster } from '../../helpers/cluster.js';
import { eventually, postJson, send, serveTestCluster, type ServedTestCluster } from '../../helpers/mesos-http.js';

type LegacyState = { frameworks: Array<{ tasks: Array<{ id: string; state: string }>; completed_tasks: Array<{ id: string; state: string }> }> };
type V1State = { get_state: { get_tasks: { tasks: Array<{ task_id: { value: string }; state: string }>; completed_tasks: Array<{ task_id: { value: string }; state: string }> } } };

const legacyStateOf = (state: LegacyState, id: string): string | undefined =>
  state.frameworks.flatMap((f) => [...f.tasks, ...f.completed_tasks]).find((t) => t.id === id)?.state;
const v1StateOf = (state: V1State, id: string): string | undefined =>
  [...state.get_state.get_tasks.tasks, ...state.get_state.get_tasks.completed_tasks].find((t) => t.task_id.value === id)?.state;

describe('served state answers after a change (cached bytes are never stale)', () => {
  let served: ServedTestCluster;
  before(async () => {
    // Enough tasks for several cached segments, run to steady state before serving (unpaced, so quick).
    const cluster = testCluster({ agents: 4, masters: 1, timing: FAST_TIMING, agentResources: 'cpus:32;mem:32768;disk:10240;ports:[31000-32000]', services: [{ name: 'web', instances: 300 }] });
    cluster.runUntilCondition(() => [...cluster.state().tasks.values()].filter((t) => t.state === 'TASK_RUNNING').length === 300, { timeoutMs: 60_000 });
    served = await serveTestCluster(cluster, { speed: 2 });
  });
  after(async () => served.close());

  it('a killed task: the next answers of every state endpoint show it killed, with a Content-Length that fits the body', async () => {
    const port = served.leaderPort();
    const warm = await send(port, { method: 'GET', path: '/master/state' });
    assert.equal(warm.status, 200);
    assert.equal(Number(warm.headers['content-length']), Buffer.byteLength(warm.body));
    assert.equal((await postJson(port, '/api/v1', { type: 'GET_STATE' })).status, 200);
    const victim = [...served.cluster.state().tasks.values()].find((t) => t.state === 'TASK_RUNNING');
    assert.ok(victim);
    assert.equal(legacyStateOf(JSON.parse(warm.body) as LegacyState, victim.taskId), 'TASK_RUNNING');
    assert.ok(served.cluster.inject({ kind: 'kill-task', taskId: victim.taskId, frameworkId: victim.frameworkId }).ok);
    await eventually(() => served.cluster.state().tasks.get(victim.taskId)?.state !== 'TASK_RUNNING', 10_000, 'the kill to land');
    const now = served.cluster.state().tasks.get(victim.taskId)?.state;
    const legacy = await send(port, { method: 'GET', path: '/master/state' });
    assert.notEqual(legacyStateOf(JSON.parse(legacy.body) as LegacyState, victim.taskId), 'TASK_RUNNING', `/master/state still says RUNNING (the projection says ${now})`);
    const v1 = await postJson(port, '/api/v1', { type: 'GET_STATE' });
    assert.equal(Number(v1.headers['content-length']), Buffer.byteLength(v1.body));
    assert.notEqual(v1StateOf(JSON.parse(v1.body) as V1State, victim.taskId), 'TASK_RUNNING', 'GET_STATE still says RUNNING');
    const jsonp = await send(port, { method: 'GET', path: '/master/state?jsonp=cb' });
    assert.equal(jsonp.headers['content-type'], 'text/javascript');
    assert.match(jsonp.body, /^cb\(\{.*\}\);$/s);
    assert.notEqual(legacyStateOf(JSON.parse(jsonp.body.slice(3, -2)) as LegacyState, victim.taskId), 'TASK_RUNNING', 'JSONP still says RUNNING');
  });

  it('a killed agent: the next GET_AGENTS no longer lists it once the master holds it unreachable', async () => {
    const port = served.leaderPort();
    const agents = async () => (JSON.parse((await postJson(port, '/api/v1', { type: 'GET_AGENTS' })).body) as { get_agents: { agents: Array<{ agent_info: { id: { value: string } } }> } }).get_agents.agents.map((a) => a.agent_info.id.value);
    const agent = [...served.cluster.state().agents.values()].find((a) => a.state === 'registered');
    assert.ok(agent);
    assert.ok((await agents()).includes(agent.agentId));
    assert.ok(served.cluster.inject({ kind: 'kill-agent', node: agent.host }).ok);
    await eventually(() => served.cluster.state().agents.get(agent.agentId)?.unreachableSinceMs !== null, 20_000, 'the agent to be unreachable');
    assert.ok(!(await agents()).includes(agent.agentId), 'GET_AGENTS still lists the lost agent');
  });
});
