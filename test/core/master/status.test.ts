import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskState } from '../../../src/core/task-state.js';
import { Harness, TASK_RESOURCES, clusterWithRunningTasks } from './harness.js';

/** One agent, one framework, task t1 launched (STAGING). */
function launched(partitionAware = true, timing = {}) {
  const h = new Harness({ timing });
  const agentId = h.registerAgent('agent-1');
  const fw = h.subscribe('scheduler-a', { partitionAware });
  h.launch('scheduler-a', fw, agentId, ['t1']);
  h.clear();
  return { h, agentId, fw };
}

test('status update: recorded, task.updated emitted, forwarded with its uuid to the scheduler', () => {
  const { h, agentId, fw } = launched();
  const status = h.statusUpdate('agent-1', agentId, fw, 't1', 'TASK_RUNNING');
  assert.deepEqual(h.ctx.events, [
    { type: 'task.updated', taskId: 't1', frameworkId: fw, agentId, state: 'TASK_RUNNING', reason: null, source: 'SOURCE_EXECUTOR', message: null },
  ]);
  assert.deepEqual(h.ctx.sent, [{ to: 'scheduler-a', message: { type: 'master.update', epoch: 1, status } }]);
  assert.equal(h.master.inspect().tasks.get('t1')?.state, 'TASK_RUNNING');
});

test('the master records latestState; the forwarded status is the older one the agent resends', () => {
  const { h, agentId, fw } = launched();
  h.statusUpdate('agent-1', agentId, fw, 't1', 'TASK_STARTING', { latestState: 'TASK_FINISHED' });
  assert.equal(h.master.inspect().tasks.get('t1')?.state, 'TASK_FINISHED');
  assert.deepEqual(h.ctx.eventsOfType('task.updated').map((e) => [e.state, e.reason, e.source]), [['TASK_FINISHED', null, 'SOURCE_AGENT']]);
  assert.deepEqual(h.updatesTo('scheduler-a').map((s) => s.state), ['TASK_STARTING']);
  assert.deepEqual(h.allocator.argsOf('recoverResources'), [[fw, agentId, TASK_RESOURCES, 0, h.ctx.nowMs]], 'a terminal latest state frees the resources at once');
  // The resend of the same update emits nothing new and frees nothing twice.
  h.statusUpdate('agent-1', agentId, fw, 't1', 'TASK_STARTING', { latestState: 'TASK_FINISHED' });
  assert.equal(h.ctx.eventsOfType('task.updated').length, 1);
  assert.equal(h.allocator.argsOf('recoverResources').length, 1);
});

for (const { state, legacySees } of [
  { state: 'TASK_DROPPED', legacySees: 'TASK_LOST' },
  { state: 'TASK_GONE', legacySees: 'TASK_LOST' },
  { state: 'TASK_FAILED', legacySees: 'TASK_FAILED' },
] as const satisfies ReadonlyArray<{ state: TaskState; legacySees: TaskState }>) {
  test(`a non-partition-aware framework gets ${state} as ${legacySees} (forward and task.updated)`, () => {
    const { h, agentId, fw } = launched(false);
    h.statusUpdate('agent-1', agentId, fw, 't1', state);
    assert.deepEqual(h.updatesTo('scheduler-a').map((s) => s.state), [legacySees]);
    assert.deepEqual(h.ctx.eventsOfType('task.updated').map((e) => e.state), [legacySees]);
    assert.equal(h.master.inspect().tasks.get('t1')?.state, state, 'the master keeps the real state');
  });
}

test('acknowledge: relayed to the agent; a terminal update acknowledged completes the task', () => {
  const { h, agentId, fw } = launched();
  const running = h.statusUpdate('agent-1', agentId, fw, 't1', 'TASK_RUNNING');
  h.ctx.deliver('scheduler-a', { type: 'scheduler.acknowledge', frameworkId: fw, agentId, taskId: 't1', uuid: running.uuid ?? '' });
  assert.deepEqual(h.ctx.sentOfType('master.status_update_ack'), [
    { to: 'agent-1', message: { type: 'master.status_update_ack', epoch: 1, frameworkId: fw, taskId: 't1', uuid: running.uuid ?? '' } },
  ]);
  assert.ok(h.master.inspect().tasks.has('t1'));
  const finished = h.statusUpdate('agent-1', agentId, fw, 't1', 'TASK_FINISHED');
  assert.ok(h.master.inspect().tasks.has('t1'), 'kept until the terminal update is acknowledged');
  h.ctx.deliver('scheduler-a', { type: 'scheduler.acknowledge', frameworkId: fw, agentId, taskId: 't1', uuid: 'some-other-uuid' });
  assert.ok(h.master.inspect().tasks.has('t1'), 'an ack for another uuid does not complete it');
  h.ctx.deliver('scheduler-a', { type: 'scheduler.acknowledge', frameworkId: fw, agentId, taskId: 't1', uuid: finished.uuid ?? '' });
  assert.equal(h.master.inspect().tasks.has('t1'), false);
  assert.deepEqual(h.master.inspect().frameworks.get(fw)?.completedTaskIds, ['t1']);
  assert.deepEqual(h.master.inspect().agents.get(agentId)?.taskIds, []);
  assert.equal(h.allocator.argsOf('recoverResources').length, 1);
  // A resend after completion is still forwarded (so it can be acked) and relayed.
  h.clear();
  h.statusUpdate('agent-1', agentId, fw, 't1', 'TASK_FINISHED');
  assert.deepEqual(h.updatesTo('scheduler-a').map((s) => s.state), ['TASK_FINISHED']);
  assert.deepEqual(h.ctx.events, []);
});

