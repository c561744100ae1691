import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInMemoryRegistry } from '../../../src/core/master/index.js';
import type { ReconcileTask, TaskStatus } from '../../../src/core/messages.js';
import type { TaskState } from '../../../src/core/task-state.js';
import { Harness } from './harness.js';

/**
 * A master that took over from an older one: the registry holds a recovered
 * agent, a gone one and one unreachable since 42. In memory: agent-1 registered
 * with RUNNING task `live` and a completed task `done` (FINISHED), agent-2
 * marked unreachable with task `cut`, for framework `fw` (partition-aware or not).
 */
function cluster(partitionAware: boolean) {
  const registry = createInMemoryRegistry({
    agents: [
      { agentId: 'old-S1', host: 'agent-8', state: 'admitted', sinceMs: null },
      { agentId: 'old-S2', host: 'agent-9', state: 'gone', sinceMs: 7 },
      { agentId: 'old-S3', host: 'agent-7', state: 'unreachable', sinceMs: 42 },
    ],
    nextAgentNumber: 4,
  });
  const h = new Harness({ registry, timing: { agentPingTimeoutMs: 1_000, maxAgentPingTimeouts: 3 } });
  const a1 = h.registerAgent('agent-1');
  const a2 = h.registerAgent('agent-2');
  const fw = h.subscribe('scheduler-a', { partitionAware });
  h.launch('scheduler-a', fw, a1, ['live', 'done']);
  h.launch('scheduler-a', fw, a2, ['cut']);
  h.statusUpdate('agent-1', a1, fw, 'live', 'TASK_RUNNING');
  const finished = h.statusUpdate('agent-1', a1, fw, 'done', 'TASK_FINISHED');
  h.ctx.deliver('scheduler-a', { type: 'scheduler.acknowledge', frameworkId: fw, agentId: a1, taskId: 'done', uuid: finished.uuid ?? '' });
  // agent-2 falls silent; agent-1 and the scheduler keep talking.
  for (let i = 0; i < 4; i += 1) {
    h.ctx.deliver('agent-1', { type: 'agent.pong', agentId: a1, epoch: 1 });
    h.ctx.deliver('scheduler-a', { type: 'scheduler.heartbeat', frameworkId: fw });
    h.ctx.advance(1_000);
  }
  assert.deepEqual(h.ctx.eventsOfType('agent.unreachable').map((e) => e.agentId), [a2]);
  // The master's update about `cut` is stamped with the time agent-2 was marked unreachable.
  const cut = h.updatesTo('scheduler-a').find((s) => s.taskId === 'cut' && s.reason === 'REASON_AGENT_REMOVED');
  assert.ok(cut);
  const cutAtMs = cut.timestampMs;
  h.clear();
  return { h, a1, a2, fw, cutAtMs };
}

interface Row {
  readonly name: string;
  readonly request: (ids: { a1: string; a2: string }) => ReconcileTask;
  /** The partition-aware reply: state and agent, or null for no reply. */
  readonly reply: null | ((ids: { a1: string; a2: string; cutAtMs: number }) => { state: TaskState; agentId: string; unreachableTimeMs?: number });
}

