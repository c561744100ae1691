/**
 * Leader detection for agents and clients given `--master zk://HOST:PORT/PATH`:
 * the leading master's HTTP address (`address.ip:address.port` of the
 * smallest `json.info_` child's MasterInfo, as the Mesos detectors and the
 * Python `mesos` CLI read it), kept current by a watch. It reads a faultline
 * election and a real Mesos one (`zk://…/mesos`) alike.
 */
import type { Client } from 'node-zookeeper-client';
import { err, ok, type Result } from '../../core/errors.js';
import { realTimers, type Timers } from '../scheduler-client/timers.js';
import { watchLeader, type LeaderSnapshot, type LeaderWatch } from './leader-watch.js';
import { closeClient } from './member-session.js';
import type { ZkUrl } from './url.js';
import { newZkClient } from './zk-ops.js';

/** The leading master as a client needs it. */
export interface DetectedLeader {
  /** Its HTTP API. */
  readonly host: string;
  readonly port: number;
  /** MasterInfo `id` (a faultline master's node id), or null. */
  readonly id: string | null;
  /** Its election sequence (the epoch it leads). */
  readonly sequence: number;
}

/** What a detector is built with. */
export interface ZooKeeperDetectorOptions {
  readonly url: ZkUrl;
  /** Called with every change of leader (null: none, or its data names no address). */
  readonly onChange?: (leader: DetectedLeader | null) => void;
  /** The detector's own session. Default 10 s. */
  readonly sessionTimeoutMs?: number;
  readonly spinDelayMs?: number;
  /** The local address ZooKeeper connections leave from (a live run's iptables rules match on it). */
  readonly localAddress?: string;
  readonly timers?: Timers;
}

/** A running detector. */
export interface ZooKeeperDetector {
  /** The leader as last read, or null. */
  leader(): DetectedLeader | null;
  /** The leader now, or the first one to appear within `timeoutMs` (null when none did). */
  waitForLeader(timeoutMs: number): Promise<DetectedLeader | null>;
  close(): Promise<void>;
}

function detected(snapshot: LeaderSnapshot | null): DetectedLeader | null {
  if (snapshot === null || snapshot.info === null) return null;
  return { host: snapshot.info.host, port: snapshot.info.port, id: snapshot.info.id, sequence: snapshot.sequence };
}

/** Starts watching the election under `url.path`. */
export function createZooKeeperDetector(options: ZooKeeperDetectorOptions): ZooKeeperDetector {
  const timers = options.timers ?? realTimers;
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
  const spinDelayMs = options.spinDelayMs ?? 250;
  let current: DetectedLeader | null = null;
  let closed = false;
  const waiting = new Set<(leader: DetectedLeader | null) => void>();
  let client: Client;
  let watch: LeaderWatch;

  const onLeader = (snapshot: LeaderSnapshot | null): void => {
    const next = detected(snapshot);
    const same = next?.host === current?.host && next?.port === current?.port && next?.sequence === current?.sequence;
    current = next;
    if (!same) options.onChange?.(next);
    if (next !== null) for (const wake of [...waiting]) wake(next);
  };

  function start(): void {
    client = newZkClient(options.url.connectString, sessionTimeoutMs, spinDelayMs, timers, options.localAddress);
    watch = watchLeader(client, options.url.path, onLeader);
    client.once('expired', () => {
      if (closed) return;
      watch.stop();
      void closeClient(client, timers);
      start();
    });
    client.connect();
  }
  start();

  return {
    leader: () => current,
    waitForLeader(timeoutMs) {
      if (current !== null) return Promise.resolve(current);
      return new Promise((resolve) => {
        const wake = (leader: DetectedLeader | null): void => {
          timers.clearTimeout(timer);
          waiting.delete(wake);
          resolve(leader);
        };
        const timer = timers.setTimeout(() => wake(null), timeoutMs);
        waiting.add(wake);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      watch.stop();
      for (const wake of [...waiting]) wake(null);
      await closeClient(client, timers);
    },
  };
}

/** One look: the leader's address under `url`, or a one-line error when none appears within `timeoutMs`. */
export async function detectLeaderOnce(url: ZkUrl, timeoutMs: number, timers: Timers = realTimers): Promise<Result<DetectedLeader>> {
  const detector = createZooKeeperDetector({ url, timers, sessionTimeoutMs: Math.max(timeoutMs, 4_000) });
  try {
    const leader = await detector.waitForLeader(timeoutMs);
    if (leader === null) return err('IO', `no leading master under ${url.path} on ZooKeeper ${url.connectString} within ${timeoutMs} ms`, '--master');
    return ok(leader);
  } finally {
    await detector.close();
  }
}
