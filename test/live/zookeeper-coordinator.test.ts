/**
 * The ZooKeeper coordinator endpoint against a real ZooKeeper, driven with the
 * messages the core HA master sends: sessions, joins (json.info_ nodes with
 * MasterInfo), the smallest sequence leading with its sequence as the epoch,
 * failover on a closed or expired session with every watcher told, fenced
 * registry writes, and the operator's expireSessions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zookeeper from 'node-zookeeper-client';
import type { Client } from 'node-zookeeper-client';
import type { NodeId } from '../../src/core/ids.js';
import type { CoordinatorMessage, Message } from '../../src/core/messages.js';
import { createZooKeeperCoordinator, sequenceOfEpoch, parseZkUrl, type ZooKeeperCoordinator } from '../../src/live/zookeeper/index.js';
import { writeRegistryFenced } from '../../src/live/zookeeper/registry-znode.js';
import { startZooKeeper, zookeeperSkip, type TestZooKeeper } from '../helpers/zookeeper.js';
import { waitUntil } from '../helpers/wall-clock-host.js';

const SESSION_MS = 2_000;
const skip = zookeeperSkip;

type Of<T extends CoordinatorMessage['type']> = Extract<CoordinatorMessage, { type: T }>;

/** What the endpoint delivered to each node. */
class Inboxes {
  readonly byNode = new Map<NodeId, CoordinatorMessage[]>();
  push(to: NodeId, message: CoordinatorMessage): void {
    const list = this.byNode.get(to) ?? [];
    list.push(message);
    this.byNode.set(to, list);
  }
  of<T extends CoordinatorMessage['type']>(node: NodeId, type: T): Array<Of<T>> {
    return (this.byNode.get(node) ?? []).filter((m): m is Of<T> => m.type === type);
  }
  last<T extends CoordinatorMessage['type']>(node: NodeId, type: T): Of<T> | undefined {
    return this.of(node, type).at(-1);
  }
}

interface Harness {
  readonly endpoint: ZooKeeperCoordinator;
  readonly inbox: Inboxes;
  readonly lines: string[];
  send(from: NodeId, message: Message): void;
}

let zk: TestZooKeeper;
let admin: Client;
const endpoints: ZooKeeperCoordinator[] = [];
let pathNumber = 0;

function harness(path: string): Harness {
  const url = parseZkUrl(`zk://${zk.connectString}${path}`);
  assert.ok(url.ok);
  const inbox = new Inboxes();
  const lines: string[] = [];
  const ports: Record<string, number> = { 'master-1': 5051, 'master-2': 5052, 'master-3': 5053 };
  const endpoint = createZooKeeperCoordinator({
    url: url.value,
    addressOf: (node) => ({ ip: '127.0.0.1', port: ports[node] ?? 5050 }),
    version: '0.1.0-test',
    deliver: (to, message) => inbox.push(to, message),
    log: (line) => lines.push(line),
    spinDelayMs: 100,
    watchSessionTimeoutMs: SESSION_MS,
  });
  endpoints.push(endpoint);
  return { endpoint, inbox, lines, send: (from, message) => endpoint.receive(from, message) };
}

function freshPath(): string {
  pathNumber += 1;
  return `/t${pathNumber}/faultline`;
}

/** Opens a session, joins, and watches, as the HA master does; returns the session id and sequence. */
async function contend(h: Harness, node: NodeId): Promise<{ sessionId: string; sequence: number }> {
  h.send(node, { type: 'coordinator.heartbeat', sessionId: null, timeoutMs: SESSION_MS });
  h.send(node, { type: 'coordinator.watch_leader' });
  await waitUntil(`${node}'s session`, () => h.inbox.last(node, 'coordinator.session') !== undefined);
  const session = h.inbox.last(node, 'coordinator.session');
  assert.ok(session && !session.expired);
  h.send(node, { type: 'coordinator.join', sessionId: session.sessionId });
  await waitUntil(`${node} joined`, () => h.inbox.last(node, 'coordinator.joined') !== undefined);
  const joined = h.inbox.last(node, 'coordinator.joined');
  assert.ok(joined);
  return { sessionId: session.sessionId, sequence: joined.sequence };
}

function children(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => admin.getChildren(path, (error, list) => (error ? reject(error) : resolve(list.sort()))));
}

function data(path: string): Promise<string> {
  return new Promise((resolve, reject) => admin.getData(path, (error, buffer) => (error ? reject(error) : resolve(buffer.toString('utf8')))));
}

function leaderOf(h: Harness, node: NodeId): { leader: NodeId | null; epoch: number } | undefined {
  return h.inbox.last(node, 'coordinator.leader');
}

