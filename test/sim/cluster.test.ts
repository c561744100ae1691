/**
 * Issue 2's named scenario tests: the whole core (master, agents, DRF
 * allocator, service schedulers) running in the simulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HistoryHasher } from '../../src/chaos/history/index.js';
import { detectionMs, FAST_TIMING } from '../../src/core/timing.js';
import { recordsOf, running, liveHostsOf, testCluster } from '../helpers/cluster.js';

function hashOf(seed: string): string {
  const cluster = testCluster({
    seed,
    agents: 20,
    services: [
      { name: 'web', instances: 10 },
      { name: 'api', instances: 6, partitionAware: false },
    ],
    workload: { batch: [{ name: 'nightly', tasks: 8, resources: { cpus: 0.5, mem: 256, disk: 0, gpus: 0, ports: [] }, command: 'true', role: '*', durationMs: 20_000, failureProbability: 0.2, maxRetries: 3 }] },
  });
  cluster.runFor(5 * 60_000);
  const hasher = new HistoryHasher();
  for (const r of cluster.history()) hasher.add(r);
  return hasher.digest();
}

test('same seed, byte-identical history hash over 5 simulated minutes of 20 agents and 3 frameworks; another seed differs', () => {
  const a = hashOf('7');
  assert.equal(a, hashOf('7'));
  assert.notEqual(a, hashOf('8'));
});

test('steady state: every service reaches N RUNNING and offers never exceed free resources', () => {
  const cluster = testCluster({ agents: 4, services: [{ name: 'web', instances: 10 }] });
  cluster.runFor(30_000);
  assert.equal(running(cluster, 'web'), 10);
  for (const agent of cluster.state().agents.values()) {
    assert.ok(agent.used.cpus + agent.offered.cpus <= agent.resources.cpus + 1e-9, `${agent.host} cpus oversubscribed`);
    assert.ok(agent.used.mem + agent.offered.mem <= agent.resources.mem, `${agent.host} mem oversubscribed`);
  }
});

for (const partitionAware of [true, false]) {
  test(`kill an agent running service tasks (${partitionAware ? 'partition-aware' : 'not partition-aware'}): tasks ${partitionAware ? 'UNREACHABLE' : 'LOST'}, service back to N within detection + 2 allocation intervals`, () => {
    const cluster = testCluster({ agents: 5, services: [{ name: 'web', instances: 10, partitionAware }] });
    cluster.runFor(20_000);
    assert.equal(running(cluster, 'web'), 10);
    const victim = [...liveHostsOf(cluster, 'web').values()][0];
    assert.ok(victim);
    const victimTasks = [...liveHostsOf(cluster, 'web')].filter(([, h]) => h === victim).map(([id]) => id);
    const killedAt = cluster.now();
    cluster.inject({ kind: 'kill-agent', node: victim });
    const bound = detectionMs(FAST_TIMING) + FAST_TIMING.agentPingTimeoutMs + 2 * FAST_TIMING.allocationIntervalMs;
    const back = cluster.runUntilCondition(() => running(cluster, 'web') === 10 && victimTasks.every((id) => cluster.state().tasks.get(id)?.state !== 'TASK_RUNNING'), {
      timeoutMs: bound + 1_000,
    });
    assert.ok(back, `web has ${running(cluster, 'web')} running after ${cluster.now() - killedAt} ms`);
    const expected = partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST';
    for (const id of victimTasks) {
      const lost = recordsOf(cluster.history(), 'task.updated').find((r) => r.taskId === id && r.state === expected);
      assert.ok(lost, `${id} reported ${expected}`);
      assert.equal(lost.reason, 'REASON_AGENT_REMOVED');
    }
    const unreachableAt = recordsOf(cluster.history(), 'agent.unreachable').find((r) => r.host === victim)?.atMs;
    assert.ok(unreachableAt !== undefined);
    assert.ok(cluster.now() - unreachableAt <= 2 * FAST_TIMING.allocationIntervalMs + 500, `rescheduled ${cluster.now() - unreachableAt} ms after detection`);
  });
}

test('partition an agent, then heal: it reregisters, tasks re-reported with REASON_AGENT_REREGISTERED, surplus killed to exactly N', () => {
  const cluster = testCluster({ agents: 5, services: [{ name: 'web', instances: 10 }] });
  cluster.runFor(20_000);
  const victim = [...liveHostsOf(cluster, 'web').values()][0];
  assert.ok(victim);
  cluster.inject({ kind: 'partition', groups: [[victim], cluster.masters()], oneWay: false });
  assert.ok(cluster.runUntilCondition(() => running(cluster, 'web') === 10 && recordsOf(cluster.history(), 'agent.unreachable').length === 1, { timeoutMs: 15_000 }));
  cluster.inject({ kind: 'heal' });
  assert.ok(
    cluster.runUntilCondition(() => recordsOf(cluster.history(), 'agent.reregistered').some((r) => r.host === victim), { timeoutMs: 15_000 }),
    'the agent reregisters',
  );
  assert.ok(recordsOf(cluster.history(), 'task.updated').some((r) => r.reason === 'REASON_AGENT_REREGISTERED' && r.state === 'TASK_RUNNING'));
  cluster.runFor(10_000);
  assert.equal(running(cluster, 'web'), 10);
  assert.equal(liveHostsOf(cluster, 'web').size, 10, 'exactly N processes really run');
});

test('a scheduler that disconnects is torn down after failover_timeout and its tasks killed; one back in time keeps them', () => {
  const make = () => testCluster({ agents: 3, services: [{ name: 'web', instances: 4, failoverTimeoutMs: 5_000 }] });
  const gone = make();
  gone.runFor(15_000);
  gone.inject({ kind: 'crash-framework', node: 'scheduler-web' });
  gone.runFor(20_000);
  assert.equal(recordsOf(gone.history(), 'framework.removed').length, 1);
  assert.equal(liveHostsOf(gone, 'web').size, 0, 'its tasks are killed');
  assert.ok(recordsOf(gone.history(), 'task.updated').some((r) => r.state === 'TASK_KILLED' && r.reason === 'REASON_FRAMEWORK_REMOVED'));

  const back = make();
  back.runFor(15_000);
  const before = [...liveHostsOf(back, 'web').keys()].sort();
  back.inject({ kind: 'crash-framework', node: 'scheduler-web' });
  back.runFor(3_000);
  back.inject({ kind: 'restart-framework', node: 'scheduler-web' });
  back.runFor(20_000);
  assert.equal(recordsOf(back.history(), 'framework.removed').length, 0);
  assert.ok(recordsOf(back.history(), 'framework.resubscribed').length >= 1);
  assert.deepEqual([...liveHostsOf(back, 'web').keys()].sort(), before, 'the same tasks still run');
});

test('status updates reach the scheduler at least once and in order per task across a lossy link', () => {
  const cluster = testCluster({ agents: 3, services: [{ name: 'web', instances: 6 }] });
  cluster.inject({ kind: 'link', from: cluster.agents(), to: cluster.masters(), oneWay: false, spec: { loss: 0.3 } });
  cluster.runFor(60_000);
  cluster.inject({ kind: 'heal' });
  cluster.runFor(60_000);
  const history = cluster.history();
  assert.ok(recordsOf(history, 'message.dropped').length > 0, 'the loss bit');
  const generated = new Map<string, string[]>();
  for (const r of recordsOf(history, 'task.status')) generated.set(r.taskId, [...(generated.get(r.taskId) ?? []), r.uuid]);
  const delivered = new Map<string, string[]>();
  for (const r of recordsOf(history, 'status.delivered')) {
    if (r.uuid === null) continue;
    const list = delivered.get(r.taskId) ?? [];
    if (list.at(-1) !== r.uuid) list.push(r.uuid);
    delivered.set(r.taskId, list);
  }
  for (const [taskId, uuids] of generated) {
    const seen = (delivered.get(taskId) ?? []).filter((u, i, all) => all.indexOf(u) === i);
    assert.deepEqual(seen, uuids, `task ${taskId}: every update, in order`);
  }
});
