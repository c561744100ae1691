import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultlineInfo } from '../../src/api/faultline-call.js';
import { statusHistory, WebModel, type TaskRow } from '../../src/web/model.js';
import { recordedState, REPLAYED_EVENTS } from '../helpers/mesos-operator-fixture.js';

function taskOf(m: WebModel, id: string): TaskRow {
  const task = m.tasks.get(id);
  assert.ok(task, `task ${id}`);
  return task;
}

function info(faults: FaultlineInfo['faults'], agentStates: Record<string, string> = {}, epoch = 1): FaultlineInfo {
  return { chaos_allowed: true, chaos_reason: '', masters: [{ node: 'master-1', state: 'leading', master_id: 'm1', epoch, elected_time: 1 }], agent_states: agentStates, agents_serve_files: false, faults };
}

describe('the page model', () => {
  it('builds agents, frameworks, offers and task counts from a Mesos GET_STATE', () => {
    const m = new WebModel();
    m.snapshot(recordedState());
    assert.deepEqual([...m.agents.values()].map((a) => [a.hostname, a.state, a.total.cpus]), [
      ['mesos-agent-a.example', 'active', 8],
      ['mesos-agent-b.example', 'active', 8],
    ]);
    assert.deepEqual([...m.frameworks.values()].map((f) => [f.name, f.connected, f.roles]), [['marathon', true, ['*']]]);
    assert.equal(m.offers.length, 1);
    assert.equal(m.offers[0]?.resources.cpus, 7.5);
    assert.equal(m.running(), 1);
    assert.deepEqual(m.usedResources(), { cpus: 0.5, mem: 128, disk: 0, gpus: 0 });
    assert.deepEqual(statusHistory(taskOf(m, 'nginx.1a2b')).map((s) => s.state), ['TASK_STARTING', 'TASK_RUNNING']);
  });

  it('follows TASK_ADDED and TASK_UPDATED (latest state, history, counts) and writes Events lines', () => {
    const m = new WebModel();
    m.snapshot(recordedState());
    for (const e of REPLAYED_EVENTS) assert.equal(m.apply(e, 1000), true);
    assert.equal(m.tasks.get('redis.3c4d')?.state, 'TASK_RUNNING');
    assert.deepEqual(statusHistory(taskOf(m, 'redis.3c4d')).map((s) => [s.state, s.timeSec, s.source]), [
      ['TASK_STARTING', 1733100010.2, 'SOURCE_EXECUTOR'],
      ['TASK_RUNNING', 1733100010.9, 'SOURCE_EXECUTOR'],
    ]);
    assert.equal(m.running(), 2);
    assert.equal(m.taskCounts.get('TASK_STAGING'), 0);
    assert.deepEqual(m.events.map((e) => e.text), ['task redis.3c4d added on agent mesos-agent-b.example: staging', 'task redis.3c4d is starting', 'task redis.3c4d is running']);
    assert.equal(m.events[0]?.href, '#/tasks/redis.3c4d');
  });

  it('marks removed agents and frameworks, and ignores unknown events', () => {
    const m = new WebModel();
    m.snapshot(recordedState());
    const agentId = [...m.agents.keys()][0] as string;
    m.apply({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: agentId } } }, 1);
    assert.equal(m.agents.get(agentId)?.state, 'removed');
    const frameworkId = [...m.frameworks.keys()][0] as string;
    m.apply({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: { id: { value: frameworkId } } } }, 2);
    assert.equal(m.frameworks.get(frameworkId)?.removed, true);
    assert.equal(m.apply({ type: 'SOMETHING_NEW' }, 3), false);
    assert.equal(m.apply({ type: 'TASK_UPDATED', task_updated: {} }, 3), true); // malformed: nothing changes, nothing throws
  });

  it('merges faults by seq: earlier ones in Events only, its own once, others marked on the chart', () => {
    const m = new WebModel();
    m.snapshot(recordedState());
    const agentId = [...m.agents.keys()][1] as string;
    m.setInfo(info([{ seq: 3, time: 1.5, kind: 'heal', target: '', detail: 'heal' }]), 100);
    assert.equal(m.faults.length, 0);
    assert.match(m.events.at(-1)?.text ?? '', /earlier fault at 1\.5 s cluster time: heal/);
    m.markFault(200, 'kill-agent mesos-agent-b.example');
    m.setInfo(info([{ seq: 3, time: 1.5, kind: 'heal', target: '', detail: 'heal' }, { seq: 9, time: 4, kind: 'kill-agent', target: 'mesos-agent-b.example', detail: 'kill-agent mesos-agent-b.example' }, { seq: 12, time: 5, kind: 'failover', target: 'master-1', detail: 'failover master-1' }], { [agentId]: 'unreachable' }, 2), 300);
    assert.deepEqual(m.faults.map((f) => [f.atMs, f.text, f.seq]), [
      [200, 'kill-agent mesos-agent-b.example', 9],
      [300, 'failover master-1', 12],
    ]);
    assert.equal(m.agents.get(agentId)?.state, 'unreachable');
    assert.ok(m.events.some((e) => e.text === 'leader is now master-1 (epoch 2)'));
  });

  it('keeps at most the last chart points', () => {
    const m = new WebModel();
    for (let i = 0; i < 700; i++) m.sample(i);
    assert.equal(m.chart.length, 600);
    assert.equal(m.chart[0]?.atMs, 100);
  });
});
