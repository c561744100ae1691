/**
 * ZooKeeper itself stopped and started again under three core HA masters:
 * while it is down nothing answers, the local session timer expires every
 * session (node-zookeeper-client would report nothing), the leader steps
 * down and nobody leads; when ZooKeeper is back (same port, same data) the
 * masters join with new sessions and one leads again at a higher epoch.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ZooKeeperCoordinator } from '../../src/live/zookeeper/index.js';
import { startZooKeeper, zookeeperSkip, type TestZooKeeper } from '../helpers/zookeeper.js';
import { openProbeSession, startZkHaMasters, type ZkHaMasters } from '../helpers/zk-ha-masters.js';
import { waitUntil } from '../helpers/wall-clock-host.js';

const skip = zookeeperSkip;

let zk: TestZooKeeper;
let cluster: ZkHaMasters | undefined;
const endpoints: ZooKeeperCoordinator[] = [];

describe('ZooKeeper stopped and started again', { skip }, () => {
  before(async () => {
    zk = await startZooKeeper();
  });
  after(async () => {
    await cluster?.close();
    await Promise.all(endpoints.map((e) => e.close()));
    await zk?.close();
  });

  it('the masters step down while it is gone and elect a leader when it returns', async () => {
    cluster = startZkHaMasters({ connectString: zk.connectString, path: '/faultline', nodes: ['master-1', 'master-2', 'master-3'] });
    const { host, masters } = cluster;
    await waitUntil('a leader', () => cluster?.leading().length === 1);
    const first = cluster.leading()[0] ?? '';
    const firstEpoch = masters.get(first)?.knownLeader().epoch ?? -1;

    // A session no master keeps closing: only the endpoint's local timer can end it.
    const probe = openProbeSession(zk.connectString);
    endpoints.push(probe.endpoint);
    await waitUntil('the probe session', () => probe.sessionId() !== null);

    await zk.stop();
    const stoppedAt = performance.now();
    await waitUntil('the leader steps down', () => cluster?.leading().length === 0, 10_000);
    const deposed = host.eventsOfType('master.deposed').find((e) => e.node === first);
    assert.match(deposed?.event.reason ?? '', /coordinator/);
    await waitUntil('the local timer expires the probe session', () => probe.expiredAtMs() !== null, 10_000);
    const lastedMs = (probe.expiredAtMs() ?? 0) - stoppedAt;
    assert.ok(lastedMs >= 1_500 && lastedMs < 4_000, `the session lasted its 2 s timeout (${Math.round(lastedMs)} ms)`);
    assert.ok(probe.lines.some((l) => l.includes('lost: no answer from ZooKeeper within the 2000 ms session timeout')));
    assert.deepEqual(cluster.leading(), []);

    await zk.start();
    await waitUntil('a leader again', () => cluster?.leading().length === 1, 20_000, () => [...(cluster?.lines.slice(-40) ?? []), ...(cluster?.host.events.slice(-12).map((e) => JSON.stringify(e)) ?? [])].join('\n'));
    const second = cluster.leading()[0] ?? '';
    const secondEpoch = masters.get(second)?.knownLeader().epoch ?? -1;
    assert.ok(secondEpoch > firstEpoch, `the new epoch ${secondEpoch} is above ${firstEpoch}`);
    const elected = host.eventsOfType('master.elected');
    assert.equal(elected.at(-1)?.event.epoch, secondEpoch);
    for (const [, master] of masters) await waitUntil('every master follows', () => master.knownLeader().leader === second);
  });
});
