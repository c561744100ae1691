/**
 * The operator client against a fixture server replaying a recorded Mesos
 * operator stream in Mesos's shapes: the leader found through /master/redirect
 * and through a 307 on SUBSCRIBE, the snapshot and the replayed events, the
 * polls, a reconnect with a fresh snapshot after 3 missed heartbeats, and the
 * probe that tells a Mesos master (400 to FAULTLINE_GET_INFO) from a faultline one.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OperatorModel } from '../../src/api/operator-model.js';
import { adaptivePollMs, leaderOr, OperatorClient, parseOperatorMaster, probeMaster } from '../../src/live/operator-client/index.js';
import { startMesosOperatorFixture, type MesosOperatorFixture } from '../helpers/mesos-operator-fixture.js';

const started: Array<{ close(): Promise<void> } | { stop(): void }> = [];

afterEach(async () => {
  for (const thing of started.splice(0).reverse()) {
    if ('stop' in thing) thing.stop();
    else await thing.close();
  }
});

async function fixture(options: Parameters<typeof startMesosOperatorFixture>[0] = {}): Promise<MesosOperatorFixture> {
  const f = await startMesosOperatorFixture(options);
  started.push(f);
  return f;
}

async function until(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function endpointOf(port: number) {
  const parsed = parseOperatorMaster(`127.0.0.1:${port}`);
  assert.ok(parsed.ok);
  return parsed.value;
}

/** A client wired to a model, as `faultline top`'s feed wires it. */
function attach(port: number, extra: Partial<ConstructorParameters<typeof OperatorClient>[0]> = {}) {
  const model = new OperatorModel({ attachedAtMs: Date.now(), masterName: `127.0.0.1:${port}` });
  const notices: string[] = [];
  const events: string[] = [];
  let agentPolls = 0;
  const client = new OperatorClient({
    master: endpointOf(port),
    faultline: false,
    retryIntervalMs: 50,
    onEvent: (e) => {
      events.push(String(e.type));
      model.apply(e, Date.now());
    },
    onAgents: (j) => {
      agentPolls += 1;
      model.setAgents(j, Date.now());
    },
    onFrameworks: (j) => model.setFrameworks(j, Date.now()),
    onMaster: (j) => model.setMaster(j),
    onInfo: (i) => model.setInfo(i, Date.now()),
    onNotice: (t) => notices.push(t),
    ...extra,
  });
  started.push(client);
  client.start();
  return { client, model, notices, events, agentPolls: () => agentPolls };
}