/** Writes the registry as `node` at `epoch`; the answer. */
async function write(h: Harness, node: NodeId, epoch: number, requestId: number, agentId: string): Promise<boolean> {
  h.send(node, { type: 'coordinator.registry_write', epoch, requestId, ops: [{ op: 'admit', agentId, host: `host-${agentId}` }] });
  await waitUntil(`write ${requestId} answered`, () => h.inbox.of(node, 'coordinator.registry_written').some((m) => m.requestId === requestId));
  const answer = h.inbox.of(node, 'coordinator.registry_written').find((m) => m.requestId === requestId);
  assert.ok(answer);
  assert.equal(answer.epoch, epoch);
  return answer.accepted;
}

describe('the ZooKeeper coordinator endpoint', { skip }, () => {
  before(async () => {
    zk = await startZooKeeper();
    admin = zookeeper.createClient(zk.connectString, { sessionTimeout: 10_000 });
    admin.connect();
    await new Promise<void>((resolve) => admin.once('connected', () => resolve()));
  });
  after(async () => {
    await Promise.all(endpoints.map((e) => e.close()));
    admin?.close();
    await zk?.close();
  });

  it('elects the smallest sequence, with its sequence as the epoch, and writes Mesos MasterInfo', async () => {
    const path = freshPath();
    const h = harness(path);
    const m1 = await contend(h, 'master-1');
    const m2 = await contend(h, 'master-2');
    const m3 = await contend(h, 'master-3');
    assert.ok(m1.sequence < m2.sequence && m2.sequence < m3.sequence, 'sequences grow in join order');
    for (const node of ['master-1', 'master-2', 'master-3']) {
      await waitUntil(`${node} told the leader`, () => leaderOf(h, node)?.leader === 'master-1');
      assert.deepEqual(leaderOf(h, node), { type: 'coordinator.leader', leader: 'master-1', epoch: m1.sequence });
    }
    assert.deepEqual(h.endpoint.leaderNow(), { leader: 'master-1', epoch: m1.sequence });
    assert.deepEqual(h.endpoint.leaderAddress(), { host: '127.0.0.1', port: 5051 });

    const names = await children(path);
    assert.equal(names.length, 3);
    for (const name of names) assert.match(name, /^json\.info_\d{10}$/);
    const info = JSON.parse(await data(`${path}/${names[0]}`)) as Record<string, unknown>;
    assert.deepEqual(info, {
      address: { hostname: '127.0.0.1', ip: '127.0.0.1', port: 5051 },
      hostname: '127.0.0.1',
      id: 'master-1',
      ip: 16777343,
      pid: 'master@127.0.0.1:5051',
      port: 5051,
      version: '0.1.0-test',
    });

    // A repeated join (the master re-sends until it hears) is the same member, not a new one.
    h.send('master-2', { type: 'coordinator.join', sessionId: m2.sessionId });
    await waitUntil('the second joined', () => h.inbox.of('master-2', 'coordinator.joined').length === 2);
    assert.equal(h.inbox.last('master-2', 'coordinator.joined')?.sequence, m2.sequence);
    assert.equal((await children(path)).length, 3);
  });

  it('on a closed leader session the next member leads at a higher epoch, and every watcher is told', async () => {
    const h = harness(freshPath());
    const m1 = await contend(h, 'master-1');
    const m2 = await contend(h, 'master-2');
    const m3 = await contend(h, 'master-3');
    h.send('observer', { type: 'coordinator.watch_leader' });
    await waitUntil('master-1 leads', () => leaderOf(h, 'observer')?.leader === 'master-1');

    h.send('master-1', { type: 'coordinator.close', sessionId: m1.sessionId });
    for (const node of ['master-1', 'master-2', 'master-3', 'observer']) {
      await waitUntil(`${node} told master-2 leads`, () => leaderOf(h, node)?.leader === 'master-2');
      assert.equal(leaderOf(h, node)?.epoch, m2.sequence);
    }
    assert.ok(m2.sequence > m1.sequence);
    // The closed session is gone: its heartbeat is answered with expired.
    h.send('master-1', { type: 'coordinator.heartbeat', sessionId: m1.sessionId, timeoutMs: SESSION_MS });
    await waitUntil('expired answer', () => h.inbox.of('master-1', 'coordinator.session').some((m) => m.sessionId === m1.sessionId && m.expired));

    // The operator's lever: expireSessions removes master-2's node at once and tells it.
    assert.equal(h.endpoint.expireSessions('master-2'), true);
    assert.equal(h.endpoint.expireSessions('nobody'), false);
    await waitUntil('master-3 leads', () => leaderOf(h, 'observer')?.leader === 'master-3');
    assert.equal(leaderOf(h, 'observer')?.epoch, m3.sequence);
    assert.ok(h.inbox.of('master-2', 'coordinator.session').some((m) => m.sessionId === m2.sessionId && m.expired));
  });

  it('answers heartbeats after a round trip and keeps the session alive past its timeout', async () => {
    const h = harness(freshPath());
    const m1 = await contend(h, 'master-1');
    const before = h.inbox.of('master-1', 'coordinator.session').length;
    for (let i = 0; i < 6; i += 1) {
      h.send('master-1', { type: 'coordinator.heartbeat', sessionId: m1.sessionId, timeoutMs: SESSION_MS });
      await new Promise((resolve) => setTimeout(resolve, SESSION_MS / 3));
    }
    const answers = h.inbox.of('master-1', 'coordinator.session').slice(before);
    assert.equal(answers.length, 6);
    assert.ok(answers.every((m) => m.sessionId === m1.sessionId && !m.expired));
    assert.equal(h.endpoint.leaderNow().leader, 'master-1');
  });

  it('fences registry writes: only the leader epoch writes; a deposed leader is refused', async () => {
    const path = freshPath();
    const h = harness(path);
    const m1 = await contend(h, 'master-1');
    const m2 = await contend(h, 'master-2');
    await waitUntil('master-1 leads', () => leaderOf(h, 'master-2')?.leader === 'master-1');

    assert.equal(await write(h, 'master-2', m2.sequence, 1, 'a1'), false, 'a standby epoch is refused');
    assert.equal(await write(h, 'master-2', m1.sequence, 2, 'a2'), false, "the leader's epoch from another node is refused");
    assert.equal(await write(h, 'master-1', m1.sequence, 3, 'a3'), true, 'the leader writes');
    assert.equal(await write(h, 'master-1', m1.sequence, 4, 'a4'), true);

    h.send('master-2', { type: 'coordinator.registry_read', epoch: m2.sequence });
    await waitUntil('registry read', () => h.inbox.last('master-2', 'coordinator.registry') !== undefined);
    const read = h.inbox.last('master-2', 'coordinator.registry');
    assert.deepEqual(
      read?.registry.agents.map((a) => a.agentId),
      ['a3', 'a4'],
    );
    assert.deepEqual(JSON.parse(await data(`${path}/registry`)).agents.map((a: { agentId: string }) => a.agentId), ['a3', 'a4']);

    // master-1 is deposed (its session closed): its epoch writes nothing; the new leader's does.
    h.send('master-1', { type: 'coordinator.close', sessionId: m1.sessionId });
    await waitUntil('master-2 leads', () => leaderOf(h, 'master-2')?.leader === 'master-2');
    assert.equal(await write(h, 'master-1', m1.sequence, 5, 'a5'), false);
    assert.equal(await write(h, 'master-2', m2.sequence, 6, 'a6'), true);
    assert.deepEqual(JSON.parse(await data(`${path}/registry`)).agents.map((a: { agentId: string }) => a.agentId), ['a3', 'a4', 'a6']);
    assert.ok(h.lines.some((line) => line.includes('refused')));
  });

  it("the transaction's check fences a writer whose election node is gone, even at the leader's epoch", async () => {
    const path = freshPath();
    const h = harness(path);
    const m1 = await contend(h, 'master-1');
    await contend(h, 'master-2');
    const names = await children(path);
    // A writer that claims the leader's epoch but holds no election node of its own (a stale or forged one).
    const forged = await writeRegistryFenced({ client: admin, path, memberPath: `${path}/json.info_9999999999`, epoch: sequenceOfEpoch(m1.sequence) }, [
      { op: 'admit', agentId: 'x', host: 'h' },
    ]);
    assert.deepEqual(forged.accepted, false);
    assert.match(forged.accepted ? '' : forged.reason, /fenced/);
    const genuine = await writeRegistryFenced({ client: admin, path, memberPath: `${path}/${names[0]}`, epoch: sequenceOfEpoch(m1.sequence) }, [
      { op: 'admit', agentId: 'y', host: 'h' },
    ]);
    assert.equal(genuine.accepted, true);
    assert.deepEqual(JSON.parse(await data(`${path}/registry`)).agents.map((a: { agentId: string }) => a.agentId), ['y']);
  });

  it('a heartbeat, join or write naming an unknown session is answered as expired or refused', async () => {
    const h = harness(freshPath());
    h.send('master-1', { type: 'coordinator.heartbeat', sessionId: 'feedfeedfeedfeed', timeoutMs: SESSION_MS });
    h.send('master-1', { type: 'coordinator.join', sessionId: 'feedfeedfeedfeed' });
    await waitUntil('two expired answers', () => h.inbox.of('master-1', 'coordinator.session').filter((m) => m.expired).length === 2);
    assert.equal(await write(h, 'master-1', 0, 1, 'a'), false);
    // And a session of another owner is not this owner's.
    const m2 = await contend(h, 'master-2');
    h.send('master-1', { type: 'coordinator.join', sessionId: m2.sessionId });
    await waitUntil('expired for the wrong owner', () => h.inbox.of('master-1', 'coordinator.session').filter((m) => m.expired).length === 3);
  });
});
