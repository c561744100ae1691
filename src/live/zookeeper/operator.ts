/**
 * The operator's failover lever from outside a master's process (the live
 * runtime's NodeControl.expireSessions, say): a session cannot be expired by
 * anyone but its holder, so this removes the master's election node instead.
 * The effect is the same: watchers see a new leader, the master's next
 * registry write is fenced, and its endpoint, which watches its own node,
 * ends the session so the master aborts and contends again.
 */
import { err, ok, type Result } from '../../core/errors.js';
import { realTimers, type Timers } from '../scheduler-client/timers.js';
import { memberSequence, parseLeaderInfo } from './master-info.js';
import { closeClient } from './member-session.js';
import type { ZkUrl } from './url.js';
import { newZkClient, zkChildren, zkData } from './zk-ops.js';

/** Removes every election node under `url.path` whose MasterInfo `id` is `node`; how many it removed. */
export async function removeElectionNodes(url: ZkUrl, node: string, timeoutMs = 5_000, timers: Timers = realTimers): Promise<Result<number>> {
  const client = newZkClient(url.connectString, Math.max(timeoutMs, 4_000), 250, timers);
  const connected = new Promise<boolean>((resolve) => {
    const timer = timers.setTimeout(() => resolve(false), timeoutMs);
    client.once('connected', () => {
      timers.clearTimeout(timer);
      resolve(true);
    });
  });
  client.connect();
  try {
    if (!(await connected)) return err('IO', `ZooKeeper ${url.connectString} did not answer within ${timeoutMs} ms`, 'zk');
    const children = await zkChildren(client, url.path);
    if (!children.ok) return children.code === 'NO_NODE' ? ok(0) : err('IO', `cannot list ${url.path}: ${children.message}`, 'zk');
    let removed = 0;
    for (const child of children.value) {
      if (memberSequence(child) === null) continue;
      const data = await zkData(client, `${url.path}/${child}`);
      if (!data.ok || parseLeaderInfo(data.value.text)?.id !== node) continue;
      const gone = await new Promise<boolean>((resolve) => client.remove(`${url.path}/${child}`, data.value.version, (error) => resolve(!error)));
      if (gone) removed += 1;
    }
    return ok(removed);
  } finally {
    await closeClient(client, timers);
  }
}