describe('operator client', () => {
  it('parses --master: HOST:PORT, http://HOST:PORT, and refuses zk:// in one line', () => {
    assert.deepEqual(parseOperatorMaster('127.0.0.1:5050'), { ok: true, value: { host: '127.0.0.1', port: 5050, path: '/api/v1' } });
    assert.deepEqual(parseOperatorMaster('http://m1:5050'), { ok: true, value: { host: 'm1', port: 5050, path: '/api/v1' } });
    const zk = parseOperatorMaster('zk://zk1:2181/mesos');
    assert.ok(!zk.ok);
    assert.match(zk.error.message, /ZooKeeper detection is not yet supported here/);
    assert.ok(!parseOperatorMaster('m1').ok, 'a port is required');
  });

  it('polls every 10 s below 500 agents and slower above', () => {
    assert.equal(adaptivePollMs(3), 10_000);
    assert.equal(adaptivePollMs(5_000), 100_000);
    assert.equal(adaptivePollMs(1_000_000), 960_000);
  });

  it('subscribes, takes the snapshot, the polls and the replayed TASK_ADDED / TASK_UPDATED', async () => {
    const master = await fixture();
    const { model, agentPolls } = attach(master.port, { pollBaseMs: 50 });
    await until('the snapshot', () => model.subscribed);
    await until('a GET_AGENTS poll', () => agentPolls() >= 1);
    await until('the master header', () => model.state(Date.now()).leader?.masterId === '9f2c1b7e-5d6a-4c33-8e1f-2a7b3c4d5e6f');
    const state = model.state(Date.now());
    assert.deepEqual([...state.agents.values()].map((a) => a.host).sort(), master.hosts.slice().sort());
    assert.equal(state.leader?.node, 'mesos-master-1.example:5050');
    while (master.next());
    await until('redis running', () => model.state(Date.now()).tasks.get('redis.3c4d')?.state === 'TASK_RUNNING');
    await until('a second poll (adaptive, slow by default)', () => agentPolls() >= 2);
    assert.ok(master.calls.includes('GET_FRAMEWORKS'));
    assert.ok(!master.calls.includes('FAULTLINE_GET_INFO'), 'not a faultline master: no info polls');
  });

  it('finds the leader through /master/redirect (307 to //host:port)', async () => {
    const leader = await fixture();
    const standby = await fixture({ standbyOf: leader.url });
    const found = await leaderOr(endpointOf(standby.port), 5000);
    assert.deepEqual(found, { ok: true, value: { host: '127.0.0.1', port: leader.port, path: '/api/v1' } });
    const { client, model } = attach(standby.port);
    await until('the snapshot from the leader', () => model.subscribed);
    assert.equal(client.endpoint.port, leader.port);
    assert.equal(standby.subscribes(), 0);
    assert.equal(leader.subscribes(), 1);
  });

  it('after losing the leader, asks the detector first and re-snapshots from the new leader', async () => {
    const first = await fixture();
    const second = await fixture();
    let detected = endpointOf(first.port);
    const { client, model, notices } = attach(first.port, { redetect: () => detected });
    await until('the snapshot from the first leader', () => model.subscribed && client.connected);
    detected = endpointOf(second.port);
    await first.close();
    await until('the snapshot from the second leader', () => client.connected && client.endpoint.port === second.port);
    assert.equal(second.subscribes(), 1);
    assert.equal(client.subscriptions, 2);
    assert.ok(notices.some((n) => n.includes(`leading master: 127.0.0.1:${second.port}`)), notices.join('\n'));
  });

  it('leaderChanged() moves a live stream to the leader the detector names, and ignores the same leader', async () => {
    const first = await fixture();
    const second = await fixture();
    let detected = endpointOf(first.port);
    const { client, notices } = attach(first.port, { redetect: () => detected });
    await until('subscribed to the first', () => client.connected);
    client.leaderChanged();
    assert.equal(client.connected, true, 'the same leader: the stream stays');
    detected = endpointOf(second.port);
    client.leaderChanged();
    await until('subscribed to the second', () => client.connected && client.endpoint.port === second.port);
    assert.equal(first.subscribes(), 1);
    assert.ok(notices.some((n) => n.includes(`ZooKeeper names a new leading master: 127.0.0.1:${second.port}`)), notices.join('\n'));
  });

  it('follows a 307 on SUBSCRIBE to the leader when /master/redirect is not there', async () => {
    const leader = await fixture();
    const standby = await fixture({ standbyOf: leader.url, noRedirectEndpoint: true });
    const { client, model, notices } = attach(standby.port);
    await until('the snapshot from the leader', () => model.subscribed);
    assert.equal(client.endpoint.port, leader.port);
    assert.deepEqual(standby.calls, ['SUBSCRIBE']);
    assert.ok(notices.some((n) => n.includes(`redirected to 127.0.0.1:${leader.port}`)), notices.join('\n'));
  });

  it('reconnects and takes a fresh snapshot after 3 heartbeat intervals of silence', async () => {
    const master = await fixture({ heartbeatIntervalSeconds: 0.1, heartbeatEveryMs: 50 });
    const { client, model, notices, events } = attach(master.port);
    await until('the snapshot', () => model.subscribed);
    await until('heartbeats', () => events.filter((e) => e === 'HEARTBEAT').length >= 3);
    assert.equal(client.subscriptions, 1, 'heartbeats keep the stream alive');
    master.next(); // TASK_ADDED redis on the first stream
    await until('redis added', () => model.state(Date.now()).tasks.has('redis.3c4d'));
    master.mute();
    await until('the resubscription', () => master.subscribes() >= 2 && client.subscriptions >= 2);
    assert.ok(notices.some((n) => /no heartbeat from 127\.0\.0\.1:\d+ for 0\.3s/.test(n)), notices.join('\n'));
    assert.equal(events.filter((e) => e === 'SUBSCRIBED').length, 2);
    // The fresh snapshot replays what the master holds (here: redis added, as the recording has it).
    assert.ok(model.state(Date.now()).tasks.has('nginx.1a2b'));
  });

  it('reconnects with backoff when the stream closes, and keeps trying while the master is gone', async () => {
    const master = await fixture();
    const { client, notices } = attach(master.port);
    await until('subscribed', () => client.connected);
    await master.close();
    started.splice(started.indexOf(master), 1);
    await until('the loss noticed', () => notices.some((n) => n.includes('ended')));
    await until('a failed retry', () => notices.some((n) => n.includes('cannot reach')));
    assert.equal(client.connected, false);
  });

  it('probes: a Mesos master answers FAULTLINE_GET_INFO with 400 (read-only); a dead one is unreachable', async () => {
    const master = await fixture();
    const probed = await probeMaster(endpointOf(master.port), 5000);
    assert.ok(probed.ok);
    assert.equal(probed.value.master.kind, 'mesos');
    const gone = await probeMaster(endpointOf(1), 5000);
    assert.ok(!gone.ok);
    assert.match(gone.error.message, /cannot reach the master at 127\.0\.0\.1:1/);
  });
});
