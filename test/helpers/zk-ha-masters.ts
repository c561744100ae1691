/**
 * Core HA masters (src/core/master/ha.ts, unchanged) on the wall-clock host,
 * each with its own ZooKeeper coordinator endpoint, as each `faultline master`
 * process will have: what the master sends to the coordinator node goes to its
 * endpoint, what the endpoint answers comes back as a message from it.
 */
import { createDrfAllocator } from '../../src/core/allocator/drf.js';
import type { NodeId } from '../../src/core/ids.js';
import { createHaMaster, type HaMasterActor } from '../../src/core/master/index.js';
import { FAST_TIMING, type Timing } from '../../src/core/timing.js';
import { createZooKeeperCoordinator, parseZkUrl, type ZooKeeperCoordinator } from '../../src/live/zookeeper/index.js';
import { WallClockHost } from './wall-clock-host.js';

/** The coordinator's node id as the masters know it. */
export const COORDINATOR: NodeId = 'coordinator';

/** Masters, their endpoints and the host they run on. */
export interface ZkHaMasters {
  readonly host: WallClockHost;
  readonly masters: ReadonlyMap<NodeId, HaMasterActor>;
  readonly endpoints: ReadonlyMap<NodeId, ZooKeeperCoordinator>;
  readonly lines: string[];
  /** The masters whose inner master leads now. */
  leading(): NodeId[];
  /** Stops every master and closes every endpoint. */
  close(): Promise<void>;
}

/** What the masters are built with. */
export interface ZkHaMastersOptions {
  readonly connectString: string;
  readonly path: string;
  readonly nodes: readonly NodeId[];
  readonly timing?: Timing;
  /** The first master's advertised HTTP port; the next ones count up. Default 5051. */
  readonly firstPort?: number;
}

/** Starts the masters (in `nodes` order, each advertising its own HTTP port: 5051, 5052, ...). */
export function startZkHaMasters(options: ZkHaMastersOptions): ZkHaMasters {
  const timing = options.timing ?? FAST_TIMING;
  const url = parseZkUrl(`zk://${options.connectString}${options.path}`);
  if (!url.ok) throw new Error(url.error.message);
  const host = new WallClockHost();
  const masters = new Map<NodeId, HaMasterActor>();
  const endpoints = new Map<NodeId, ZooKeeperCoordinator>();
  const lines: string[] = [];
  options.nodes.forEach((node, index) => {
    const endpoint = createZooKeeperCoordinator({
      url: url.value,
      addressOf: () => ({ ip: '127.0.0.1', port: (options.firstPort ?? 5051) + index }),
      version: '0.1.0-test',
      deliver: (to, message) => host.deliver(COORDINATOR, to, message),
      log: (line) => lines.push(`${(performance.now() / 1000).toFixed(2)} ${node}'s endpoint: ${line}`),
      spinDelayMs: 100,
      watchSessionTimeoutMs: timing.sessionTimeoutMs,
    });
    endpoints.set(node, endpoint);
    host.route(node, COORDINATOR, (from, message) => endpoint.receive(from, message));
    masters.set(
      node,
      host.add(node, (ctx) => createHaMaster(ctx, { timing, coordinator: COORDINATOR, newAllocator: () => createDrfAllocator({ weights: {} }) })),
    );
  });
  return {
    host,
    masters,
    endpoints,
    lines,
    leading: () => [...masters].filter(([, m]) => m.inner().status() === 'leading').map(([node]) => node),
    async close() {
      host.close();
      await Promise.all([...endpoints.values()].map((e) => e.close()));
    },
  };
}

/** A session opened through an endpoint of its own and then left alone: only the local session timer can end it. */
export interface ProbeSession {
  readonly endpoint: ZooKeeperCoordinator;
  readonly lines: string[];
  sessionId(): string | null;
  /** When the endpoint said the session expired (performance.now()), or null. */
  expiredAtMs(): number | null;
}

/** Opens a probe session of `timeoutMs` (no heartbeats follow, no close); close its endpoint when done. */
export function openProbeSession(connectString: string, timeoutMs = 2_000): ProbeSession {
  const url = parseZkUrl(`zk://${connectString}/probe`);
  if (!url.ok) throw new Error(url.error.message);
  let sessionId: string | null = null;
  let expiredAtMs: number | null = null;
  const lines: string[] = [];
  const endpoint = createZooKeeperCoordinator({
    url: url.value,
    addressOf: () => ({ ip: '127.0.0.1', port: 5059 }),
    version: 'test',
    log: (line) => lines.push(line),
    spinDelayMs: 100,
    deliver: (_to, message) => {
      if (message.type !== 'coordinator.session') return;
      if (!message.expired) sessionId = message.sessionId;
      else if (message.sessionId === sessionId) expiredAtMs = performance.now();
    },
  });
  endpoint.receive('probe', { type: 'coordinator.heartbeat', sessionId: null, timeoutMs });
  return { endpoint, lines, sessionId: () => sessionId, expiredAtMs: () => expiredAtMs };
}
