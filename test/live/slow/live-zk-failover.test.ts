/**
 * Three `faultline master --zk` processes on one real ZooKeeper, two
 * `faultline agent --master zk://` processes and a service framework: SIGKILL
 * the leading master (just after it accepted a KILL); a standby is elected,
 * the standbys' 307s name it, both agents reregister with it, the service is
 * back to N running tasks, and no acknowledged status update is lost: the
 * kill's TASK_KILLED reaches the framework (which sends the kill again to the
 * new leader, kills being unreliable in Mesos) and the new leader's answers to an
 * explicit RECONCILE agree with every update the framework acknowledged.
 * Then `faultline top` and `faultline execute` given zk:// reach the new leader,
 * and a leader whose election node is removed aborts and contends again as a
 * standby in the same process while the other survivor leads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createZooKeeperDetector, parseZkUrl, removeElectionNodes, type ZooKeeperDetector } from '../../../src/live/zookeeper/index.js';
import { getJson, LiveDaemons, freePort, until, type Daemon } from '../../helpers/live-daemons.js';
import { latestAcked, lostUpdates } from '../../helpers/acked-updates.js';
import { LiveService } from '../../helpers/live-service.js';
import { startZooKeeper, zookeeperSkip, type TestZooKeeper } from '../../helpers/zookeeper.js';

const INSTANCES = 3;

interface StateJson {
  slaves: Array<{ id: string; hostname: string; port: number; active: boolean }>;
}

interface LiveMasterProcess {
  readonly daemon: Daemon;
  readonly port: number;
}

/** Where `/master/redirect` on `port` points (the leader's port), or null (503, refused). */
async function redirectPort(port: number): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/master/redirect`, { redirect: 'manual' });
    await res.arrayBuffer();
    const location = res.headers.get('location');
    if (res.status !== 307 || location === null) return null;
    return Number(new URL(`http:${location}`).port);
  } catch {
    return null;
  }
}

/** The leader's port when every live master names the same one, else null. */
async function agreedLeader(masters: readonly LiveMasterProcess[]): Promise<number | null> {
  const named = await Promise.all(masters.map((m) => redirectPort(m.port)));
  const first = named[0];
  return first !== undefined && first !== null && named.every((p) => p === first) && masters.some((m) => m.port === first) ? first : null;
}

async function activeAgents(port: number): Promise<number> {
  try {
    return ((await getJson(port, '/master/state')) as StateJson).slaves.filter((s) => s.active).length;
  } catch {
    return 0;
  }
}

describe('faultline master --zk: failover of the leading master process', { skip: zookeeperSkip }, () => {
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

  it('elects a standby, the agents and the service follow it, the service is back to N', async () => {
    assert.ok(zk !== null);
    const zkUrlText = `zk://${zk.connectString}/faultline-failover`;
    const masters: LiveMasterProcess[] = [];
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      const daemon = await daemons.start(
        ['master', '--listen', `127.0.0.1:${port}`, '--work-dir', `${daemons.dir}/master-${port}`, '--timing', 'fast', '--zk', zkUrlText, '--zk-session-timeout', '2s'],
        /listening on/,
      );
      masters.push({ daemon, port });
    }
    const explain = (): string => masters.map((m) => `--- master ${m.port}\n${m.daemon.output()}`).join('\n');
    let leaderPort: number | null = null;
    await until('the masters agree on a leader', async () => (leaderPort = await agreedLeader(masters)) !== null, 30_000, explain);
    assert.ok(leaderPort !== null);

    const agents = [await daemons.agent(zkUrlText), await daemons.agent(zkUrlText)];
    const explainAll = (): string => `${explain()}\n${agents.map((a) => `--- agent ${a.node}\n${a.daemon.output()}`).join('\n')}`;
    const firstLeader = leaderPort;
    await until('both agents registered with the leader', async () => (await activeAgents(firstLeader)) === 2, 30_000, explainAll);

    const url = parseZkUrl(zkUrlText);
    assert.ok(url.ok);
    detector = createZooKeeperDetector({ url: url.value, sessionTimeoutMs: 4_000 });
    const zkDetector = detector;
    // The service starts at a standby (a 307 takes it to the leader) and re-detects through ZooKeeper after a loss.
    const standby = masters.find((m) => m.port !== firstLeader);
    assert.ok(standby);
    service = new LiveService({
      master: `127.0.0.1:${standby.port}`,
      instances: INSTANCES,
      maxPerAgent: INSTANCES,
      command: 'sleep 300',
      redetect: () => {
        const leader = zkDetector.leader();
        return leader === null ? null : { host: leader.host, port: leader.port, path: '/api/v1/scheduler' };
      },
    });
    const svc = service;
    svc.start();
    await until('the service runs N tasks', () => svc.running().length === INSTANCES, 30_000, explainAll);
    daemons.noteTasks();
    await until('the service acknowledged N RUNNING updates', () => [...latestAcked(svc.acked).values()].filter((u) => u.state === 'TASK_RUNNING').length === INSTANCES, 30_000, explainAll);

    // A kill the old leader accepted just before it dies: its TASK_KILLED is in flight across the failover
    // (to the old leader, or retried by the agent to the new one), and must still reach the framework.
    const doomed = svc.running()[0]?.taskId;
    assert.ok(doomed !== undefined);
    assert.equal(await svc.kill(doomed), true, 'the leader accepted the KILL');
    const killed = masters.find((m) => m.port === firstLeader);
    assert.ok(killed);
    killed.daemon.child.kill('SIGKILL');
    await killed.daemon.exited;
    const survivors = masters.filter((m) => m !== killed);

    let newLeader: number | null = null;
    await until('a standby is elected and both survivors name it', async () => (newLeader = await agreedLeader(survivors)) !== null, 30_000, explainAll);
    assert.ok(newLeader !== null);
    assert.notEqual(newLeader, firstLeader);
    const second = newLeader;
    await until('both agents reregistered with the new leader', async () => (await activeAgents(second)) === 2, 45_000, explainAll);
    await until(
      'the service is back to N running tasks on the new leader',
      async () => {
        const state = (await getJson(second, '/master/state')) as { frameworks: Array<{ tasks: Array<{ state: string }> }> };
        const running = state.frameworks.flatMap((f) => f.tasks).filter((t) => t.state === 'TASK_RUNNING').length;
        return running === INSTANCES && svc.running().length === INSTANCES;
      },
      45_000,
      explainAll,
    );
    daemons.noteTasks();

    // No acknowledged status update is lost: the kill's TASK_KILLED reaches the framework, and the new leader's
    // answers to an explicit RECONCILE of every task agree with every update the framework acknowledged.
    // Kills are not reliable in Mesos (a master may die before it forwards one): a framework sends them again to
    // the new leader until it hears the end, as Marathon does. The update that ends the task must not be lost.
    await until(
      'the framework acknowledged the TASK_KILLED of the task killed across the failover',
      async () => {
        if (latestAcked(svc.acked).get(doomed)?.state === 'TASK_KILLED') return true;
        if (svc.tasks.get(doomed)?.state === 'TASK_RUNNING') await svc.kill(doomed);
        await new Promise((r) => setTimeout(r, 500));
        return latestAcked(svc.acked).get(doomed)?.state === 'TASK_KILLED';
      },
      45_000, () => `${explainAll()}\nthe framework's tasks: ${JSON.stringify([...svc.tasks.values()])}\nacknowledged: ${JSON.stringify(svc.acked)}`);
    assert.equal(svc.endpoint(), `127.0.0.1:${second}`, 'the framework talks to the new leader');
    svc.clearReconciled();
    await until(
      'the new leader answered the reconciliation of every task',
      async () => {
        if ([...svc.tasks.keys()].every((id) => svc.reconciled.has(id))) return true;
        await svc.reconcile();
        await new Promise((r) => setTimeout(r, 500));
        return [...svc.tasks.keys()].every((id) => svc.reconciled.has(id));
      },
      30_000,
      explainAll,
    );
    const lost = lostUpdates(svc.acked, svc.reconciled, svc.killed);
    assert.deepEqual(lost, [], `acknowledged: ${JSON.stringify(svc.acked)}\nreconciled: ${JSON.stringify([...svc.reconciled])}`);
    // The new leader's own state says the same of every task acknowledged RUNNING and not killed.
    const leaderState = (await getJson(second, '/master/state')) as { frameworks: Array<{ tasks: Array<{ id: string; state: string }> }> };
    const stateOf = new Map(leaderState.frameworks.flatMap((f) => f.tasks).map((t) => [t.id, t.state]));
    const runningAcked = [...latestAcked(svc.acked).values()].filter((u) => u.state === 'TASK_RUNNING' && !svc.killed.has(u.taskId));
    assert.ok(runningAcked.length >= INSTANCES - 1, JSON.stringify(runningAcked));
    for (const update of runningAcked) assert.equal(stateOf.get(update.taskId), 'TASK_RUNNING', `${update.taskId} in the new leader's /master/state`);

    // Clients given zk:// start from the leader ZooKeeper names now.
    const top = await daemons.start(['top', '--master', zkUrlText, '--once', '--json'], null);
    assert.equal(await top.exited, 0, top.output());
    assert.equal((JSON.parse(top.output()) as { master: string }).master, `127.0.0.1:${second}`);
    const execute = await daemons.start(['execute', `--master=${zkUrlText}`, '--name=zk-echo', '--command=echo hi', '--resources=cpus:0.1;mem:16', '--timeout=30s'], null);
    assert.equal(await execute.exited, 0, execute.output());
    assert.match(execute.output(), /TASK_FINISHED/);

    // The leader loses its session (its election node removed): it aborts and contends again as a standby in the
    // same process, and the other survivor leads.
    const leading = survivors.find((m) => m.port === second);
    const nodeId = /listening on \S+ \((master-[0-9a-f]+)/.exec(leading?.daemon.output() ?? '')?.[1];
    assert.ok(leading !== undefined && nodeId !== undefined, explainAll());
    const removed = await removeElectionNodes(url.value, nodeId);
    assert.ok(removed.ok && removed.value === 1, JSON.stringify(removed));
    let third: number | null = null;
    await until('the other survivor leads and the old leader, still running, names it', async () => (third = await agreedLeader(survivors)) !== null && third !== second, 30_000, explainAll);
    assert.equal(leading.daemon.child.exitCode, null);
    await until('the old leader joined the election again as a standby', () => /joined as json\.info_\d+[\s\S]*joined as json\.info_\d+/.test(leading.daemon.output()), 30_000, explainAll);
    assert.equal(await agreedLeader(survivors), third);
  });

  it('an agent waiting for a leader under an empty path stops on SIGTERM (143)', async () => {
    assert.ok(zk !== null);
    const port = await freePort();
    const agent = await daemons.start(['agent', '--master', `zk://${zk.connectString}/nobody-leads`, '--listen', `127.0.0.1:${port}`, '--work-dir', `${daemons.dir}/agent-${port}`, '--timing', 'fast'], /waiting for a leading master/);
    agent.child.kill('SIGTERM');
    assert.equal(await agent.exited, 143, agent.output());
    assert.doesNotMatch(agent.output(), /serving on/);
  });
});
