/**
 * Named scenarios with the real simulator (master, agents, network, executors):
 * the service's acceptance figures. Fast profile, inactiveAfter 0.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryRecord } from '../../src/core/events.js';
import type { NodeId } from '../../src/core/ids.js';
import { FAST_TIMING } from '../../src/core/timing.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { asServiceActor } from '../../src/schedulers/workload.js';
import { liveHostsOf, running, testCluster } from '../helpers/cluster.js';

const N = 4;

/** Hosts running the app's tasks, by task id (from the projection). */
function runningTasks(cluster: SimCluster, app: string): Map<string, NodeId> {
  const out = new Map<string, NodeId>();
  for (const t of cluster.state().tasks.values()) if (t.name === app && t.state === 'TASK_RUNNING' && t.host !== null) out.set(t.taskId, t.host);
  return out;
}

/** A deployed service; returns the cluster and the host running most of its tasks. */
function deployedCluster(options: { seed: string; partitionAware?: boolean; killSelection?: 'YoungestFirst' | 'OldestFirst' }): { cluster: SimCluster; host: NodeId } {
  const cluster = testCluster({
    seed: options.seed,
    agents: 5,
    agentResources: 'cpus:2;mem:4096;disk:1000',
    services: [{ name: 'web', instances: N, partitionAware: options.partitionAware ?? true, killSelection: options.killSelection ?? 'YoungestFirst' }],
  });
  assert.ok(cluster.runUntilCondition((c) => running(c, 'web') === N, { timeoutMs: 10_000 }), 'deploys');
  const host = [...runningTasks(cluster, 'web').values()][0];
  assert.ok(host);
  return { cluster, host };
}

/** When the master marked `host`'s agent unreachable (after `from`). */
function detectedAt(cluster: SimCluster, host: NodeId): number | null {
  const record = cluster.history().find((r): r is Extract<HistoryRecord, { type: 'agent.unreachable' }> => r.type === 'agent.unreachable' && r.host === host);
  return record ? record.atMs : null;
}

describe('service on the simulator: agent loss', () => {
  for (const partitionAware of [true, false]) {
    it(`kill an agent: its tasks become ${partitionAware ? 'UNREACHABLE' : 'LOST'} and N run again within 2 allocation intervals of detection`, () => {
      const { cluster, host } = deployedCluster({ seed: partitionAware ? 'loss-pa' : 'loss-legacy', partitionAware });
      const lost = [...runningTasks(cluster, 'web')].filter(([, h]) => h === host).map(([id]) => id);
      cluster.inject({ kind: 'kill-agent', node: host });
      assert.ok(cluster.runUntilCondition((c) => detectedAt(c, host) !== null, { timeoutMs: 30_000, checkEveryMs: 10 }), 'detected');
      const detected = detectedAt(cluster, host) ?? 0;
      const back = cluster.runUntilCondition((c) => running(c, 'web') === N, { timeoutMs: 10_000, checkEveryMs: 10 });
      assert.ok(back, 'back to N');
      const recoveredMs = cluster.now() - detected;
      assert.ok(recoveredMs <= 2 * FAST_TIMING.allocationIntervalMs, `back to ${N} running ${Math.round(recoveredMs)} ms after detection`);
      const expected = partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST';
      for (const id of lost) assert.equal(cluster.state().tasks.get(id)?.state, expected, id);
      cluster.runFor(10_000);
      assert.equal(running(cluster, 'web'), N, 'stays at N');
    });
  }
});

describe('service on the simulator: partition, then heal', () => {
  for (const killSelection of ['YoungestFirst', 'OldestFirst'] as const) {
    it(`isolate an agent, heal: the originals come back and the surplus is killed (${killSelection})`, () => {
      const { cluster, host } = deployedCluster({ seed: `heal-${killSelection}`, killSelection });
      const before = [...runningTasks(cluster, 'web').keys()];
      const everyoneElse = [...cluster.masters(), ...cluster.agents().filter((a) => a !== host), ...cluster.frameworks()];
      cluster.inject({ kind: 'partition', groups: [[host], everyoneElse], oneWay: false });
      assert.ok(cluster.runUntilCondition((c) => detectedAt(c, host) !== null, { timeoutMs: 30_000, checkEveryMs: 10 }), 'detected');
      assert.ok(cluster.runUntilCondition((c) => running(c, 'web') === N, { timeoutMs: 5_000, checkEveryMs: 10 }), 'replaced');
      const replacements = [...runningTasks(cluster, 'web').keys()].filter((id) => !before.includes(id));
      assert.ok(replacements.length > 0);
      cluster.inject({ kind: 'heal' });
      cluster.runFor(15_000);
      const live = liveHostsOf(cluster, 'web');
      assert.equal(live.size, N, `exactly ${N} really run: ${[...live.keys()].join(', ')}`);
      assert.equal(running(cluster, 'web'), N);
      // Task ids sort by launch order: YoungestFirst keeps the N oldest, OldestFirst the N youngest.
      const all = [...before, ...replacements].sort();
      const kept = killSelection === 'YoungestFirst' ? all.slice(0, N) : all.slice(-N);
      assert.deepEqual([...live.keys()].sort(), kept);
    });
  }
});

describe('service on the simulator: scaling', () => {
  it('setInstances scales up and down through the scheduler actor', () => {
    const { cluster } = deployedCluster({ seed: 'scale' });
    const web = asServiceActor(cluster.actorOf('scheduler-web'));
    assert.ok(web);
    assert.deepEqual(web.setInstances(6), { ok: true, value: 6 });
    assert.ok(cluster.runUntilCondition((c) => running(c, 'web') === 6, { timeoutMs: 3_000, checkEveryMs: 10 }), 'scaled up');
    web.setInstances(2);
    cluster.runFor(3_000);
    assert.equal(liveHostsOf(cluster, 'web').size, 2);
    assert.equal(web.status().running, 2);
  });
});