const ROWS: readonly Row[] = [
  { name: 'known task: latest state', request: ({ a1 }) => ({ taskId: 'live', agentId: a1 }), reply: ({ a1 }) => ({ state: 'TASK_RUNNING', agentId: a1 }) },
  { name: 'known task, agent not named: latest state', request: () => ({ taskId: 'live' }), reply: ({ a1 }) => ({ state: 'TASK_RUNNING', agentId: a1 }) },
  // Mesos looks up active tasks only: an ended, acknowledged task is unknown, never its old terminal state.
  { name: 'completed and acknowledged task, agent registered: TASK_GONE', request: ({ a1 }) => ({ taskId: 'done', agentId: a1 }), reply: ({ a1 }) => ({ state: 'TASK_GONE', agentId: a1 }) },
  {
    name: 'known task on an unreachable agent: TASK_UNREACHABLE',
    request: ({ a2 }) => ({ taskId: 'cut', agentId: a2 }),
    reply: ({ a2, cutAtMs }) => ({ state: 'TASK_UNREACHABLE', agentId: a2, unreachableTimeMs: cutAtMs }),
  },
  { name: 'unknown task, agent recovered but not reregistered: no reply', request: () => ({ taskId: 'ghost', agentId: 'old-S1' }), reply: null },
  { name: 'unknown task, agent registered: TASK_GONE', request: ({ a1 }) => ({ taskId: 'ghost', agentId: a1 }), reply: ({ a1 }) => ({ state: 'TASK_GONE', agentId: a1 }) },
  {
    name: 'unknown task, agent unreachable (in memory): TASK_UNREACHABLE',
    request: ({ a2 }) => ({ taskId: 'ghost', agentId: a2 }),
    reply: ({ a2, cutAtMs }) => ({ state: 'TASK_UNREACHABLE', agentId: a2, unreachableTimeMs: cutAtMs }),
  },
  {
    name: 'unknown task, agent unreachable (registry only): TASK_UNREACHABLE',
    request: () => ({ taskId: 'ghost', agentId: 'old-S3' }),
    reply: () => ({ state: 'TASK_UNREACHABLE', agentId: 'old-S3', unreachableTimeMs: 42 }),
  },
  { name: 'unknown task, agent gone: TASK_GONE_BY_OPERATOR', request: () => ({ taskId: 'ghost', agentId: 'old-S2' }), reply: () => ({ state: 'TASK_GONE_BY_OPERATOR', agentId: 'old-S2' }) },
  { name: 'unknown task, agent unknown: TASK_UNKNOWN', request: () => ({ taskId: 'ghost', agentId: 'never-S5' }), reply: () => ({ state: 'TASK_UNKNOWN', agentId: 'never-S5' }) },
  // Mesos `Master::reconcile` case (2): the task may be on an agent that has not reregistered yet.
  { name: 'ReconciliationTest.RecoveredAgent: unknown task, no agent named, an agent still recovered: no reply', request: () => ({ taskId: 'ghost' }), reply: null },
];

for (const partitionAware of [true, false]) {
  for (const row of ROWS) {
    test(`explicit reconciliation (${partitionAware ? 'partition-aware' : 'legacy'}): ${row.name}`, () => {
      const { h, a1, a2, fw, cutAtMs } = cluster(partitionAware);
      h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [row.request({ a1, a2 })] });
      const expected = row.reply?.({ a1, a2, cutAtMs });
      if (!expected) {
        assert.deepEqual(h.ctx.sent, []);
        return;
      }
      const state: TaskState = partitionAware || !['TASK_UNREACHABLE', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN'].includes(expected.state) ? expected.state : 'TASK_LOST';
      const status: TaskStatus = {
        taskId: row.request({ a1, a2 }).taskId,
        frameworkId: fw,
        agentId: expected.agentId,
        state,
        reason: 'REASON_RECONCILIATION',
        source: 'SOURCE_MASTER',
        timestampMs: h.ctx.nowMs,
        // Mesos sets unreachable_time on the TASK_LOST a non-partition-aware framework gets for TASK_UNREACHABLE too.
        ...(expected.unreachableTimeMs === undefined ? {} : { unreachableTimeMs: expected.unreachableTimeMs }),
      };
      assert.deepEqual(h.ctx.sent, [{ to: 'scheduler-a', message: { type: 'master.update', epoch: 1, status } }]);
      assert.deepEqual(h.ctx.events, [], 'reconciliation changes no state');
    });
  }
}

for (const partitionAware of [true, false]) {
  test(`implicit reconciliation (${partitionAware ? 'partition-aware' : 'legacy'}): the latest state of every task the master knows for the framework`, () => {
    const { h, a1, a2, fw } = cluster(partitionAware);
    const other = h.subscribe('scheduler-b');
    h.launch('scheduler-b', other, a1, ['theirs']);
    h.clear();
    h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [] });
    const statuses = h.updatesTo('scheduler-a');
    assert.deepEqual(
      statuses.map((s) => [s.taskId, s.agentId, s.state, s.reason, s.source, s.uuid]),
      [
        ['live', a1, 'TASK_RUNNING', 'REASON_RECONCILIATION', 'SOURCE_MASTER', undefined],
        ['cut', a2, partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST', 'REASON_RECONCILIATION', 'SOURCE_MASTER', undefined],
      ],
    );
    assert.deepEqual(h.updatesTo('scheduler-b'), []);
  });
}

