/**
 * Who leads an election path, kept current: the smallest `json.info_<seq>`
 * child and its MasterInfo, re-read whenever the children change (a watch on
 * `getChildren`, "sans herd effect handling" as Mesos does: every reader
 * watches the list), when the path appears, and after every reconnection.
 * Shared by the coordinator endpoint (masters) and the leader detector
 * (agents, clients).
 */
import type { Client } from 'node-zookeeper-client';
import { leadingMember, parseLeaderInfo, type LeaderInfo } from './master-info.js';
import { zkChildren, zkData, zkExists } from './zk-ops.js';

/** The leading member of an election. */
export interface LeaderSnapshot {
  /** The child's sequence: the leader's epoch. */
  readonly sequence: number;
  /** `json.info_0000000017`. */
  readonly child: string;
  /** Its MasterInfo, or null when the data is unreadable. */
  readonly info: LeaderInfo | null;
}

/** A running watch. */
export interface LeaderWatch {
  /** The leader as last read: null = no member; undefined = not read yet. */
  current(): LeaderSnapshot | null | undefined;
  /** Reads again now (also done on every change and reconnection). */
  refresh(): void;
  /** Stops reporting (the client is the caller's to close). */
  stop(): void;
}

function same(a: LeaderSnapshot | null | undefined, b: LeaderSnapshot | null): boolean {
  if (a === undefined) return false;
  if (a === null || b === null) return a === b;
  return a.child === b.child && JSON.stringify(a.info) === JSON.stringify(b.info);
}

/** Watches `path` through `client` and calls `onChange` with every new leader (null: nobody). */
export function watchLeader(client: Client, path: string, onChange: (leader: LeaderSnapshot | null) => void): LeaderWatch {
  let current: LeaderSnapshot | null | undefined;
  let running = false;
  let again = false;
  let stopped = false;

  // One stable watcher function: the client keeps one registration per function and path.
  const onWatch = (): void => refresh();
  const onConnected = (): void => refresh();

  const report = (leader: LeaderSnapshot | null): void => {
    if (stopped || same(current, leader)) return;
    current = leader;
    onChange(leader);
  };

  /** One read; false when ZooKeeper could not answer (retried on reconnection). */
  async function readOnce(): Promise<boolean> {
    for (;;) {
      const children = await zkChildren(client, path, onWatch);
      if (!children.ok) {
        if (children.code !== 'NO_NODE') return false;
        // No election yet: be told when the path is created.
        const exists = await zkExists(client, path, onWatch);
        if (!exists.ok) return false;
        if (exists.value !== null) continue;
        report(null);
        return true;
      }
      const leading = leadingMember(children.value);
      if (leading === null) {
        report(null);
        return true;
      }
      const data = await zkData(client, `${path}/${leading.child}`);
      if (!data.ok) {
        if (data.code === 'NO_NODE') continue; // it left between the two reads
        return false;
      }
      const info: LeaderInfo | null = parseLeaderInfo(data.value.text);
      report({ sequence: leading.sequence, child: leading.child, info });
      return true;
    }
  }

  function refresh(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    void (async () => {
      do {
        again = false;
        await readOnce();
      } while (again && !stopped);
      running = false;
    })();
  }

  client.on('connected', onConnected);
  refresh();
  return {
    current: () => current,
    refresh,
    stop() {
      stopped = true;
      client.removeListener('connected', onConnected);
    },
  };
}
