/**
 * Issue 3's named scenario tests: master failover with 3 masters and the
 * coordinator, verified by the safety checkers over the history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheckers } from '../../src/chaos/checkers/index.js';
import { HistoryHasher } from '../../src/chaos/history/index.js';
import { FAST_TIMING } from '../../src/core/timing.js';
import { COORDINATOR_NODE } from '../../src/cluster/index.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { liveHostsOf, recordsOf, running, testCluster } from '../helpers/cluster.js';

const SERVICES = [
  { name: 'web', instances: 10 },
  { name: 'api', instances: 4, partitionAware: false },
];

function cluster(seed = '11') {
  return testCluster({ seed, masters: 3, agents: 5, services: SERVICES });
}

/** Runs every safety checker over the whole history and fails the test on any violation. */
function assertSafe(c: SimCluster): void {
  const results = runCheckers(c.history(), {
    timing: FAST_TIMING,
    services: SERVICES.map((s) => ({ name: s.name, instances: s.instances, inactiveAfterMs: 0, partitionAware: s.partitionAware ?? true })),
    livenessStartMs: null,
    endMs: c.now(),
  });
  const failed = results.filter((r) => r.kind === 'safety' && r.verdict === 'fail');
  assert.deepEqual(failed, [], failed.map((r) => `${r.name}: ${r.detail}`).join('\n'));
}

/** Every epoch has exactly one elected leader, and epochs increase. */
function assertOneLeaderPerEpoch(c: SimCluster): void {
  const elected = recordsOf(c.history(), 'master.elected');
  const epochs = elected.map((e) => e.epoch);
  assert.deepEqual(epochs, [...new Set(epochs)].sort((a, b) => a - b), 'one election per epoch, increasing');
}

function backToN(c: SimCluster, timeoutMs = 30_000): boolean {
  return c.runUntilCondition(() => running(c, 'web') === 10 && running(c, 'api') === 4 && liveHostsOf(c, 'web').size === 10, { timeoutMs });
}

test('kill the leader in steady state: a standby takes over, the failover time is recorded, services stay at N, history is safe', () => {
  const c = cluster();
  c.runFor(20_000);
  const first = c.leader();
  assert.ok(first);
  c.inject({ kind: 'kill-master', node: first });
  assert.ok(c.runUntilCondition(() => c.leader() !== null && c.leader() !== first, { timeoutMs: 10_000 }), 'a new leader');
  assert.ok(c.runUntilCondition(() => recordsOf(c.history(), 'master.failover_completed').length > 0, { timeoutMs: 15_000 }));
  const completed = recordsOf(c.history(), 'master.failover_completed')[0];
  assert.ok(completed && completed.durationMs < FAST_TIMING.agentReregisterTimeoutMs, `failover took ${completed?.durationMs} ms`);
  assert.ok(backToN(c));
  c.inject({ kind: 'restart-master', node: first });
  c.runFor(10_000);
  assertOneLeaderPerEpoch(c);
  assertSafe(c);
});

test('kill the leader in the middle of a burst of launches', () => {
  const c = testCluster({ seed: '12', masters: 3, agents: 5, services: [{ name: 'web', instances: 2 }, { name: 'api', instances: 4, partitionAware: false }] });
  c.runFor(15_000);
  const web = c.actorOf('scheduler-web') as unknown as { setInstances(n: number): unknown };
  web.setInstances(10);
  c.runFor(1_200); // offers are out and launches in flight
  c.inject({ kind: 'kill-master', node: c.leader() ?? 'master-1' });
  assert.ok(backToN(c, 40_000), `web ${running(c, 'web')}, api ${running(c, 'api')}`);
  assertOneLeaderPerEpoch(c);
  assertSafe(c);
});

test('kill the leader while an agent is partitioned: the agent is unreachable after the failover and its tasks replaced', () => {
  const c = cluster('13');
  c.runFor(20_000);
  const victim = [...liveHostsOf(c, 'web').values()][0];
  assert.ok(victim);
  c.inject({ kind: 'partition', groups: [[victim], [...c.masters(), COORDINATOR_NODE]], oneWay: false });
  c.runFor(500);
  c.inject({ kind: 'kill-master', node: c.leader() ?? 'master-1' });
  assert.ok(c.runUntilCondition(() => recordsOf(c.history(), 'master.elected').length >= 2, { timeoutMs: 10_000 }));
  // The victim's tasks still run behind the partition (the unreachable window); replacements run elsewhere.
  const reachable = (): number => [...liveHostsOf(c, 'web').values()].filter((h) => h !== victim).length;
  assert.ok(c.runUntilCondition(() => reachable() === 10, { timeoutMs: 60_000 }), `web has ${reachable()} reachable`);
  c.inject({ kind: 'heal' });
  assert.ok(c.runUntilCondition(() => liveHostsOf(c, 'web').size === 10 && recordsOf(c.history(), 'agent.reregistered').some((r) => r.host === victim), { timeoutMs: 30_000 }));
  assertOneLeaderPerEpoch(c);
  assertSafe(c);
});

