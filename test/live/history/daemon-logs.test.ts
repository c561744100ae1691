/**
 * startLiveMaster / startLiveAgent in this process with `eventLog` and
 * `nodeId`: the master's log names its events by its node id and a restarted
 * master appends to the same file; an agent's node id is its host and its
 * hostname at the master; with ZooKeeper the node id is the MasterInfo id;
 * a bad node id or an unusable event log is a typed error at its flag.
 * (The agent's own events, which need a task, are in test/live/slow/live-event-log.test.ts.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseResources } from '../../../src/core/resources.js';
import { TIMING_PROFILES } from '../../../src/core/timing.js';
import { startLiveAgent, type LiveAgent } from '../../../src/live/agent/live-agent.js';
import { createProcessExecutor } from '../../../src/live/executor/process-executor.js';
import { parseEventLine, type EventLogEntry } from '../../../src/live/history/index.js';
import { startLiveMaster, type LiveMaster, type LiveMasterOptions } from '../../../src/live/master/live-master.js';
import { detectLeaderOnce, parseZkUrl } from '../../../src/live/zookeeper/index.js';
import { startZooKeeper, zookeeperSkip, type TestZooKeeper } from '../../helpers/zookeeper.js';
import { waitUntil } from '../../helpers/wall-clock-host.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-daemon-logs-'));
const masters: LiveMaster[] = [];
const agents: LiveAgent[] = [];
let zk: TestZooKeeper | null = null;
after(async () => {
  await Promise.all(agents.map((a) => a.close({ killTasks: true })));
  await Promise.all(masters.map((m) => m.close()));
  await zk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const masterOptions = (name: string, extra: Partial<LiveMasterOptions> = {}): LiveMasterOptions => ({
  host: '127.0.0.1',
  port: 0,
  workDir: join(dir, name),
  secret: null,
  allowChaos: false,
  timing: TIMING_PROFILES.fast,
  heartbeatIntervalMs: 15_000,
  ...extra,
});

function entries(path: string): EventLogEntry[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const parsed = parseEventLine(l);
      assert.ok(parsed.ok, `malformed line ${l}`);
      return parsed.value;
    });
}

async function started<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>, into: T[]): Promise<T> {
  const r = await result;
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  into.push(r.value);
  return r.value;
}

describe('the live daemons as libraries, with eventLog and nodeId', () => {
  it('a master logs its events under its node id; restarted, it appends to the same file; an agent is known by its node id', async () => {
    const log = join(dir, 'master.jsonl');
    const master = await started(startLiveMaster(masterOptions('m', { nodeId: 'master-7', eventLog: log })), masters);
    assert.equal(master.node, 'master-7');
    await waitUntil('master-7 elected in its log', () => entries(log).some((e) => e.event.type === 'master.elected'), 5_000);
    const first = entries(log);
    assert.deepEqual(first.slice(0, 2).map((e) => [e.node, e.event.type]), [
      ['master-7', 'node.started'],
      ['master-7', 'master.elected'],
    ]);
    const elected = first[1]?.event;
    assert.ok(elected?.type === 'master.elected' && elected.node === 'master-7');

    const agent = await started(
      startLiveAgent({
        master: `${master.ip}:${master.port}`,
        host: '127.0.0.1',
        port: 0,
        resources: (() => {
          const r = parseResources('cpus:1;mem:256;disk:10;ports:[32000-32001]', 'r');
          assert.ok(r.ok);
          return r.value;
        })(),
        attributes: {},
        workDir: join(dir, 'agent'),
        secret: null,
        timing: TIMING_PROFILES.fast,
        createExecutor: createProcessExecutor,
        nodeId: 'agent-7',
        eventLog: join(dir, 'agent.jsonl'),
      }),
      agents,
    );
    assert.equal(agent.node, 'agent-7');
    await waitUntil('agent-7 registered', () => entries(log).some((e) => e.event.type === 'agent.registered'), 10_000);
    const registered = entries(log).find((e) => e.event.type === 'agent.registered');
    assert.ok(registered?.event.type === 'agent.registered' && registered.event.host === 'agent-7' && registered.node === 'master-7');
    const state = (await (await fetch(`http://127.0.0.1:${master.port}/master/state`)).json()) as { slaves: Array<{ hostname: string; pid: string }> };
    assert.deepEqual(state.slaves.map((s) => s.hostname), ['agent-7']);
    assert.match(state.slaves[0]?.pid ?? '', /^slave\(1\)@127\.0\.0\.1:\d+$/, 'the pid still says where it serves');
    const agentState = (await (await fetch(`http://127.0.0.1:${agent.port}/slave(1)/state`)).json()) as { hostname: string };
    assert.equal(agentState.hostname, 'agent-7');

    await agent.close({ killTasks: true });
    agents.length = 0;
    await master.close();
    masters.length = 0;
    const old = entries(log);
    const before = old.length;
    const again = await started(startLiveMaster(masterOptions('m', { nodeId: 'master-7', eventLog: log })), masters);
    await waitUntil('the restarted master elected', () => entries(log).slice(before).some((e) => e.event.type === 'master.elected'), 5_000);
    const all = entries(log);
    assert.deepEqual(all.slice(0, before), old, 'the old lines are kept');
    assert.equal(all.filter((e) => e.event.type === 'node.started' && e.node === 'master-7').length, 2, 'one node.started per process start');
    await again.close();
    masters.length = 0;
  });

  it('refuses a bad node id at --node-id and an unusable event log at --event-log', async () => {
    const badId = await startLiveMaster(masterOptions('bad-id', { nodeId: 'master one' }));
    assert.ok(!badId.ok && badId.error.code === 'USAGE' && badId.error.where === '--node-id');
    const badLog = await startLiveMaster(masterOptions('bad-log', { eventLog: join(dir, 'missing', 'x.jsonl') }));
    assert.ok(!badLog.ok && badLog.error.code === 'IO' && badLog.error.where === '--event-log');
    const badAgent = await startLiveAgent({
      master: '127.0.0.1:1',
      host: '127.0.0.1',
      port: 0,
      resources: { cpus: 1, mem: 1, disk: 1, gpus: 0, ports: [] },
      attributes: {},
      workDir: join(dir, 'bad-agent'),
      secret: null,
      timing: TIMING_PROFILES.fast,
      createExecutor: createProcessExecutor,
      eventLog: join(dir, 'missing', 'y.jsonl'),
    });
    assert.ok(!badAgent.ok && badAgent.error.where === '--event-log');
  });

  it('with ZooKeeper, the node id is the MasterInfo id', { skip: zookeeperSkip }, async () => {
    zk = await startZooKeeper();
    const url = parseZkUrl(`zk://${zk.connectString}/eventlog`, '--zk');
    assert.ok(url.ok);
    const log = join(dir, 'zk-master.jsonl');
    const master = await started(startLiveMaster(masterOptions('zk', { nodeId: 'master-zk-1', eventLog: log, zk: { url: url.value, sessionTimeoutMs: 4_000, version: 'test' } })), masters);
    assert.equal(master.node, 'master-zk-1');
    const leader = await detectLeaderOnce(url.value, 10_000);
    assert.ok(leader.ok, leader.ok ? '' : leader.error.message);
    assert.equal(leader.value.id, 'master-zk-1');
    await waitUntil('the ZooKeeper master elected', () => entries(log).some((e) => e.event.type === 'master.elected'), 10_000);
    assert.ok(entries(log).every((e) => e.node === 'master-zk-1'));
  });
});
