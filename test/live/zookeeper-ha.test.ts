/**
 * Three unchanged core HA masters elect a leader through a real ZooKeeper:
 * the leader is the smallest json.info_ member and leads at its sequence; an
 * agent it admits is written to the ZooKeeper registry; when the leader's
 * session is expired (the failover fault), a standby leads at a higher epoch,
 * recovers that agent from the registry, and every master follows.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zookeeper from 'node-zookeeper-client';
import type { Client } from 'node-zookeeper-client';
import { parseResources } from '../../src/core/resources.js';
import { epochOfSequence, leadingMember, parseLeaderInfo, parseZkUrl, removeElectionNodes } from '../../src/live/zookeeper/index.js';
import { startZooKeeper, zookeeperSkip, type TestZooKeeper } from '../helpers/zookeeper.js';
import { startZkHaMasters, type ZkHaMasters } from '../helpers/zk-ha-masters.js';
import { waitUntil } from '../helpers/wall-clock-host.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/zk-ha-master.ts', import.meta.url));
const skip = zookeeperSkip;

let zk: TestZooKeeper;
let admin: Client;
const clusters: ZkHaMasters[] = [];

function children(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => admin.getChildren(path, (error, list) => (error ? reject(error) : resolve(list))));
}

function data(path: string): Promise<string> {
  return new Promise((resolve, reject) => admin.getData(path, (error, buffer) => (error ? reject(error) : resolve(buffer.toString('utf8')))));
}

/** The leader ZooKeeper names: the smallest member's MasterInfo id, and its sequence as the core's epoch (ZooKeeper's + 1). */
async function zkLeader(path: string): Promise<{ id: string | null; sequence: number } | null> {
  const leading = leadingMember(await children(path));
  if (leading === null) return null;
  return { id: parseLeaderInfo(await data(`${path}/${leading.child}`))?.id ?? null, sequence: epochOfSequence(leading.sequence) };
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

  it('a SIGKILLed leader process loses its node when ZooKeeper expires its session, and a standby leads', async (t) => {
    const path = '/killed/faultline';
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, zk.connectString, path, 'master-1', '5051'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    t.after(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    await waitUntil('the child master leads', () => output.includes('leading '), 20_000);
    const childEpoch = Number(/leading (\d+)/.exec(output)?.[1]);

    const cluster = startZkHaMasters({ connectString: zk.connectString, path, nodes: ['master-2', 'master-3'], firstPort: 5052 });
    clusters.push(cluster);
    for (const [, master] of cluster.masters) await waitUntil('standbys know the leader', () => master.knownLeader().leader === 'master-1');
    assert.deepEqual(cluster.leading(), []);

    child.kill('SIGKILL');
    await exited;
    const killedAt = performance.now();
    await waitUntil('a standby leads', () => cluster.leading().length === 1, 15_000);
    const waitedMs = performance.now() - killedAt;
    // Nobody may lead before ZooKeeper itself gives up on the dead session (its 2 s timeout).
    assert.ok(waitedMs >= 1_000, `a standby led ${Math.round(waitedMs)} ms after the kill`);
    const leader = cluster.leading()[0] ?? '';
    assert.ok((cluster.masters.get(leader)?.knownLeader().epoch ?? -1) > childEpoch);
    assert.equal((await zkLeader(path))?.id, leader);
  });

  it("removing a master's election node from outside (the operator's lever) makes it abort and contend again", async () => {
    const path = '/removed/faultline';
    const cluster = startZkHaMasters({ connectString: zk.connectString, path, nodes: ['master-1', 'master-2', 'master-3'] });
    clusters.push(cluster);
    const url = parseZkUrl(`zk://${zk.connectString}${path}`);
    assert.ok(url.ok);
    const members = async (): Promise<string[]> => (await children(path)).filter((c) => c.startsWith('json.info_'));
    await waitUntil('a leader and three members', async () => cluster.leading().length === 1 && (await members()).length === 3);
    const first = cluster.leading()[0] ?? '';
    const standby = ['master-1', 'master-2', 'master-3'].find((n) => n !== first) ?? '';
    const before = await members();

    // A standby's node: it notices (it watches its own node), rejoins with a new one; the leader stays.
    assert.deepEqual(await removeElectionNodes(url.value, standby), { ok: true, value: 1 });
    await waitUntil('the standby rejoined', async () => {
      const now = await members();
      return now.length === 3 && now.some((c) => !before.includes(c));
    });
    assert.deepEqual(cluster.leading(), [first]);

    // The leader's node: the leader is superseded and aborts; another leads; the old one rejoins.
    assert.deepEqual(await removeElectionNodes(url.value, first), { ok: true, value: 1 });
    await waitUntil('another leader', () => cluster.leading().length === 1 && cluster.leading()[0] !== first);
    await waitUntil('the old leader rejoined', async () => (await members()).length === 3);
    assert.ok(cluster.host.eventsOfType('master.deposed').some((e) => e.node === first));
    assert.deepEqual(await removeElectionNodes(url.value, 'nobody'), { ok: true, value: 0 });
  });
});
