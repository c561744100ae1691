/**
 * `faultline top` follows a new leader while it runs, without being restarted:
 * three `faultline master --zk` processes on a private ZooKeeper, two agents
 * given zk://, and two real `top`s in tmux, one given `--master zk://...`
 * (it watches ZooKeeper) and one given a standby's HOST:PORT (it asks that
 * standby's /master/redirect again once the stream is lost). SIGKILL the
 * leader: both panes show the new leader's node id in the header (the masters
 * allow chaos, so no read-only reason pushes it off the line) and both
 * agents registered again, and neither top exited. Every process (tmux,
 * daemons, ZooKeeper) is stopped in the after hook, also on failure.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getJson, LiveDaemons, freePort, until, type Daemon } from '../../helpers/live-daemons.js';
import { TmuxPane } from '../../helpers/tmux.js';
import { startZooKeeper, zookeeperSkip, type TestZooKeeper } from '../../helpers/zookeeper.js';

const root = resolve(import.meta.dirname, '../../..');
const entry = join(root, 'test/helpers/cli-entry.ts');

interface MasterProcess {
  readonly daemon: Daemon;
  readonly port: number;
  readonly node: string;
}

async function leaderPortOf(port: number): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/master/redirect`, { redirect: 'manual' });
    await res.arrayBuffer();
    const location = res.headers.get('location');
    return res.status === 307 && location !== null ? Number(new URL(`http:${location}`).port) : null;
  } catch {
    return null;
  }
}

async function activeAgents(port: number): Promise<number> {
  try {
    return ((await getJson(port, '/master/state')) as { slaves: Array<{ active: boolean }> }).slaves.filter((s) => s.active).length;
  } catch {
    return 0;
  }
}

/** The header line (the first line of the frame). */
function header(screen: string): string {
  return screen.split('\n').find((l) => l.startsWith('faultline')) ?? '';
}

/** Both agents listed as registered and up (the Agents view). */
function bothAgentsUp(screen: string): boolean {
  return /Agents 2\/2/.test(screen) && (screen.match(/^\S*\s+\S+-S\d+\s+127\.0\.0\.1\s+registered\s+up\b/gm) ?? []).length === 2;
}

describe('faultline top follows the new leader after a SIGKILL', { skip: zookeeperSkip }, () => {
  let zk: TestZooKeeper | null = null;
  const daemons = new LiveDaemons();
  const socket = `faultline-zk-top-${process.pid}`;
  const zkPane = new TmuxPane(socket, 'zk');
  const hostPane = new TmuxPane(socket, 'hostport');

  before(async () => {
    zk = await startZooKeeper({ tickTimeMs: 500 });
  });
  after(async () => {
    zkPane.kill();
    await daemons.stopAll();
    await zk?.close();
  });

  it('a zk:// top and a HOST:PORT top (a standby) both show the new leader and the agents again', { timeout: 180_000 }, async () => {
    assert.ok(zk !== null);
    const zkUrl = `zk://${zk.connectString}/faultline-top`;
    const masters: MasterProcess[] = [];
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      const daemon = await daemons.start(
        ['master', '--listen', `127.0.0.1:${port}`, '--work-dir', `${daemons.dir}/master-${port}`, '--timing', 'fast', '--zk', zkUrl, '--zk-session-timeout', '2s', '--heartbeat-interval', '1s', '--allow-chaos'],
        /listening on/,
      );
      const node = /listening on \S+ \((master-[0-9a-f]+)/.exec(daemon.output())?.[1];
      assert.ok(node !== undefined, daemon.output());
      masters.push({ daemon, port, node });
    }
    const explain = (): string => masters.map((m) => `--- master ${m.port} ${m.node}\n${m.daemon.output()}`).join('\n');
    let first: number | null = null;
    await until('a leader', async () => (first = await leaderPortOf(masters[0]?.port ?? 0)) !== null, 30_000, explain);
    const leader = masters.find((m) => m.port === first);
    assert.ok(leader !== undefined);
    await daemons.agent(zkUrl);
    await daemons.agent(zkUrl);
    await until('both agents registered', async () => (await activeAgents(leader.port)) === 2, 30_000, explain);

    // The HOST:PORT top is given a standby that survives the kill.
    const standby = masters.find((m) => m !== leader);
    assert.ok(standby !== undefined);
    const topCommand = (master: string): string => `cd ${root} && env -u CI ${process.execPath} --import tsx ${entry} top --master ${master}; echo EXITED $?; sleep 600`;
    zkPane.run('new-session', '-d', '-s', 'zk', '-x', '140', '-y', '30', topCommand(zkUrl));
    hostPane.run('new-session', '-d', '-s', 'hostport', '-x', '140', '-y', '30', topCommand(`127.0.0.1:${standby.port}`));
    for (const pane of [zkPane, hostPane]) {
      await pane.waitFor('the first frame naming the leader', (s) => header(s).includes(`leader ${leader.node}`), 30_000);
      pane.keys('2');
      await pane.waitFor('both agents', bothAgentsUp, 30_000);
    }
    assert.match(header(zkPane.screen()), new RegExp(`top ${zkUrl.replace(/[.]/g, '\\.')}`), 'the zk:// top names its URL, not one master');

    leader.daemon.child.kill('SIGKILL');
    await leader.daemon.exited;
    const survivors = masters.filter((m) => m !== leader);
    let second: number | null = null;
    await until('a new leader', async () => (second = await leaderPortOf(standby.port)) !== null && second !== leader.port, 30_000, explain);
    const next = survivors.find((m) => m.port === second);
    assert.ok(next !== undefined);

    for (const [name, pane] of [['zk://', zkPane], ['HOST:PORT', hostPane]] as const) {
      const shown = await pane.waitFor(`the ${name} top showing the new leader ${next.node} and both agents again`, (s) => header(s).includes(`leader ${next.node}`) && bothAgentsUp(s), 60_000);
      assert.doesNotMatch(shown, /EXITED/, `the ${name} top was not restarted`);
      assert.doesNotMatch(header(shown), new RegExp(`leader ${leader.node}`));
    }
    for (const pane of [zkPane, hostPane]) pane.keys('q');
    for (const pane of [zkPane, hostPane]) assert.match(await pane.waitFor('the exit', (s) => s.includes('EXITED')), /EXITED 0/);
  });
});
