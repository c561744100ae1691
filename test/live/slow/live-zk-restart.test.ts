/**
 * ZooKeeper itself stopped and started again under a running cluster: three
 * `faultline master --zk` processes (2 s sessions), two agents given zk:// and
 * a service of N. SIGKILL the ZooKeeper server (its data dir kept) for longer
 * than the session timeout: the leader's own session timer runs out and it
 * steps down, so no master leads while ZooKeeper is gone (no master's
 * /master/redirect names itself). Start ZooKeeper again on the same port and
 * data: a leader is elected (at a higher epoch: the old sessions expire on the
 * server first), both agents reregister with it, the service is back to N and
 * no acknowledged status update was lost. Then the same with ZooKeeper
 * frozen (SIGSTOP, a silent partition) and thawed. Every process is stopped
 * in the after hook, also on failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createZooKeeperDetector, parseZkUrl, type ZooKeeperDetector } from '../../../src/live/zookeeper/index.js';
import { latestAcked, lostUpdates } from '../../helpers/acked-updates.js';
import { getJson, LiveDaemons, freePort, until, type Daemon } from '../../helpers/live-daemons.js';
import { LiveService } from '../../helpers/live-service.js';
import { startZooKeeper, zookeeperSkip, type TestZooKeeper } from '../../helpers/zookeeper.js';

const INSTANCES = 3;
const SESSION_MS = 2_000;

interface MasterProcess {
  readonly daemon: Daemon;
  readonly port: number;
}

/** What `/master/redirect` on `port` says: the leader's port, 'none' (503 or another answer), or 'down'. */
async function redirectOf(port: number): Promise<number | 'none' | 'down'> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/master/redirect`, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    const location = res.headers.get('location');
    return res.status === 307 && location !== null ? Number(new URL(`http:${location}`).port) : 'none';
  } catch {
    return 'down';
  }
}

/** The masters whose /master/redirect names themselves: the ones that lead. */
async function selfLeaders(masters: readonly MasterProcess[]): Promise<number[]> {
  const named = await Promise.all(masters.map((m) => redirectOf(m.port)));
  return masters.filter((m, i) => named[i] === m.port).map((m) => m.port);
}

/** The one leader every master names, or null. */
async function agreedLeader(masters: readonly MasterProcess[]): Promise<number | null> {
  const named = await Promise.all(masters.map((m) => redirectOf(m.port)));
  const first = named[0];
  return typeof first === 'number' && named.every((p) => p === first) && masters.some((m) => m.port === first) ? first : null;
}

interface StateJson {
  slaves: Array<{ active: boolean }>;
  frameworks: Array<{ tasks: Array<{ id: string; state: string }> }>;
}

async function stateOf(port: number): Promise<StateJson | null> {
  try {
    return (await getJson(port, '/master/state')) as StateJson;
  } catch {
    return null;
  }
}

describe('ZooKeeper stopped and started again under three masters', { skip: zookeeperSkip }, () => {
  let zk: TestZooKeeper | null = null;
  const daemons = new LiveDaemons();
  let detector: ZooKeeperDetector | null = null;
  let service: LiveService | null = null;

  before(async () => {
    zk = await startZooKeeper({ tickTimeMs: 500 });
  });
  after(async () => {
    service?.stop();
    await detector?.close();
    await daemons.stopAll();
    await zk?.close();
  });

  it('the masters step down while it is gone; when it is back a leader is elected, the agents reregister, the service is back to N', { timeout: 240_000 }, async () => {
    assert.ok(zk !== null);
    const server = zk;
    const zkUrlText = `zk://${server.connectString}/faultline-zk-restart`;
    const masters: MasterProcess[] = [];
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      const daemon = await daemons.start(
        ['master', '--listen', `127.0.0.1:${port}`, '--work-dir', `${daemons.dir}/master-${port}`, '--timing', 'fast', '--zk', zkUrlText, '--zk-session-timeout', `${SESSION_MS / 1000}s`],
        /listening on/,
      );
      masters.push({ daemon, port });
    }
    const agents = [await daemons.agent(zkUrlText), await daemons.agent(zkUrlText)];
    const explain = (): string =>
      [...masters.map((m) => `--- master ${m.port}\n${m.daemon.output()}`), ...agents.map((a) => `--- agent ${a.node}\n${a.daemon.output()}`), `--- service tasks ${JSON.stringify([...(service?.tasks.values() ?? [])])}`].join('\n');
    let first: number | null = null;
    await until('the masters agree on a leader', async () => (first = await agreedLeader(masters)) !== null, 30_000, explain);
    const firstLeader = first as unknown as number;
    await until('both agents registered', async () => (await stateOf(firstLeader))?.slaves.filter((s) => s.active).length === 2, 30_000, explain);

    const url = parseZkUrl(zkUrlText);
    assert.ok(url.ok);
    detector = createZooKeeperDetector({ url: url.value, sessionTimeoutMs: 4_000 });
    const zkDetector = detector;
    const svc = new LiveService({
      master: `127.0.0.1:${firstLeader}`,
      instances: INSTANCES,
      maxPerAgent: INSTANCES,
      command: 'sleep 300',
      redetect: () => {
        const leader = zkDetector.leader();
        return leader === null ? null : { host: leader.host, port: leader.port, path: '/api/v1/scheduler' };
      },
    });
    service = svc;
    svc.start();
    await until('the service runs N tasks', () => svc.running().length === INSTANCES, 30_000, explain);
    await until('N RUNNING updates acknowledged', () => [...latestAcked(svc.acked).values()].filter((u) => u.state === 'TASK_RUNNING').length === INSTANCES, 30_000, explain);
    daemons.noteTasks();

    // ZooKeeper crashes (SIGKILL, data kept). The leader's own session timer ends its leadership.
    await server.stop();
    await until('no master leads while ZooKeeper is gone', async () => (await selfLeaders(masters)).length === 0, 5 * SESSION_MS + 10_000, explain);
    assert.ok(masters.every((m) => m.daemon.child.exitCode === null), 'the masters step down and stay up');
    const oldLeader = masters.find((m) => m.port === firstLeader);
    await until("the old leader's own session timer ended its session", () => /session \S+ lost: no answer from ZooKeeper/.test(oldLeader?.daemon.output() ?? ''), 5 * SESSION_MS, explain);
    // Long enough for every old session to be past its timeout before the server comes back.
    await new Promise((r) => setTimeout(r, 2 * SESSION_MS));
    assert.deepEqual(await selfLeaders(masters), [], 'still no leader without ZooKeeper');
    await server.start();

    let second: number | null = null;
    await until('a leader is elected once ZooKeeper is back', async () => (second = await agreedLeader(masters)) !== null, 60_000, explain);
    const newLeader = second as unknown as number;
    await until('both agents reregistered with it', async () => (await stateOf(newLeader))?.slaves.filter((s) => s.active).length === 2, 60_000, explain);
    await until(
      'the service is back to N running tasks on it',
      async () => {
        const state = await stateOf(newLeader);
        const running = state?.frameworks.flatMap((f) => f.tasks).filter((t) => t.state === 'TASK_RUNNING').length ?? 0;
        return running === INSTANCES && svc.running().length === INSTANCES && svc.endpoint() === `127.0.0.1:${newLeader}`;
      },
      60_000,
      explain,
    );
    daemons.noteTasks();
    const epochs = masters.flatMap((m) => [...m.daemon.output().matchAll(/joined as json\.info_(\d+)/g)].map((x) => Number(x[1])));
    assert.ok(epochs.length > masters.length, `the masters joined again with new sessions: ${epochs.join(', ')}`);

    // No acknowledged update is lost across ZooKeeper's absence either.
    svc.clearReconciled();
    await until(
      'the new leader answered the reconciliation of every task',
      async () => {
        await svc.reconcile();
        await new Promise((r) => setTimeout(r, 500));
        return [...svc.tasks.keys()].every((id) => svc.reconciled.has(id));
      },
      30_000,
      explain,
    );
    assert.deepEqual(lostUpdates(svc.acked, svc.reconciled, svc.killed), [], `acknowledged: ${JSON.stringify(svc.acked)}\nreconciled: ${JSON.stringify([...svc.reconciled])}`);

    // Then ZooKeeper frozen (SIGSTOP): its connections stay open and nothing answers, which the npm client does
    // not report at all. The leader's session timer still ends its leadership; after SIGCONT the cluster recovers.
    server.pause();
    try {
      await until('no master leads while ZooKeeper is frozen', async () => (await selfLeaders(masters)).length === 0, 5 * SESSION_MS + 10_000, explain);
    } finally {
      server.resume();
    }
    let third: number | null = null;
    await until('a leader once ZooKeeper thaws', async () => (third = await agreedLeader(masters)) !== null, 60_000, explain);
    const thawed = third as unknown as number;
    await until('both agents registered with it', async () => (await stateOf(thawed))?.slaves.filter((s) => s.active).length === 2, 60_000, explain);
    await until('the service at N on it', async () => (await stateOf(thawed))?.frameworks.flatMap((f) => f.tasks).filter((t) => t.state === 'TASK_RUNNING').length === INSTANCES && svc.running().length === INSTANCES, 60_000, explain);
    daemons.noteTasks();
  });
});
