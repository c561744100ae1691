/**
 * The test ZooKeeper helper itself: it serves on its own loopback port, stops
 * (the process gone), starts again on the same port with the same data, and
 * `close` leaves no process and no directory behind.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import zookeeper from 'node-zookeeper-client';
import { fourLetterWord, startZooKeeper, zookeeperSkip } from '../helpers/zookeeper.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function withClient<T>(connectString: string, work: (client: zookeeper.Client) => Promise<T>): Promise<T> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 4_000 });
  client.connect();
  return new Promise<void>((resolve) => client.once('connected', () => resolve()))
    .then(() => work(client))
    .finally(() => client.close());
}

describe('the test ZooKeeper', { skip: zookeeperSkip }, () => {
  it('serves, stops, starts again on the same port and data, and closes without a trace', async (t) => {
    const zk = await startZooKeeper();
    t.after(() => zk.close());
    assert.match(await fourLetterWord(zk.port, 'srvr'), /Mode: standalone/);
    await withClient(zk.connectString, (client) => new Promise<void>((resolve, reject) => client.mkdirp('/kept/node', (e) => (e ? reject(e) : resolve()))));
    const firstPid = zk.pid();
    assert.ok(firstPid !== undefined && alive(firstPid));

    await zk.stop();
    assert.equal(zk.running(), false);
    assert.equal(alive(firstPid), false);
    assert.equal(await fourLetterWord(zk.port, 'srvr', 300), '');

    await zk.start();
    assert.match(await fourLetterWord(zk.port, 'srvr'), /Mode: standalone/);
    const kept = await withClient(zk.connectString, (client) => new Promise<boolean>((resolve) => client.exists('/kept/node', (e, stat) => resolve(!e && !!stat))));
    assert.equal(kept, true, 'the data survived the restart');
    const secondPid = zk.pid();
    assert.ok(secondPid !== undefined);

    await zk.close();
    assert.equal(alive(secondPid), false);
    assert.equal(existsSync(zk.dir), false);
    await zk.close();
  });
});