test('explicit reconciliation answers each task in order, skipping the no-reply rows', () => {
  const { h, a1, fw } = cluster(true);
  h.ctx.deliver('scheduler-a', {
    type: 'scheduler.reconcile',
    frameworkId: fw,
    tasks: [{ taskId: 'ghost', agentId: a1 }, { taskId: 'x', agentId: 'old-S1' }, { taskId: 'live' }],
  });
  assert.deepEqual(h.updatesTo('scheduler-a').map((s) => [s.taskId, s.state]), [
    ['ghost', 'TASK_GONE'],
    ['live', 'TASK_RUNNING'],
  ]);
});

test('once the recovered agent reregisters, an unknown task on it is TASK_GONE', () => {
  const { h, fw } = cluster(true);
  h.reregister('agent-8', 'old-S1', []);
  h.clear();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [{ taskId: 'ghost', agentId: 'old-S1' }] });
  assert.deepEqual(h.updatesTo('scheduler-a').map((s) => s.state), ['TASK_GONE']);
});

test('ReconciliationTest.UnknownTask: with every recovered agent back, an unknown task with no agent named is TASK_UNKNOWN (TASK_LOST)', () => {
  for (const partitionAware of [true, false]) {
    const { h, fw } = cluster(partitionAware);
    h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [{ taskId: 'ghost' }] });
    assert.deepEqual(h.updatesTo('scheduler-a'), [], 'old-S1 has not reregistered yet');
    h.reregister('agent-8', 'old-S1', []);
    h.clear();
    h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [{ taskId: 'ghost' }] });
    assert.deepEqual(h.updatesTo('scheduler-a').map((s) => [s.state, s.reason]), [[partitionAware ? 'TASK_UNKNOWN' : 'TASK_LOST', 'REASON_RECONCILIATION']]);
  }
});

test('ReconciliationTest.UnknownKillTask: a kill of an unknown task with no agent named is answered like its reconciliation: nothing while an agent is still recovered', () => {
  const { h, fw } = cluster(false);
  h.ctx.deliver('scheduler-a', { type: 'scheduler.kill', frameworkId: fw, taskId: 'ghost' });
  assert.deepEqual(h.ctx.sent, [], 'no TASK_LOST that would make the framework relaunch a task that may still run');
  h.reregister('agent-8', 'old-S1', []);
  h.clear();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.kill', frameworkId: fw, taskId: 'ghost' });
  assert.deepEqual(h.updatesTo('scheduler-a').map((s) => s.state), ['TASK_LOST']);
});

test('ReconciliationTest.ReconcileStatusUpdateTaskState: reconciliation answers the unacknowledged update state, not the newer latest state', () => {
  const { h, a1, fw } = cluster(true);
  // The agent's RUNNING for `late` is forwarded but its ack is lost; the task finishes meanwhile,
  // so the agent's retry carries RUNNING with latestState FINISHED.
  h.launch('scheduler-a', fw, a1, ['late']);
  h.statusUpdate('agent-1', a1, fw, 'late', 'TASK_RUNNING');
  h.statusUpdate('agent-1', a1, fw, 'late', 'TASK_RUNNING', { latestState: 'TASK_FINISHED' });
  assert.equal(h.master.inspect().tasks.get('late')?.state, 'TASK_FINISHED', 'the master records the latest state');
  h.clear();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [{ taskId: 'late', agentId: a1 }] });
  h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [] });
  assert.deepEqual(
    h.updatesTo('scheduler-a').filter((s) => s.taskId === 'late').map((s) => s.state),
    ['TASK_RUNNING', 'TASK_RUNNING'],
    'explicit and implicit: never TASK_FINISHED before the retried TASK_RUNNING is acknowledged',
  );
  // Once the agent forwards FINISHED itself, reconciliation says FINISHED.
  h.statusUpdate('agent-1', a1, fw, 'late', 'TASK_FINISHED');
  h.clear();
  h.ctx.deliver('scheduler-a', { type: 'scheduler.reconcile', frameworkId: fw, tasks: [{ taskId: 'late', agentId: a1 }] });
  assert.deepEqual(h.updatesTo('scheduler-a').map((s) => s.state), ['TASK_FINISHED']);
});
