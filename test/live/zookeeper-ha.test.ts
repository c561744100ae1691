/**
 * Three unchanged core HA masters elect a leader through a real ZooKeeper:
 * the leader is the smallest json.info_ member and leads at its sequence; an
 * agent it admits is written to the ZooKeeper registry; when the leader's
 * session is expired (the failover fault), a standby leads at a higher epoch,
 * recovers that agent from the registry, and every master follows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zookeeper from 'node-zookeeper-client';
import type { Client } from 'node-zookeeper-client';
import { parseResources } from '../../src/core/resources.js';
import { leadingMember, parseLeaderInfo } from '../../src/live/zookeeper/index.js';
import { startZooKeeper, zookeeperInstalled, type TestZooKeeper } from '../helpers/zookeeper.js';
import { startZkHaMasters, type ZkHaMasters } from '../helpers/zk-ha-masters.js';
import { waitUntil } from '../helpers/wall-clock-host.js';

const skip = zookeeperInstalled() ? false : 'Debian zookeeper is not installed (.ci/run installs it)';

let zk: TestZooKeeper;
let admin: Client;
const clusters: ZkHaMasters[] = [];

function children(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => admin.getChildren(path, (error, list) => (error ? reject(error) : resolve(list))));
}

function data(path: string): Promise<string> {
  return new Promise((resolve, reject) => admin.getData(path, (error, buffer) => (error ? reject(error) : resolve(buffer.toString('utf8')))));
}

/** The leader ZooKeeper names: the smallest member's MasterInfo id and sequence. */
async function zkLeader(path: string): Promise<{ id: string | null; sequence: number } | null> {
  const leading = leadingMember(await children(path));
  if (leading === null) return null;
  return { id: parseLeaderInfo(await data(`${path}/${leading.child}`))?.id ?? null, sequence: leading.sequence };
}

describe('core HA masters on a real ZooKeeper', { skip }, () => {
  before(async () => {
    zk = await startZooKeeper();
    admin = zookeeper.createClient(zk.connectString, { sessionTimeout: 10_000 });
    admin.connect();
    await new Promise<void>((resolve) => admin.once('connected', () => resolve()));
  });
  after(async () => {
    await Promise.all(clusters.map((c) => c.close()));
    admin?.close();
    await zk?.close();
  });

  it('elect one leader at its sequence, keep the registry in ZooKeeper, and fail over to a standby that recovers it', async () => {
    const path = '/ha/faultline';
    const cluster = startZkHaMasters({ connectString: zk.connectString, path, nodes: ['master-1', 'master-2', 'master-3'] });
    clusters.push(cluster);
    const { host, masters } = cluster;

    await waitUntil('a leader', () => cluster.leading().length === 1);
    const first = cluster.leading()[0] ?? '';
    const named = await zkLeader(path);
    assert.equal(named?.id, first, 'the leading master is the smallest member');
    const elected = host.eventsOfType('master.elected');
    assert.deepEqual(
      elected.map((e) => [e.node, e.event.epoch]),
      [[first, named?.sequence]],
    );
    assert.equal((await children(path)).filter((c) => c.startsWith('json.info_')).length, 3);
    for (const [, master] of masters) {
      await waitUntil('every master knows the leader', () => master.knownLeader().leader === first);
      assert.equal(master.knownLeader().epoch, named?.sequence);
    }

    // An agent registers with the leader: the admission is a fenced registry write to ZooKeeper.
    const resources = parseResources('cpus:4;mem:4096');
    assert.ok(resources.ok);
    host.deliver('agent-host-1', first, { type: 'agent.register', host: 'agent-host-1', resources: resources.value, attributes: {}, bootId: 'boot-1' });
    await waitUntil('the agent registered', () => host.outbox.some((m) => m.to === 'agent-host-1' && m.message.type === 'master.agent_registered'));
    const registry = JSON.parse(await data(`${path}/registry`)) as { agents: Array<{ host: string }> };
    assert.deepEqual(
      registry.agents.map((a) => a.host),
      ['agent-host-1'],
    );

    // The failover fault: the leader's session is expired; it aborts and rejoins as a standby.
    assert.equal(cluster.endpoints.get(first)?.expireSessions(first), true);
    await waitUntil('a new leader', () => cluster.leading().length === 1 && cluster.leading()[0] !== first);
    const second = cluster.leading()[0] ?? '';
    const renamed = await zkLeader(path);
    assert.equal(renamed?.id, second);
    assert.ok((renamed?.sequence ?? -1) > (named?.sequence ?? Infinity), 'the new epoch is higher');
    const secondElected = host.eventsOfType('master.elected').filter((e) => e.node === second);
    assert.equal(secondElected.at(-1)?.event.epoch, renamed?.sequence);
    assert.ok(host.eventsOfType('master.deposed').some((e) => e.node === first), 'the old leader stepped down');
    const recovered = host.eventsOfType('master.recovered').filter((e) => e.node === second);
    assert.equal(recovered.at(-1)?.event.agentsInRegistry, 1, 'the new leader recovered the agent from the ZooKeeper registry');
    for (const [, master] of masters) await waitUntil('every master follows', () => master.knownLeader().leader === second);
    // The old leader is back as a standby with a new member of its own.
    await waitUntil('the old leader rejoined', async () => (await children(path)).filter((c) => c.startsWith('json.info_')).length === 3);
    assert.deepEqual(cluster.leading(), [second]);
  });
});
