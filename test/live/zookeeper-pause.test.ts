/**
 * ZooKeeper frozen (SIGSTOP): the connections stay open and nothing answers,
 * as in a partition that drops packets. node-zookeeper-client reports no
 * DISCONNECTED then (it never times out its pings), so only the local
 * session timer ends the sessions: the leader steps down and nobody leads.
 * Thawed (SIGCONT), ZooKeeper serves again and a leader is elected.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ZooKeeperCoordinator } from '../../src/live/zookeeper/index.js';
import { startZooKeeper, zookeeperSkip, type TestZooKeeper } from '../helpers/zookeeper.js';
import { openProbeSession, startZkHaMasters, type ZkHaMasters } from '../helpers/zk-ha-masters.js';
import { waitUntil } from '../helpers/wall-clock-host.js';

let zk: TestZooKeeper;
let cluster: ZkHaMasters | undefined;
const endpoints: ZooKeeperCoordinator[] = [];

describe('ZooKeeper frozen and thawed', { skip: zookeeperSkip }, () => {
  before(async () => {
    zk = await startZooKeeper();
  });
  after(async () => {
    zk?.resume();
    await cluster?.close();
    await Promise.all(endpoints.map((e) => e.close()));
    await zk?.close();
  });

  it('a silent ZooKeeper ends every session by the local timer; a leader is elected when it answers again', async () => {
    cluster = startZkHaMasters({ connectString: zk.connectString, path: '/faultline', nodes: ['master-1', 'master-2', 'master-3'] });
    await waitUntil('a leader', () => cluster?.leading().length === 1);
    const first = cluster.leading()[0] ?? '';
    const firstEpoch = cluster.masters.get(first)?.knownLeader().epoch ?? -1;
    const probe = openProbeSession(zk.connectString);
    endpoints.push(probe.endpoint);
    await waitUntil('the probe session', () => probe.sessionId() !== null);

    zk.pause();
    const pausedAt = performance.now();
    await waitUntil('the local timer expires the probe session', () => probe.expiredAtMs() !== null, 10_000);
    const lastedMs = (probe.expiredAtMs() ?? 0) - pausedAt;
    assert.ok(lastedMs >= 1_500 && lastedMs < 4_000, `the session lasted its 2 s timeout (${Math.round(lastedMs)} ms)`);
    assert.ok(probe.lines.some((l) => l.includes('lost: no answer from ZooKeeper within the 2000 ms session timeout')));
    await waitUntil('the leader steps down', () => cluster?.leading().length === 0, 10_000);
    assert.ok(cluster.host.eventsOfType('master.deposed').some((e) => e.node === first));

    zk.resume();
    await waitUntil('a leader again', () => cluster?.leading().length === 1, 20_000, () => [...(cluster?.lines.slice(-40) ?? []), ...(cluster?.host.events.slice(-12).map((e) => JSON.stringify(e)) ?? [])].join('\n'));
    const second = cluster.leading()[0] ?? '';
    assert.ok((cluster.masters.get(second)?.knownLeader().epoch ?? -1) > firstEpoch);
  });
});
