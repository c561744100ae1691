/**
 * One master's ZooKeeper session, with the local session timer Mesos runs.
 * node-zookeeper-client reports SESSION_EXPIRED only on reconnection (never
 * while partitioned, alexguan/node-zookeeper-client#20), and a connection
 * that goes silent without a reset is not even reported as DISCONNECTED (the
 * client sends pings but never times out their answers). So the session
 * counts as expired locally when ZooKeeper has not answered one of our
 * requests for the session timeout, whether the connection looks up or down;
 * ZooKeeper's own expiry (on reconnection) ends it too.
 */
import type { Client } from 'node-zookeeper-client';
import type { NodeId } from '../../core/ids.js';
import type { TimerHandle, Timers } from '../scheduler-client/timers.js';
import { newZkClient, sessionIdOf } from './zk-ops.js';

/** Where a session is: waiting for its first connection, live, or ended (for good). */
export type MemberSessionState = 'connecting' | 'live' | 'ended';

/** The election node a session created. */
export interface Membership {
  readonly path: string;
  readonly sequence: number;
}

/** What a member session is built with. */
export interface MemberSessionOptions {
  readonly owner: NodeId;
  readonly connectString: string;
  /** What the master asked for (its `--zk-session-timeout`). */
  readonly timeoutMs: number;
  readonly spinDelayMs: number;
  readonly timers: Timers;
  /** The local address its connection leaves from (see newZkClient). */
  readonly localAddress?: string;
  /** The first connection: the session has its id. */
  readonly onLive: (session: MemberSession) => void;
  /** The session ended by itself (local timer, ZooKeeper's expiry); not called for `end()`. */
  readonly onExpired: (session: MemberSession, reason: string) => void;
  readonly log: (line: string) => void;
}

/** Waits until a closed client has let go of its connection (or gives up after `ms`). */
export function closeClient(client: Client, timers: Timers, ms = 1_000): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      timers.clearTimeout(timer);
      client.removeListener('disconnected', finish);
      resolve();
    };
    const timer = timers.setTimeout(finish, ms);
    client.once('disconnected', finish);
    const wasConnected = client.getState().name === 'SYNC_CONNECTED' || client.getState().name === 'CONNECTED_READ_ONLY';
    client.close();
    if (!wasConnected) finish();
  });
}

/** A master's session: a client of its own, so closing it removes exactly that master's election node. */
export class MemberSession {
  readonly owner: NodeId;
  readonly client: Client;
  /** ZooKeeper's session id in hex, once connected. */
  id: string | null = null;
  state: MemberSessionState = 'connecting';
  membership: Membership | null = null;
  /** A join is under way (the master re-sends join until it hears `joined`). */
  joining = false;
  private localTimeoutMs: number;
  private deadline: TimerHandle | null = null;
  private readonly options: MemberSessionOptions;

  constructor(options: MemberSessionOptions) {
    this.options = options;
    this.owner = options.owner;
    this.localTimeoutMs = options.timeoutMs;
    this.client = newZkClient(options.connectString, options.timeoutMs, options.spinDelayMs, options.timers, options.localAddress);
    this.client.on('connected', () => this.onConnected());
    this.client.on('disconnected', () => {
      if (this.state === 'live') options.log(`${this.owner}: ZooKeeper session ${this.id ?? '?'} disconnected; it ends in ${this.timeoutMs} ms unless ZooKeeper answers`);
    });
    this.client.on('expired', () => this.lose('ZooKeeper expired the session'));
    this.client.connect();
  }

  /** The local session timeout: the requested one, or ZooKeeper's if it negotiated a shorter one. */
  get timeoutMs(): number {
    return this.localTimeoutMs;
  }

  /** ZooKeeper answered a request of this session: the local timer starts over. */
  heard(): void {
    if (this.state !== 'live') return;
    if (this.deadline !== null) this.options.timers.clearTimeout(this.deadline);
    this.deadline = this.options.timers.setTimeout(() => this.lose(`no answer from ZooKeeper within the ${this.timeoutMs} ms session timeout`), this.timeoutMs);
  }

  /** Ends the session now (closing it removes its election node at once when ZooKeeper is reachable). */
  end(): Promise<void> {
    if (this.state === 'ended') return Promise.resolve();
    this.state = 'ended';
    if (this.deadline !== null) this.options.timers.clearTimeout(this.deadline);
    this.deadline = null;
    return closeClient(this.client, this.options.timers);
  }

  private onConnected(): void {
    if (this.state === 'ended') return;
    if (this.state === 'connecting') {
      this.state = 'live';
      this.id = sessionIdOf(this.client);
      const negotiated = this.client.getSessionTimeout();
      if (negotiated > 0 && negotiated < this.timeoutMs) {
        // ZooKeeper would expire us sooner than asked: the local timer must not outlive the real session.
        this.options.log(`${this.owner}: ZooKeeper negotiated a ${negotiated} ms session (asked ${this.timeoutMs} ms)`);
        this.localTimeoutMs = negotiated;
      }
      this.heard();
      this.options.onLive(this);
      return;
    }
    this.heard();
  }

  /** The session is lost (reported through `onExpired`, unlike `end`). */
  lose(reason: string): void {
    if (this.state === 'ended') return;
    const wasLive = this.state === 'live';
    void this.end();
    if (wasLive) this.options.onExpired(this, reason);
  }
}
