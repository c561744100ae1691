import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterProjection, project } from '../../../src/core/projection.js';
import type { HistoryRecord } from '../../../src/core/events.js';
import type { ClusterState } from '../../../src/core/state.js';
import { story } from './story.js';
import { res } from '../../helpers/resources.js';

/** The story most tests start from: 3 agents of cpus:4;mem:4096, framework web with 2 running tasks. */
function twoRunning() {
  return story()
    .start()
    .subscribe('web')
    .at(1_000)
    .launch('web', 'web.1', 'agent-1')
    .launch('web', 'web.2', 'agent-2', 'cpus:2;mem:512')
    .after(10)
    .run('web.1', 'web.2');
}

function agent(state: ClusterState, id: string) {
  const view = state.agents.get(id);
  assert.ok(view, `agent ${id} in the snapshot`);
  return view;
}

function task(state: ClusterState, id: string) {
  const view = state.tasks.get(id);
  assert.ok(view, `task ${id} in the snapshot`);
  return view;
}

describe('ClusterProjection: folding a story', () => {
  it('shows masters, agents, frameworks, tasks, offers and totals of a healthy cluster', () => {
    const s = twoRunning().after(100).offer('web', 'agent-3', 'cpus:4;mem:4096');
    const state = project(s.records);

    assert.equal(state.seed, '42');
    assert.equal(state.nowMs, 1_110);
    assert.deepEqual(state.leader, { node: 'master-1', masterId: 'm1', epoch: 1 });
    assert.equal(state.masters.get('master-1')?.state, 'leading');
    assert.equal(state.masters.get('master-1')?.electedAtMs, 0);

    const a1 = agent(state, 'm1-S1');
    assert.equal(a1.host, 'agent-1');
    assert.equal(a1.state, 'registered');
    assert.equal(a1.taskCount, 1);
    assert.equal(a1.used.cpus, 1);
    assert.equal(a1.used.mem, 128);
    assert.equal(agent(state, 'm1-S2').used.cpus, 2);
    assert.equal(agent(state, 'm1-S3').offered.cpus, 4);
    assert.equal(agent(state, 'm1-S3').taskCount, 0);

    const web = state.frameworks.get(s.frameworkId('web'));
    assert.equal(web?.state, 'active');
    assert.equal(web?.activeTasks, 2);
    assert.deepEqual([web?.used.cpus, web?.used.mem], [3, 640]);
    assert.equal(web?.offered.cpus, 4);

    const t1 = task(state, 'web.1');
    assert.equal(t1.state, 'TASK_RUNNING');
    assert.equal(t1.host, 'agent-1');
    assert.deepEqual(
      t1.history.map((line) => line.state),
      ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING'],
    );

    assert.equal(state.offers.size, 1, 'the launch offers were accepted, one is outstanding');
    assert.equal(state.counts.tasksByState.TASK_RUNNING, 2);
    assert.equal(state.counts.tasksByState.TASK_STAGING, 0);
    assert.equal(state.counts.agentsByState.registered, 3);
    assert.deepEqual([state.counts.total.cpus, state.counts.total.mem], [12, 12_288]);
    assert.deepEqual([state.counts.used.cpus, state.counts.used.mem], [3, 640]);
    assert.deepEqual([state.counts.offered.cpus, state.counts.offered.mem], [4, 4096]);
  });

  it('marks an agent unreachable: offers rescinded, tasks UNREACHABLE and no longer counted (as Mesos moves them to unreachable_tasks), out of the totals', () => {
    const s = twoRunning().after(100).offer('web', 'agent-1', 'cpus:3;mem:1024').at(5_000).unreachable('agent-1');
    const state = project(s.records);
    const a1 = agent(state, 'm1-S1');
    assert.equal(a1.state, 'unreachable');
    assert.equal(a1.unreachableSinceMs, 5_000);
    assert.equal(a1.offered.cpus, 0);
    assert.equal(state.offers.size, 0);
    assert.equal(a1.used.cpus, 0, 'the master no longer counts an unreachable agent’s tasks (Mesos: unreachable_tasks, resources recovered)');
    assert.equal(a1.taskCount, 0);
    assert.equal(a1.registry, 'unreachable');
    assert.equal(task(state, 'web.1').state, 'TASK_UNREACHABLE');
    assert.equal(state.counts.tasksByState.TASK_UNREACHABLE, 1);
    assert.equal(state.counts.agentsByState.unreachable, 1);
    assert.equal(state.counts.agentsByState.registered, 2);
    assert.equal(state.counts.total.cpus, 8);
    assert.equal(state.counts.used.cpus, 2);

    const healed = project(s.at(9_000).reregister('agent-1').records);
    assert.equal(agent(healed, 'm1-S1').state, 'registered');
    assert.equal(agent(healed, 'm1-S1').unreachableSinceMs, null);
    assert.equal(task(healed, 'web.1').state, 'TASK_RUNNING');
    assert.equal(task(healed, 'web.1').reason, 'REASON_AGENT_REREGISTERED');
    assert.equal(agent(healed, 'm1-S1').used.cpus, 1, 'back: counted again');
    assert.equal(healed.counts.total.cpus, 12);
  });

  it('shows a killed host as down at once, and removed once its host reboots as a new agent', () => {
    const s = twoRunning().at(2_000).killHost('agent-1');
    let state = project(s.records);
    assert.equal(agent(state, 'm1-S1').state, 'down');
    assert.equal(state.counts.agentsByState.down, 1);
    assert.equal(state.counts.total.cpus, 8, 'a dead host offers nothing');

    s.at(3_000).emit({ type: 'node.started', node: 'agent-1', role: 'agent' });
    state = project(s.records);
    assert.equal(agent(state, 'm1-S1').state, 'registered', 'the master has not noticed anything yet');

    s.registerAgent('agent-1');
    s.emit({ type: 'agent.removed', agentId: 'm1-S1', host: 'agent-1', reason: 'restarted', epoch: 1 });
    s.emit({
      type: 'task.updated',
      taskId: 'web.1',
      frameworkId: s.frameworkId('web'),
      agentId: 'm1-S1',
      state: 'TASK_GONE',
      reason: 'REASON_AGENT_RESTARTED',
      source: 'SOURCE_MASTER',
      message: null,
    });
    state = project(s.records);
    assert.equal(agent(state, 'm1-S1').state, 'removed');
    assert.equal(agent(state, 'm1-S1').used.cpus, 0);
    assert.equal(agent(state, 'm1-S4').state, 'registered');
    assert.equal(state.counts.agentsByState.removed, 1);
    assert.equal(state.counts.agentsByState.registered, 3);
    assert.equal(state.frameworks.get(s.frameworkId('web'))?.activeTasks, 1);
  });

  it('releases the resources of tasks a non-partition-aware framework sees as LOST when their agent is removed', () => {
    const s = story().start({ agents: ['agent-1'] }).subscribe('batch', { partitionAware: false });
    s.at(100).launch('batch', 'b.1', 'agent-1').run('b.1');
    s.at(200).unreachable('agent-1');
    let state = project(s.records);
    assert.equal(task(state, 'b.1').state, 'TASK_LOST');
    assert.equal(state.frameworks.get(s.frameworkId('batch'))?.activeTasks, 0, 'LOST on an unreachable agent: the master no longer counts it');
    s.at(300).emit({ type: 'agent.removed', agentId: 'm1-S1', host: 'agent-1', reason: 'gone', epoch: 1 });
    state = project(s.records);
    assert.equal(state.frameworks.get(s.frameworkId('batch'))?.activeTasks, 0);
    assert.equal(state.frameworks.get(s.frameworkId('batch'))?.used.cpus, 0);
    assert.equal(task(state, 'b.1').state, 'TASK_LOST', 'the task keeps the state the framework was told');
  });

  it('follows pause and resume of an agent host and of a master', () => {
    const s = twoRunning().at(2_000).emit({ type: 'node.paused', node: 'agent-2' }).emit({ type: 'node.paused', node: 'master-1' });
    let state = project(s.records);
    assert.equal(agent(state, 'm1-S2').state, 'paused');
    assert.equal(state.masters.get('master-1')?.state, 'paused');
    assert.equal(state.leader?.node, 'master-1', 'a paused leader still leads until its session expires');
    s.at(2_500).emit({ type: 'node.resumed', node: 'agent-2' }).emit({ type: 'node.resumed', node: 'master-1' });
    state = project(s.records);
    assert.equal(agent(state, 'm1-S2').state, 'registered');
    assert.equal(state.masters.get('master-1')?.state, 'leading');
  });

  it('fails over: the old leader goes down, offers vanish, the new leader and epoch show', () => {
    const s = twoRunning().after(100).offer('web', 'agent-3', 'cpus:4;mem:4096');
    s.at(3_000).fault({ kind: 'kill-master', node: 'master-1' }).emit({ type: 'node.stopped', node: 'master-1', role: 'master', reason: 'killed' });
    let state = project(s.records);
    assert.equal(state.leader, null);
    assert.equal(state.masters.get('master-1')?.state, 'down');
    assert.equal(state.offers.size, 0);
    assert.equal(agent(state, 'm1-S3').offered.cpus, 0);
    assert.equal(state.frameworks.get(s.frameworkId('web'))?.offered.cpus, 0);

    s.at(5_000).elect('master-2');
    state = project(s.records);
    assert.deepEqual(state.leader, { node: 'master-2', masterId: 'm2', epoch: 2 });
    assert.equal(state.masters.get('master-2')?.state, 'leading');
    assert.equal(state.masters.get('master-2')?.epoch, 2);
    assert.equal(state.masters.get('master-1')?.state, 'down');
    assert.equal(task(state, 'web.1').state, 'TASK_RUNNING', 'tasks outlive the master');
  });

  it('after a failover, tasks of an agent that never reregistered show UNREACHABLE once the new master times it out', () => {
    const s = twoRunning();
    s.at(3_000).emit({ type: 'node.stopped', node: 'master-1', role: 'master', reason: 'killed' });
    s.at(5_000).elect('master-2');
    const agentId = s.agentId('agent-1');
    assert.equal(task(project(s.records), 'web.1').state, 'TASK_RUNNING');
    s.at(15_000).emit({ type: 'agent.unreachable', agentId, host: 'agent-1', epoch: 2 });
    const state = project(s.records);
    const onAgent = [...state.tasks.values()].filter((t) => t.agentId === agentId);
    assert.ok(onAgent.length > 0);
    for (const t of onAgent) {
      assert.equal(t.state, 'TASK_UNREACHABLE');
      assert.equal(t.reason, 'REASON_AGENT_REMOVED');
    }
    // The same event in the epoch the agent registered in changes no task by itself (the master reports them).
    const same = twoRunning();
    same.at(3_000).emit({ type: 'agent.unreachable', agentId: same.agentId('agent-1'), host: 'agent-1', epoch: same.currentEpoch() });
    assert.equal(task(project(same.records), 'web.1').state, 'TASK_RUNNING');
  });

  it('a new leader that finds an agent unreachable in the registry (marked by a leader deposed before it saw the commit, so never announced): its tasks show UNREACHABLE (fuzz seed 516)', () => {
    const s = twoRunning();
    const agentId = s.agentId('agent-1');
    s.at(3_000).emit({ type: 'master.deposed', node: 'master-1', epoch: 1, reason: 'registry mark recovered agents unreachable failed' });
    s.at(3_010).elect('master-2');
    s.emit({ type: 'master.recovered', node: 'master-2', epoch: s.currentEpoch(), agentsInRegistry: 3, unreachableAgentIds: [agentId] });
    const state = project(s.records);
    assert.equal(agent(state, agentId).registry, 'unreachable');
    assert.equal(task(state, 'web.1').state, 'TASK_UNREACHABLE');
    assert.equal(task(state, 'web.1').reason, 'REASON_AGENT_REMOVED');
    assert.equal(task(state, 'web.2').state, 'TASK_RUNNING', 'agent-2 is not in the list');
    // An agent the history already shows unreachable (or that reregistered since) is left as it is.
    s.at(4_000).reregister('agent-1');
    s.at(5_000).elect('master-3');
    s.emit({ type: 'master.recovered', node: 'master-3', epoch: s.currentEpoch(), agentsInRegistry: 3, unreachableAgentIds: [] });
    assert.equal(agent(project(s.records), agentId).registry, 'registered');
  });

  it('drops the old leader’s offers when another master is elected without the old one stopping first', () => {
    const s = twoRunning().after(100).offer('web', 'agent-3', 'cpus:4;mem:4096').at(4_000).elect('master-2');
    const state = project(s.records);
    assert.equal(state.offers.size, 0);
    assert.equal(state.counts.offered.cpus, 0);
    assert.equal(state.masters.get('master-1')?.state, 'standby');
    assert.equal(state.masters.get('master-2')?.state, 'leading');
  });

  it('disconnects and removes frameworks, dropping their offers', () => {
    const s = twoRunning().after(100).offer('web', 'agent-3', 'cpus:1;mem:64');
    s.at(2_000).emit({ type: 'framework.disconnected', frameworkId: s.frameworkId('web'), reason: 'test', epoch: 1 });
    let state = project(s.records);
    assert.equal(state.frameworks.get(s.frameworkId('web'))?.state, 'disconnected');
    assert.equal(state.offers.size, 0);
    s.at(3_000).emit({ type: 'framework.resubscribed', frameworkId: s.frameworkId('web'), name: 'web', node: 'scheduler-web-2', epoch: 1 });
    state = project(s.records);
    assert.equal(state.frameworks.get(s.frameworkId('web'))?.state, 'active');
    assert.equal(state.frameworks.get(s.frameworkId('web'))?.node, 'scheduler-web-2');
    assert.equal(state.frameworks.get(s.frameworkId('web'))?.activeTasks, 2, 'tasks stay with the framework');
    s.at(4_000).emit({ type: 'framework.removed', frameworkId: s.frameworkId('web'), reason: 'failover timeout', epoch: 1 });
    for (const id of ['web.1', 'web.2']) s.status(id, 'TASK_KILLED', { reason: 'REASON_FRAMEWORK_REMOVED' });
    state = project(s.records);
    assert.equal(state.frameworks.get(s.frameworkId('web'))?.state, 'removed');
    assert.equal(state.frameworks.get(s.frameworkId('web'))?.activeTasks, 0);
    assert.equal(state.counts.used.cpus, 0);
    assert.equal(state.counts.tasksByState.TASK_KILLED, 2);
  });

  it('removes an offer on accept, decline and rescind', () => {
    for (const end of ['offer.accepted', 'offer.declined', 'offer.rescinded'] as const) {
      let offerId = '';
      const s = story().start({ agents: ['agent-1'] }).subscribe('web').offer('web', 'agent-1', 'cpus:2;mem:256', (id) => (offerId = id));
      assert.equal(project(s.records).offers.size, 1);
      const frameworkId = s.frameworkId('web');
      if (end === 'offer.accepted') s.emit({ type: end, offerId, frameworkId, taskIds: [] });
      else if (end === 'offer.declined') s.emit({ type: end, offerId, frameworkId, refuseMs: 5_000 });
      else s.emit({ type: end, offerId, frameworkId, reason: 'agent unreachable' });
      const state = project(s.records);
      assert.equal(state.offers.size, 0, end);
      assert.equal(agent(state, 'm1-S1').offered.cpus, 0, end);
      assert.equal(state.counts.offered.cpus, 0, end);
    }
  });

  it('gathers the ports tasks and offers hold on an agent', () => {
    const s = story().start({ agents: ['agent-1'] }).subscribe('web');
    s.launch('web', 'web.1', 'agent-1', 'cpus:1;mem:64;ports:[31000-31001]').launch('web', 'web.2', 'agent-1', 'cpus:1;mem:64;ports:[31002]');
    s.offer('web', 'agent-1', 'cpus:1;mem:64;ports:[31500-31599]');
    let state = project(s.records);
    assert.deepEqual(agent(state, 'm1-S1').used.ports, [{ begin: 31000, end: 31002 }]);
    assert.deepEqual(agent(state, 'm1-S1').offered.ports, [{ begin: 31500, end: 31599 }]);
    assert.deepEqual(state.counts.used.ports, [], 'cluster totals carry no ports');
    state = project(s.status('web.1', 'TASK_FAILED').records);
    assert.deepEqual(agent(state, 'm1-S1').used.ports, [{ begin: 31002, end: 31002 }]);
  });

  it('swaps an agent’s total when it reregisters with other resources', () => {
    const s = story().start({ agents: ['agent-1', 'agent-2'] });
    s.at(100).emit({ type: 'agent.reregistered', agentId: 'm1-S1', host: 'agent-1', resources: res('cpus:8;mem:8192'), epoch: 1 });
    const state = project(s.records);
    assert.equal(agent(state, 'm1-S1').resources.cpus, 8);
    assert.deepEqual([state.counts.total.cpus, state.counts.total.mem], [12, 12_288]);
    assert.equal(state.counts.agentsByState.registered, 2);
  });

  it('counts a task the master rejected without a launch (TASK_ERROR) and keeps it off the agent', () => {
    const s = story().start({ agents: ['agent-1'] }).subscribe('web');
    s.emit({
      type: 'task.updated',
      taskId: 'bad',
      frameworkId: s.frameworkId('web'),
      agentId: 'm1-S1',
      state: 'TASK_ERROR',
      reason: 'REASON_TASK_INVALID',
      source: 'SOURCE_MASTER',
      message: 'resources empty',
    });
    const state = project(s.records);
    assert.equal(state.counts.tasksByState.TASK_ERROR, 1);
    assert.equal(task(state, 'bad').history[0]?.message, 'resources empty');
    assert.equal(agent(state, 'm1-S1').taskCount, 0);
  });
});

