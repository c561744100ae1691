/**
 * node-zookeeper-client's callbacks as promises of outcomes: every operation
 * resolves (never rejects) with its value or the ZooKeeper error code that
 * decides what the caller does next (NO_NODE, BAD_VERSION, a lost connection).
 */
import zookeeper from 'node-zookeeper-client';
import type { Client, Event, Stat, Transaction } from 'node-zookeeper-client';
import { realTimers, type TimerHandle, type Timers } from '../scheduler-client/timers.js';

/** The ZooKeeper errors callers tell apart; everything else is OTHER. */
export type ZkErrorCode = 'NO_NODE' | 'NODE_EXISTS' | 'BAD_VERSION' | 'SESSION_EXPIRED' | 'CONNECTION_LOSS' | 'OTHER';

/** A ZooKeeper operation's outcome. */
export type ZkOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: ZkErrorCode; readonly message: string };

/** A one-shot ZooKeeper watcher. */
export type ZkWatcher = (event: Event) => void;

const { Exception } = zookeeper;

function codeOf(error: unknown): ZkErrorCode {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  switch (code) {
    case Exception.NO_NODE:
      return 'NO_NODE';
    case Exception.NODE_EXISTS:
      return 'NODE_EXISTS';
    case Exception.BAD_VERSION:
      return 'BAD_VERSION';
    case Exception.SESSION_EXPIRED:
      return 'SESSION_EXPIRED';
    case Exception.CONNECTION_LOSS:
    case Exception.OPERATION_TIMEOUT:
      return 'CONNECTION_LOSS';
    default:
      return 'OTHER';
  }
}

function outcome<T>(resolve: (o: ZkOutcome<T>) => void, error: unknown, value: T): void {
  if (error) resolve({ ok: false, code: codeOf(error), message: String(error) });
  else resolve({ ok: true, value });
}

/** `exists`: the node's stat, or null when there is none. */
export function zkExists(client: Client, path: string, watcher?: ZkWatcher): Promise<ZkOutcome<Stat | null>> {
  return new Promise((resolve) => {
    const done = (error: unknown, stat: Stat | undefined): void => outcome(resolve, error, stat ?? null);
    if (watcher) client.exists(path, watcher, done);
    else client.exists(path, done);
  });
}

/** `getChildren`, optionally leaving a watch for the next change. */
export function zkChildren(client: Client, path: string, watcher?: ZkWatcher): Promise<ZkOutcome<string[]>> {
  return new Promise((resolve) => {
    const done = (error: unknown, children: string[]): void => outcome(resolve, error, children ?? []);
    if (watcher) client.getChildren(path, watcher, done);
    else client.getChildren(path, done);
  });
}

/** `getData` as UTF-8 text with the data version. */
export function zkData(client: Client, path: string, watcher?: ZkWatcher): Promise<ZkOutcome<{ readonly text: string; readonly version: number }>> {
  return new Promise((resolve) => {
    const done = (error: unknown, data: Buffer | undefined, stat: Stat | undefined): void =>
      outcome(resolve, error, { text: data ? data.toString('utf8') : '', version: stat?.version ?? -1 });
    if (watcher) client.getData(path, watcher, done);
    else client.getData(path, done);
  });
}

/** `create` with data and a mode (CreateMode); the path ZooKeeper made (with its sequence). */
export function zkCreate(client: Client, path: string, data: string, mode: number): Promise<ZkOutcome<string>> {
  return new Promise((resolve) => client.create(path, Buffer.from(data, 'utf8'), mode, (error, created) => outcome(resolve, error, created)));
}

/** `mkdirp`: the path and its parents as persistent nodes with no data. */
export function zkMkdirp(client: Client, path: string): Promise<ZkOutcome<string>> {
  return new Promise((resolve) => client.mkdirp(path, (error, created) => outcome(resolve, error, created)));
}

/** Commits a transaction; fails with the first failing operation's code. */
export function zkCommit(transaction: Transaction): Promise<ZkOutcome<undefined>> {
  return new Promise((resolve) => transaction.commit((error) => outcome(resolve, error, undefined)));
}

/** The session id as ZooKeeper prints it (16 hex digits). */
export function sessionIdOf(client: Client): string {
  return client.getSessionId().toString('hex');
}

/** The part of node-zookeeper-client's internals the connect watchdog needs (absent: the watchdog does nothing). */
interface ClientInternals {
  readonly connectionManager?: { readonly socket?: { destroy(): void }; readonly servers?: Array<{ host: string; port: number; localAddress?: string }> };
}

function isConnected(client: Client): boolean {
  const state = client.getState().name;
  return state === 'SYNC_CONNECTED' || state === 'CONNECTED_READ_ONLY';
}

/**
 * Creates an unconnected client; `spinDelayMs` is its pause between rounds of connection attempts.
 * With a connect watchdog: node-zookeeper-client never times out the answer to its ConnectRequest,
 * and a ZooKeeper that accepts the TCP connection while it starts up may never give one (seen here:
 * 3 clients of 12 stuck for good in CONNECTING). So a client not connected within a third of its
 * session timeout (1 s at least) has its socket destroyed, which makes it try again.
 */
export function newZkClient(connectString: string, sessionTimeoutMs: number, spinDelayMs: number, timers: Timers = realTimers, localAddress?: string): Client {
  const client = zookeeper.createClient(connectString, { sessionTimeout: sessionTimeoutMs, spinDelay: spinDelayMs, retries: 0 });
  // The client has no option for it, but passes each server object to net.connect: a process of a live
  // run talks to ZooKeeper from its own address, so an iptables partition of it cuts ZooKeeper too.
  if (localAddress !== undefined) for (const server of (client as unknown as ClientInternals).connectionManager?.servers ?? []) server.localAddress = localAddress;
  const socket = (): { destroy(): void } | undefined => (client as unknown as ClientInternals).connectionManager?.socket;
  const stallMs = Math.max(1_000, Math.floor(sessionTimeoutMs / 3));
  let timer: TimerHandle | null = null;
  let closing = false;
  const disarm = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  const arm = (): void => {
    disarm();
    timer = timers.setTimeout(() => {
      timer = null;
      if (closing || isConnected(client)) return;
      socket()?.destroy();
      arm();
    }, stallMs);
  };
  client.on('connected', disarm);
  client.on('disconnected', () => {
    if (!closing) arm();
  });
  const connect = client.connect.bind(client);
  client.connect = (): void => {
    arm();
    connect();
  };
  const close = client.close.bind(client);
  client.close = (): void => {
    const wasConnected = isConnected(client);
    closing = true;
    disarm();
    close();
    // Without a connection the close cannot reach ZooKeeper; a stuck socket would keep the process alive.
    if (!wasConnected) socket()?.destroy();
  };
  return client;
}

/** ZooKeeper's create modes. */
export const CREATE_MODE = zookeeper.CreateMode;

/** ZooKeeper's watch event types. */
export const ZK_EVENT = zookeeper.Event;