test('a disconnected framework: the state is still recorded (and resources freed), nothing is forwarded', () => {
  const { h, agentId, fw } = launched(true, { heartbeatIntervalMs: 1_000 });
  h.ctx.advance(3_000);
  assert.equal(h.master.inspect().frameworks.get(fw)?.state, 'disconnected');
  h.clear();
  h.statusUpdate('agent-1', agentId, fw, 't1', 'TASK_FAILED');
  assert.equal(h.master.inspect().tasks.get('t1')?.state, 'TASK_FAILED');
  assert.equal(h.ctx.eventsOfType('task.updated').length, 1);
  assert.deepEqual(h.updatesTo('scheduler-a'), []);
  assert.equal(h.allocator.argsOf('recoverResources').length, 1);
});

test('updates from an unknown agent, from the wrong node, or for a removed framework', () => {
  const { h, agentId, pa, legacy } = clusterWithRunningTasks();
  h.statusUpdate('agent-1', 'nobody-S9', pa, 'pa-1', 'TASK_FAILED');
  h.statusUpdate('agent-2', agentId, pa, 'pa-1', 'TASK_FAILED');
  assert.deepEqual(h.ctx.sent, []);
  assert.deepEqual(h.ctx.events, []);
  h.ctx.deliver('scheduler-legacy', { type: 'scheduler.teardown', frameworkId: legacy });
  h.clear();
  h.statusUpdate('agent-1', agentId, legacy, 'legacy-1', 'TASK_KILLED');
  assert.deepEqual(h.ctx.sent, [{ to: 'agent-1', message: { type: 'master.shutdown_framework', epoch: 1, frameworkId: legacy } }]);
});

test('an ack for an agent that is not registered is not relayed (the agent resends after reregistering)', () => {
  const { h, agentId, pa } = clusterWithRunningTasks({ timing: { agentPingTimeoutMs: 1_000 } });
  h.ctx.advance(3_000);
  h.clear();
  h.ctx.deliver('scheduler-pa', { type: 'scheduler.acknowledge', frameworkId: pa, agentId, taskId: 'pa-1', uuid: 'x' });
  assert.deepEqual(h.ctx.sentOfType('master.status_update_ack'), []);
});

test('kill: a known task is killed on its agent', () => {
  const { h, agentId, pa } = clusterWithRunningTasks();
  h.ctx.deliver('scheduler-pa', { type: 'scheduler.kill', frameworkId: pa, taskId: 'pa-1', agentId });
  assert.deepEqual(h.ctx.sent, [{ to: 'agent-1', message: { type: 'master.kill_task', epoch: 1, frameworkId: pa, taskId: 'pa-1' } }]);
});

for (const { partitionAware, node, expected } of [
  { partitionAware: true, node: 'scheduler-pa', expected: 'TASK_GONE' },
  { partitionAware: false, node: 'scheduler-legacy', expected: 'TASK_LOST' },
] as const) {
  test(`kill of an unknown task is answered like explicit reconciliation (${partitionAware ? 'partition-aware' : 'legacy'}: ${expected})`, () => {
    const { h, agentId, pa, legacy } = clusterWithRunningTasks();
    const fw = partitionAware ? pa : legacy;
    h.ctx.deliver(node, { type: 'scheduler.kill', frameworkId: fw, taskId: 'ghost', agentId });
    assert.deepEqual(h.ctx.sent, [
      {
        to: node,
        message: {
          type: 'master.update',
          epoch: 1,
          status: { taskId: 'ghost', frameworkId: fw, agentId, state: expected, reason: 'REASON_RECONCILIATION', source: 'SOURCE_MASTER', timestampMs: h.ctx.nowMs },
        },
      },
    ]);
    assert.deepEqual(h.ctx.sentOfType('master.kill_task'), []);
  });
}

test("kill of another framework's task is treated as unknown to the caller", () => {
  const { h, agentId, legacy } = clusterWithRunningTasks();
  h.ctx.deliver('scheduler-legacy', { type: 'scheduler.kill', frameworkId: legacy, taskId: 'pa-1', agentId });
  assert.deepEqual(h.ctx.sentOfType('master.kill_task'), []);
  assert.deepEqual(h.updatesTo('scheduler-legacy').map((s) => s.state), ['TASK_LOST']);
});

test('kill of a task on an unreachable agent: its latest state comes back, nothing is sent to the agent', () => {
  const { h, agentId, pa } = clusterWithRunningTasks({ timing: { agentPingTimeoutMs: 1_000 } });
  h.ctx.advance(3_000);
  h.clear();
  h.ctx.deliver('scheduler-pa', { type: 'scheduler.kill', frameworkId: pa, taskId: 'pa-1', agentId });
  assert.deepEqual(h.ctx.sentOfType('master.kill_task'), []);
  assert.deepEqual(h.updatesTo('scheduler-pa').map((s) => [s.state, s.reason]), [['TASK_UNREACHABLE', 'REASON_RECONCILIATION']]);
});

test('the completed-task list is bounded per framework (oldest forgotten first)', () => {
  const h = new Harness({ maxCompletedTasksPerFramework: 2 });
  const agentId = h.registerAgent('agent-1');
  const fw = h.subscribe('scheduler-a');
  h.launch('scheduler-a', fw, agentId, ['t1', 't2', 't3']);
  for (const taskId of ['t1', 't2', 't3']) {
    const s = h.statusUpdate('agent-1', agentId, fw, taskId, 'TASK_FINISHED');
    h.ctx.deliver('scheduler-a', { type: 'scheduler.acknowledge', frameworkId: fw, agentId, taskId, uuid: s.uuid ?? '' });
  }
  assert.deepEqual(h.master.inspect().frameworks.get(fw)?.completedTaskIds, ['t2', 't3']);
  assert.equal(h.master.inspect().tasks.size, 0);
});