describe('ClusterProjection: bounded memory', () => {
  it('keeps only the newest terminal tasks while the counts stay exact', () => {
    const s = story().start({ agents: ['agent-1'], resources: 'cpus:100;mem:100000' }).subscribe('batch');
    for (let i = 0; i < 10; i += 1) s.after(10).launch('batch', `job.${i}`, 'agent-1').run(`job.${i}`).status(`job.${i}`, 'TASK_FINISHED');
    s.launch('batch', 'job.live', 'agent-1').run('job.live');
    const state = project(s.records, { maxTerminalTasks: 3 });
    assert.deepEqual([...state.tasks.keys()], ['job.7', 'job.8', 'job.9', 'job.live']);
    assert.equal(state.counts.tasksByState.TASK_FINISHED, 10);
    assert.equal(state.counts.tasksByState.TASK_RUNNING, 1);
    assert.equal(state.agents.get('m1-S1')?.taskCount, 1);
  });

  it('bounds tasks first seen already terminal (rejected launches) too', () => {
    const s = story().start({ agents: ['agent-1'] }).subscribe('web');
    for (let i = 0; i < 6; i += 1) {
      const taskId = `bad.${i}`;
      s.after(1).emit({ type: 'task.updated', taskId, frameworkId: s.frameworkId('web'), agentId: 'm1-S1', state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID', source: 'SOURCE_MASTER', message: null });
    }
    const state = project(s.records, { maxTerminalTasks: 2 });
    assert.deepEqual([...state.tasks.keys()], ['bad.4', 'bad.5']);
    assert.equal(state.counts.tasksByState.TASK_ERROR, 6);
  });

  it('ignores a late duplicate update of an evicted task instead of counting it twice', () => {
    const s = story().start({ agents: ['agent-1'], resources: 'cpus:100;mem:100000' }).subscribe('batch');
    for (let i = 0; i < 4; i += 1) s.after(10).launch('batch', `job.${i}`, 'agent-1').run(`job.${i}`).status(`job.${i}`, 'TASK_FINISHED');
    const frameworkId = s.frameworkId('batch');
    // The agent resent job.0's FINISHED (the ack was lost): the master records it again.
    s.emit({ type: 'task.updated', taskId: 'job.0', frameworkId, agentId: 'm1-S1', state: 'TASK_FINISHED', reason: null, source: 'SOURCE_EXECUTOR', message: null });
    const state = project(s.records, { maxTerminalTasks: 2 });
    assert.equal(state.counts.tasksByState.TASK_FINISHED, 4);
    assert.equal(state.tasks.has('job.0'), false);
  });

  it('follows a task that leaves a terminal state (illegal, but shown as reported) without miscounting the bound', () => {
    const s = story().start({ agents: ['agent-1'] }).subscribe('web').launch('web', 'a', 'agent-1').launch('web', 'b', 'agent-1').run('a', 'b');
    s.status('a', 'TASK_FINISHED');
    s.emit({ type: 'task.updated', taskId: 'a', frameworkId: s.frameworkId('web'), agentId: 'm1-S1', state: 'TASK_RUNNING', reason: null, source: 'SOURCE_MASTER', message: null });
    s.status('b', 'TASK_FINISHED');
    const state = project(s.records, { maxTerminalTasks: 1 });
    assert.equal(task(state, 'a').state, 'TASK_RUNNING');
    assert.equal(agent(state, 'm1-S1').taskCount, 1, 'a holds its resources again');
    assert.equal(task(state, 'b').state, 'TASK_FINISHED', 'b is the only terminal task: within the bound of 1');
  });

  it('bounds each task’s status history to the newest lines', () => {
    const s = story().start({ agents: ['agent-1'] }).subscribe('web').launch('web', 'w', 'agent-1').run('w');
    for (let i = 0; i < 5; i += 1) s.after(1).unreachable('agent-1').after(1).reregister('agent-1');
    const lines = task(project(s.records, { statusHistoryLength: 4 }), 'w').history;
    assert.equal(lines.length, 4);
    assert.deepEqual(
      lines.map((l) => l.state),
      ['TASK_UNREACHABLE', 'TASK_RUNNING', 'TASK_UNREACHABLE', 'TASK_RUNNING'],
    );
    assert.equal(lines[3]?.atMs, s.now());
  });
});

describe('ClusterProjection: incremental use', () => {
  it('returns the same snapshot object until a record arrives; maps and views are live, counts are not', () => {
    const s = twoRunning();
    const projection = new ClusterProjection();
    for (const r of s.records) projection.apply(r);
    const first = projection.snapshot();
    assert.equal(projection.snapshot(), first, 'nothing changed: no new object');
    const web1 = first.tasks.get('web.1');
    const usedBefore = first.agents.get('m1-S1')?.used;
    s.after(5).status('web.1', 'TASK_FINISHED');
    for (const r of s.records.slice(-5)) projection.apply(r);
    const second = projection.snapshot();
    assert.notEqual(second, first, 'a change gives a new snapshot object (the TUI memoises on it)');
    assert.equal(second.tasks, first.tasks, 'maps are handed out live');
    assert.equal(second.tasks.get('web.1'), web1, 'views are updated in place');
    assert.equal(web1?.state, 'TASK_FINISHED');
    assert.equal(second.agents.get('m1-S1')?.used.cpus, 0, 'used is rebuilt at the snapshot');
    assert.equal(usedBefore?.cpus, 1, 'an older Resources value is not mutated');
    assert.equal(second.counts.tasksByState.TASK_FINISHED, 1);
    assert.equal(first.counts.tasksByState.TASK_FINISHED, 0, 'counts of an older snapshot stay as they were');
    assert.equal(projection.snapshot().counts, second.counts, 'counts are rebuilt only after a change');
  });

  it('gives the same state applied one by one with snapshots in between as folded at once', () => {
    const s = twoRunning().at(2_000).unreachable('agent-1').at(2_500).launch('web', 'web.3', 'agent-3').run('web.3');
    s.at(3_000).reregister('agent-1').status('web.3', 'TASK_KILLED').after(10).killHost('agent-2');
    const projection = new ClusterProjection();
    for (const r of s.records) {
      projection.apply(r);
      projection.snapshot();
    }
    assert.deepEqual(plain(projection.snapshot()), plain(project(s.records)));
  });

  it('used and totals return to exactly zero after many fractional launches and ends', () => {
    const s = story().start({ agents: ['agent-1'], resources: 'cpus:8;mem:8192' }).subscribe('batch');
    for (let i = 0; i < 30; i += 1) s.launch('batch', `t${i}`, 'agent-1', 'cpus:0.1;mem:0.3').run(`t${i}`);
    for (let i = 0; i < 30; i += 1) s.status(`t${i}`, 'TASK_FINISHED');
    const state = project(s.records);
    assert.equal(state.counts.used.cpus, 0);
    assert.equal(state.counts.used.mem, 0);
    assert.equal(agent(state, 'm1-S1').used.cpus, 0);
    assert.equal(state.frameworks.get(s.frameworkId('batch'))?.used.mem, 0);
  });

  it('crashes on a record type it does not know rather than ignoring it', () => {
    const bogus = { seq: 0, atMs: 0, type: 'agent.exploded' } as unknown as HistoryRecord;
    assert.throws(() => new ClusterProjection().apply(bogus), /unexpected history record/);
  });
});

/** A comparable plain copy of a state (maps to entry arrays). */
function plain(state: ClusterState): unknown {
  return JSON.parse(
    JSON.stringify(state, (_key, value: unknown) => (value instanceof Map ? [...(value as Map<string, unknown>).entries()] : value)),
  );
}


describe('ClusterProjection: the master’s view beside the ground truth', () => {
  it('a killed agent stays registered in the master’s view until it is marked unreachable; the truth says down', () => {
    const s = twoRunning().at(2_000).killHost('agent-1');
    let state = project(s.records);
    const a1 = agent(state, 'm1-S1');
    assert.equal(a1.registry, 'registered', 'the master has not noticed yet');
    assert.equal(a1.condition, 'down', 'the simulation knows');
    assert.equal(a1.state, 'down', 'the combined reading scenario conditions count is unchanged');
    s.at(6_000).unreachable('agent-1');
    state = project(s.records);
    assert.equal(agent(state, 'm1-S1').registry, 'unreachable');
    assert.equal(agent(state, 'm1-S1').condition, 'down');
  });

  it('a service of 2 that replaced its unreachable task shows 2 active tasks, not 3', () => {
    const s = twoRunning().at(2_000).killHost('agent-1').at(6_000).unreachable('agent-1');
    s.at(7_000).launch('web', 'web.3', 'agent-3').after(10).run('web.3');
    const state = project(s.records);
    const web = state.frameworks.get(s.frameworkId('web'));
    assert.equal(task(state, 'web.1').state, 'TASK_UNREACHABLE');
    assert.equal(web?.activeTasks, 2, 'the unreachable task is not the framework’s active task');
    assert.equal(web?.used.cpus, 3, 'web.2 (2 cpus) and web.3 (1 cpu)');
  });
});
