/**
 * The zk:// leader detector against a real ZooKeeper: it reads the leading
 * master's address from `zk://127.0.0.1:PORT/faultline` and follows a
 * failover; it reads a Mesos-shaped election (`/mesos` with log_replicas and a
 * Mesos MasterInfo) the same way; with no leader it gives one line, not a hang.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zookeeper from 'node-zookeeper-client';
import type { Client } from 'node-zookeeper-client';
import type { CoordinatorMessage } from '../../src/core/messages.js';
import {
  createZooKeeperCoordinator,
  createZooKeeperDetector,
  detectLeaderOnce,
  parseZkUrl,
  type DetectedLeader,
  type ZooKeeperCoordinator,
  type ZooKeeperDetector,
  type ZkUrl,
} from '../../src/live/zookeeper/index.js';
import { startZooKeeper, zookeeperSkip, type TestZooKeeper } from '../helpers/zookeeper.js';
import { closedPort } from '../helpers/fake-mesos-master.js';
import { waitUntil } from '../helpers/wall-clock-host.js';

const skip = zookeeperSkip;

let zk: TestZooKeeper;
let admin: Client;
const closers: Array<() => Promise<void>> = [];

function url(text: string): ZkUrl {
  const parsed = parseZkUrl(text);
  assert.ok(parsed.ok);
  return parsed.value;
}

function create(path: string, data: string, mode: number): Promise<string> {
  return new Promise((resolve, reject) => admin.create(path, Buffer.from(data), mode, (error, made) => (error ? reject(error) : resolve(made))));
}

function detector(text: string): { detector: ZooKeeperDetector; changes: Array<DetectedLeader | null> } {
  const changes: Array<DetectedLeader | null> = [];
  const d = createZooKeeperDetector({ url: url(text), onChange: (leader) => changes.push(leader), spinDelayMs: 100 });
  closers.push(() => d.close());
  return { detector: d, changes };
}

describe('the zk:// leader detector', { skip }, () => {
  before(async () => {
    zk = await startZooKeeper();
    admin = zookeeper.createClient(zk.connectString, { sessionTimeout: 10_000 });
    admin.connect();
    await new Promise<void>((resolve) => admin.once('connected', () => resolve()));
  });
  after(async () => {
    await Promise.all(closers.map((close) => close()));
    admin?.close();
    await zk?.close();
  });

  it("reads the leader's address from zk://127.0.0.1:PORT/faultline and follows a failover", async () => {
    const text = `zk://127.0.0.1:${zk.port}/faultline`;
    const { detector: d, changes } = detector(text);
    const sessions = new Map<string, string>();
    const endpoint: ZooKeeperCoordinator = createZooKeeperCoordinator({
      url: url(text),
      addressOf: (node) => ({ ip: '127.0.0.1', port: node === 'master-1' ? 5051 : 5052 }),
      version: 'test',
      spinDelayMs: 100,
      deliver: (to, message: CoordinatorMessage) => {
        if (message.type === 'coordinator.session' && !message.expired) {
          sessions.set(to, message.sessionId);
          endpoint.receive(to, { type: 'coordinator.join', sessionId: message.sessionId });
        }
      },
    });
    closers.push(() => endpoint.close());
    endpoint.receive('master-1', { type: 'coordinator.heartbeat', sessionId: null, timeoutMs: 2_000 });
    await waitUntil('master-1 leads', () => d.leader()?.port === 5051);
    endpoint.receive('master-2', { type: 'coordinator.heartbeat', sessionId: null, timeoutMs: 2_000 });
    await waitUntil('master-2 joined', () => endpoint.leaderNow().leader === 'master-1' && sessions.has('master-2'));
    const first = d.leader();
    assert.deepEqual({ ...first, sequence: undefined }, { host: '127.0.0.1', port: 5051, id: 'master-1', sequence: undefined });
    assert.deepEqual(await d.waitForLeader(1_000), first);

    const once = await detectLeaderOnce(url(text), 5_000);
    assert.deepEqual(once, { ok: true, value: first });

    endpoint.receive('master-1', { type: 'coordinator.close', sessionId: sessions.get('master-1') ?? '' });
    await waitUntil('the detector follows', () => d.leader()?.port === 5052);
    assert.equal(d.leader()?.id, 'master-2');
    assert.ok((d.leader()?.sequence ?? -1) > (first?.sequence ?? Infinity));
    assert.deepEqual(
      changes.filter((c) => c !== null).map((c) => c.port),
      [5051, 5052],
    );
  });

  it('reads a Mesos election: log_replicas skipped, address.ip:port of the smallest json.info_', async () => {
    await new Promise<void>((resolve, reject) => admin.mkdirp('/mesos/log_replicas', (error) => (error ? reject(error) : resolve())));
    const mesosInfo = (port: number): string =>
      JSON.stringify({
        address: { hostname: 'localhost', ip: '127.0.0.1', port },
        hostname: 'localhost',
        id: `685fe32d-${port}`,
        ip: 16777343,
        pid: `master@127.0.0.1:${port}`,
        port,
        version: '1.4.0',
      });
    await create('/mesos/json.info_', mesosInfo(5050), zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL);
    await create('/mesos/json.info_', mesosInfo(6060), zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL);
    const found = await detectLeaderOnce(url(`zk://${zk.connectString}/mesos`), 5_000);
    assert.ok(found.ok);
    assert.deepEqual({ host: found.value.host, port: found.value.port, id: found.value.id }, { host: '127.0.0.1', port: 5050, id: '685fe32d-5050' });
  });

  it('waits for a leader that appears later, and gives one line when none does', async () => {
    const { detector: d } = detector(`zk://${zk.connectString}/later/faultline`);
    const waiting = d.waitForLeader(10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(d.leader(), null);
    await new Promise<void>((resolve, reject) => admin.mkdirp('/later/faultline', (error) => (error ? reject(error) : resolve())));
    await create('/later/faultline/json.info_', '{"pid":"master@127.0.0.9:7070"}', zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL);
    const leader = await waiting;
    assert.deepEqual({ host: leader?.host, port: leader?.port, id: leader?.id }, { host: '127.0.0.9', port: 7070, id: null });

    const none = await detectLeaderOnce(url(`zk://${zk.connectString}/empty`), 500);
    assert.equal(none.ok, false);
    if (!none.ok) {
      assert.match(none.error.message, /no leading master under \/empty on ZooKeeper 127\.0\.0\.1:\d+ within 500 ms/);
      assert.ok(!none.error.message.includes('\n'));
    }
  });

  it('gives one line when no ZooKeeper listens', async () => {
    const port = await closedPort();
    const started = performance.now();
    const none = await detectLeaderOnce(url(`zk://127.0.0.1:${port}/faultline`), 800);
    assert.equal(none.ok, false);
    assert.ok(performance.now() - started < 5_000, 'it does not hang');
  });
});
