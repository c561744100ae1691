/**
 * The operator model over recorded Mesos shapes (test/helpers/mesos-operator-fixture.ts):
 * SUBSCRIBED's snapshot, TASK_ADDED / TASK_UPDATED, AGENT_REMOVED, the polls that
 * tell an unreachable agent, FAULTLINE_GET_INFO, and the mapping to ClusterState.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OperatorModel, resourcesOfV1 } from '../../src/api/operator-model.js';
import type { FaultlineInfo } from '../../src/api/faultline-call.js';
import { recordedState, REPLAYED_EVENTS } from '../helpers/mesos-operator-fixture.js';

const ATTACHED = 1733100020_000; // epoch ms, after the recorded statuses
const S0 = '9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f-S0';
const S1 = '9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f-S1';

function subscribedModel(): OperatorModel {
  const model = new OperatorModel({ attachedAtMs: ATTACHED, masterName: 'mesos-master-1.example:5050' });
  assert.equal(model.apply({ type: 'SUBSCRIBED', subscribed: { get_state: recordedState(), heartbeat_interval_seconds: 15 } }, ATTACHED), true);
  return model;
}

describe('operator model', () => {
  it('maps SUBSCRIBED to agents, frameworks, tasks and offers in ClusterState', () => {
    const model = subscribedModel();
    const state = model.state(ATTACHED);
    assert.equal(model.heartbeatIntervalSec, 15);
    assert.deepEqual([...state.agents.values()].map((a) => [a.host, a.state, a.registry]), [
      ['mesos-agent-a.example', 'registered', 'registered'],
      ['mesos-agent-b.example', 'registered', 'registered'],
    ]);
    const a = state.agents.get(S0);
    assert.equal(a?.resources.cpus, 8);
    assert.deepEqual(a?.resources.ports, [{ begin: 31000, end: 32000 }]);
    assert.equal(a?.taskCount, 1);
    assert.equal(a?.used.cpus, 0.5);
    const task = state.tasks.get('nginx.1a2b');
    assert.equal(task?.state, 'TASK_RUNNING');
    assert.equal(task?.host, 'mesos-agent-a.example');
    assert.equal(task?.name, 'nginx');
    assert.deepEqual(task?.history.map((h) => h.state), ['TASK_STARTING', 'TASK_RUNNING']);
    // Epoch seconds become ms relative to the attach: the statuses are ~18 s before it.
    assert.ok(task !== undefined && task.launchedAtMs < 0 && task.launchedAtMs > -60_000, String(task?.launchedAtMs));
    const framework = [...state.frameworks.values()][0];
    assert.equal(framework?.name, 'marathon');
    assert.equal(framework?.state, 'active');
    assert.equal(framework?.partitionAware, true);
    assert.equal(framework?.activeTasks, 1);
    assert.equal(state.offers.size, 1);
    assert.equal(state.offers.get('9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f-O7')?.resources.cpus, 7.5);
    assert.equal(state.counts.tasksByState.TASK_RUNNING, 1);
    assert.equal(state.counts.agentsByState.registered, 2);
    assert.equal(state.counts.total.cpus, 16);
    // A Mesos master lists no standbys: the one master, leading, without an epoch.
    assert.deepEqual(state.leader, { node: 'mesos-master-1.example:5050', masterId: '', epoch: 0 });
  });

  it('follows TASK_ADDED and TASK_UPDATED (the latest state, not the acknowledged one) and records them for Events', () => {
    const model = subscribedModel();
    for (const event of REPLAYED_EVENTS) assert.equal(model.apply(event as Record<string, unknown>, ATTACHED + 1000), true);
    const state = model.state(ATTACHED + 1000);
    const redis = state.tasks.get('redis.3c4d');
    assert.equal(redis?.state, 'TASK_RUNNING');
    assert.equal(redis?.agentId, S1);
    assert.deepEqual(redis?.history.map((h) => h.state), ['TASK_STARTING', 'TASK_RUNNING']);
    assert.equal(state.agents.get(S1)?.taskCount, 1);
    assert.deepEqual(model.records(-1, 10).map((r) => r.type), ['task.launched', 'task.updated', 'task.updated']);
    assert.deepEqual(model.records(1, 10).map((r) => r.seq), [2]);

    // Mesos's TASK_UPDATED: `status` is the last acknowledged one, `state` the latest.
    model.apply({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'f' }, status: { task_id: { value: 'redis.3c4d' }, state: 'TASK_RUNNING', agent_id: { value: S1 }, timestamp: 1733100030.5, reason: 'REASON_AGENT_REMOVED' }, state: 'TASK_LOST' } }, ATTACHED + 2000);
    const lost = model.state(ATTACHED + 2000);
    assert.equal(lost.tasks.get('redis.3c4d')?.state, 'TASK_LOST');
    assert.equal(lost.tasks.get('redis.3c4d')?.reason, 'REASON_AGENT_REMOVED');
    assert.equal(lost.agents.get(S1)?.taskCount, 0, 'a lost task holds nothing');
  });

  it('returns the same state object until something changes', () => {
    const model = subscribedModel();
    const first = model.state(ATTACHED);
    assert.equal(model.state(ATTACHED + 50), first);
    model.apply({ type: 'HEARTBEAT' }, ATTACHED + 60);
    assert.equal(model.state(ATTACHED + 60), first, 'a heartbeat changes nothing');
    model.tick();
    const ticked = model.state(ATTACHED + 1000);
    assert.notEqual(ticked, first);
    assert.equal(ticked.nowMs, 1000, 'the clock moved with the wall');
    assert.equal(ticked.tasks.get('nginx.1a2b'), first.tasks.get('nginx.1a2b'), 'an unchanged task keeps its view');
    model.apply(REPLAYED_EVENTS[0] as Record<string, unknown>, ATTACHED + 1100);
    model.apply({ type: 'TASK_UPDATED', task_updated: { status: { task_id: { value: 'nginx.1a2b' }, state: 'TASK_RUNNING' }, state: 'TASK_KILLING' } }, ATTACHED + 1200);
    assert.notEqual(model.state(ATTACHED + 1200).tasks.get('nginx.1a2b'), first.tasks.get('nginx.1a2b'));
    assert.equal(model.state(ATTACHED + 1200).tasks.get('nginx.1a2b')?.state, 'TASK_KILLING');
  });

  it('learns an unreachable agent from GET_AGENTS (no event streams for it) and a removed one from AGENT_REMOVED', () => {
    const model = subscribedModel();
    const agents = recordedState().get_agents as { agents: unknown[] };
    model.setAgents({ agents: agents.agents.slice(1) }, ATTACHED + 5000);
    const state = model.state(ATTACHED + 5000);
    assert.equal(state.agents.get(S0)?.state, 'unreachable');
    assert.equal(state.agents.get(S0)?.unreachableSinceMs, 5000);
    assert.equal(state.agents.get(S0)?.taskCount, 0);
    assert.equal(state.counts.agentsByState.unreachable, 1);
    model.apply({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: S1 } } }, ATTACHED + 6000);
    assert.equal(model.state(ATTACHED + 6000).agents.get(S1)?.state, 'removed');
    model.apply({ type: 'AGENT_ADDED', agent_added: { agent: agents.agents[0] } }, ATTACHED + 7000);
    assert.equal(model.state(ATTACHED + 7000).agents.get(S0)?.state, 'registered');
  });

  it('takes FAULTLINE_GET_INFO: masters with epochs, the agents\' true states and each fault once', () => {
    const model = new OperatorModel({ attachedAtMs: ATTACHED, masterName: '127.0.0.1:5050' });
    model.apply({ type: 'SUBSCRIBED', subscribed: { get_state: recordedState(), heartbeat_interval_seconds: 1 } }, ATTACHED);
    const info: FaultlineInfo = {
      chaos_allowed: true,
      chaos_reason: '',
      masters: [
        { node: 'master-1', state: 'leading', master_id: 'abc', epoch: 3, elected_time: 1.5 },
        { node: 'master-2', state: 'standby', master_id: null, epoch: null, elected_time: null },
      ],
      agent_states: { [S0]: 'down' },
      agents_serve_files: false,
      faults: [{ seq: 7, time: 2, kind: 'kill-agent', target: 'agent-1', detail: 'kill-agent agent-1' }],
    };
    model.setInfo(info, ATTACHED + 100);
    model.setInfo(info, ATTACHED + 200);
    const state = model.state(ATTACHED + 200);
    assert.deepEqual(state.leader, { node: 'master-1', masterId: 'abc', epoch: 3 });
    assert.equal(state.masters.size, 2);
    assert.equal(state.agents.get(S0)?.state, 'down');
    assert.equal(state.agents.get(S0)?.condition, 'down');
    assert.equal(state.agents.get(S0)?.registry, 'registered', 'the master has not noticed yet');
    const faults = model.records(-1, 10).filter((r) => r.type === 'fault.injected');
    assert.equal(faults.length, 1);
  });

  it('follows FRAMEWORK_ADDED / UPDATED / REMOVED into the frameworks and Events', () => {
    const model = subscribedModel();
    const info = { user: 'root', name: 'spark', id: { value: 'F2' }, hostname: 'spark-1', failover_timeout: 60, capabilities: [] };
    model.apply({ type: 'FRAMEWORK_ADDED', framework_added: { framework: { framework_info: info, active: true, connected: true } } }, ATTACHED);
    assert.equal(model.state(ATTACHED).frameworks.get('F2')?.state, 'active');
    assert.equal(model.state(ATTACHED).frameworks.get('F2')?.node, 'spark-1');
    model.apply({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: { framework_info: info, active: false, connected: false } } }, ATTACHED + 10);
    assert.equal(model.state(ATTACHED + 10).frameworks.get('F2')?.state, 'disconnected');
    model.apply({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: info } }, ATTACHED + 20);
    assert.equal(model.state(ATTACHED + 20).frameworks.get('F2')?.state, 'removed');
    assert.deepEqual(model.records(-1, 10).map((r) => r.type), ['framework.subscribed', 'framework.disconnected', 'framework.removed']);
  });

  it('reads resources defensively', () => {
    assert.deepEqual(resourcesOfV1([{ name: 'cpus', scalar: { value: 2 } }, { name: 'gpus', scalar: { value: 'x' } }, { name: 'ports', ranges: { range: [{ begin: 5, end: 3 }] } }, 'junk', null]), { cpus: 2, mem: 0, disk: 0, gpus: 0, ports: [] });
    assert.deepEqual(resourcesOfV1(undefined).cpus, 0);
  });

  it('ignores an unknown event type and malformed records without throwing', () => {
    const model = subscribedModel();
    assert.equal(model.apply({ type: 'SOMETHING_NEW' }, ATTACHED), false);
    assert.equal(model.apply({ type: 'TASK_UPDATED', task_updated: { status: {} } }, ATTACHED), true);
    assert.equal(model.apply({ type: 'TASK_ADDED' }, ATTACHED), true);
    assert.equal(model.state(ATTACHED).tasks.size, 1);
  });
});