test('isolate the leader from the coordinator only: it steps down within the session timeout, rejoins as a standby, and its old epoch is ignored', () => {
  const c = cluster('14');
  c.runFor(20_000);
  const old = c.leader();
  assert.ok(old);
  const cutAt = c.now();
  c.inject({ kind: 'partition', groups: [[old], [COORDINATOR_NODE]], oneWay: false });
  assert.ok(c.runUntilCondition(() => recordsOf(c.history(), 'master.deposed').some((r) => r.node === old), { timeoutMs: 10_000 }));
  const deposedAt = recordsOf(c.history(), 'master.deposed').find((r) => r.node === old)?.atMs ?? Infinity;
  assert.ok(deposedAt - cutAt <= FAST_TIMING.sessionTimeoutMs + 200, `stepped down after ${deposedAt - cutAt} ms`);
  assert.ok(c.runUntilCondition(() => c.leader() !== null && c.leader() !== old, { timeoutMs: 10_000 }));
  c.inject({ kind: 'heal' });
  c.runFor(10_000);
  assert.notEqual(c.leader(), old, 'the old leader rejoins as a standby');
  assert.ok(backToN(c));
  // Whatever the deposed leader sent under its old epoch changed nothing: no task was launched or killed by it after it was deposed.
  const oldEpoch = recordsOf(c.history(), 'master.deposed').find((r) => r.node === old)?.epoch;
  const later = c.history().filter((r) => r.atMs > deposedAt);
  assert.ok(!later.some((r) => r.type === 'framework.subscribed' && r.epoch === oldEpoch));
  assertOneLeaderPerEpoch(c);
  assertSafe(c);
});

test('an agent that stays away after a failover is marked unreachable after agent_reregister_timeout and its tasks replaced', () => {
  const c = cluster('15');
  c.runFor(20_000);
  const victim = [...liveHostsOf(c, 'web').values()][0];
  assert.ok(victim);
  // The agent is cut off from every master (not from the coordinator) just as the leader dies.
  c.inject({ kind: 'partition', groups: [[victim], [...c.masters()]], oneWay: false });
  c.inject({ kind: 'kill-master', node: c.leader() ?? 'master-1' });
  assert.ok(c.runUntilCondition(() => recordsOf(c.history(), 'master.recovered').length > 0, { timeoutMs: 10_000 }));
  const recoveredAt = recordsOf(c.history(), 'master.recovered')[0]?.atMs ?? 0;
  assert.ok(c.runUntilCondition(() => recordsOf(c.history(), 'agent.unreachable').some((r) => r.host === victim && r.atMs >= recoveredAt), { timeoutMs: FAST_TIMING.agentReregisterTimeoutMs + 5_000 }));
  const markedAt = recordsOf(c.history(), 'agent.unreachable').find((r) => r.host === victim && r.atMs >= recoveredAt)?.atMs ?? 0;
  assert.ok(Math.abs(markedAt - recoveredAt - FAST_TIMING.agentReregisterTimeoutMs) < 1_000, `marked ${markedAt - recoveredAt} ms after recovery`);
  const reachable = (): number => [...liveHostsOf(c, 'web').values()].filter((h) => h !== victim).length;
  assert.ok(c.runUntilCondition(() => reachable() === 10, { timeoutMs: 40_000 }), `web has ${reachable()} reachable`);
  assertSafe(c);
});

test('same seed, same history hash, with failovers in it', () => {
  const hash = (seed: string): string => {
    const c = cluster(seed);
    c.runFor(15_000);
    c.inject({ kind: 'failover', node: c.leader() ?? 'master-1' });
    c.runFor(15_000);
    c.inject({ kind: 'kill-master', node: c.leader() ?? 'master-1' });
    c.runFor(30_000);
    assert.ok(recordsOf(c.history(), 'master.elected').length >= 3);
    const h = new HistoryHasher();
    for (const r of c.history()) h.add(r);
    return h.digest();
  };
  assert.equal(hash('21'), hash('21'));
  assert.notEqual(hash('21'), hash('22'));
});

for (const seed of ['4', '7']) {
  test(`lossy, duplicating links everywhere (seed ${seed}): leaders may step down, but after the heal one is elected and services converge`, () => {
    const c = testCluster({ seed, masters: 3, agents: 4, services: [{ name: 'web', instances: 3 }] });
    c.runFor(10_000);
    c.inject({ kind: 'link', from: [], to: [], oneWay: false, spec: { loss: 0.2, duplicate: 0.1 } });
    c.runFor(60_000);
    c.inject({ kind: 'heal' });
    assert.ok(
      c.runUntilCondition(() => c.leader() !== null && liveHostsOf(c, 'web').size === 3 && running(c, 'web') === 3, { timeoutMs: 60_000 }),
      `leader ${c.leader()}, web ${running(c, 'web')}`,
    );
    assertOneLeaderPerEpoch(c);
    const results = runCheckers(c.history(), {
      timing: FAST_TIMING,
      services: [{ name: 'web', instances: 3, inactiveAfterMs: 0, partitionAware: true }],
      livenessStartMs: null,
      endMs: c.now(),
    });
    const failed = results.filter((r) => r.kind === 'safety' && r.verdict === 'fail');
    assert.deepEqual(failed, [], failed.map((r) => `${r.name}: ${r.detail}`).join('\n'));
  });
}
