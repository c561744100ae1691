/**
 * The operator API client of `faultline top`: finds the leader
 * (`/master/redirect`), subscribes (POST /api/v1 SUBSCRIBE, a RecordIO stream:
 * SUBSCRIBED with the full state, then deltas and HEARTBEATs), polls what does
 * not stream (GET_AGENTS, GET_FRAMEWORKS, and FAULTLINE_GET_INFO on a faultline
 * master) slowly and adaptively, and on a closed stream or 3 heartbeat
 * intervals of silence reconnects with backoff and takes a fresh snapshot.
 * A reconnect looks for the leader again, as a Mesos client's detector does:
 * first where `redetect` says it is (a ZooKeeper detector, for zk://), then
 * `/master/redirect` on the master it last talked to, then on the master it
 * was given (a standby that outlived the leader names the new one). With a
 * detector, `leaderChanged()` moves the client at once rather than when the
 * old stream dies. It only reports what it read; the model
 * (src/api/operator-model.ts) folds it.
 */
import { RecordIoDecoder } from '../../api/recordio.js';
import { err } from '../../core/errors.js';
import type { FaultlineInfo } from '../../api/faultline-call.js';
import { formatEndpoint, type MasterEndpoint } from '../scheduler-client/endpoint.js';
import { backoffDelayMs, closeOpenStream, realTimers, type TimerHandle, type Timers } from '../scheduler-client/timers.js';
import { openSubscription, type SubscriptionStream } from '../scheduler-client/transport.js';
import { operatorRedirect } from './endpoint.js';
import { leaderOr, operatorCall } from './http.js';

type Json = Record<string, unknown>;

/** 307s on SUBSCRIBE followed in a row before backing off (as mesos-go). */
const MAX_REDIRECTS = 9;

/** The poll interval for a cluster of `agents` agents: Mesos's web UI polls every 10 s below 500 agents, slower above. */
export function adaptivePollMs(agents: number, baseMs = 10_000): number {
  if (agents < 500) return baseMs;
  return Math.min(96 * baseMs, Math.ceil(agents / 500) * baseMs);
}

/** Options of the client. Durations are ms. */
export interface OperatorClientOptions {
  /** The master given on the command line (the client moves to the leader). */
  readonly master: MasterEndpoint;
  /** The master named on the command line (a standby, say), asked again for the leader when the current one is gone. Default `master`. */
  readonly given?: MasterEndpoint;
  /** Where the leader is now by other means (a ZooKeeper detector), or null; asked first on every reconnect. */
  readonly redetect?: () => MasterEndpoint | null;
  /** Poll FAULTLINE_GET_INFO too (a faultline master). */
  readonly faultline: boolean;
  /** Every stream event in order; SUBSCRIBED again after each reconnect. */
  readonly onEvent: (event: Json) => void;
  readonly onAgents: (getAgents: Json) => void;
  readonly onFrameworks: (getFrameworks: Json) => void;
  readonly onMaster: (getMaster: Json) => void;
  readonly onInfo: (info: FaultlineInfo) => void;
  /** After each round of polls, answered or failed (the first one completes the attach). */
  readonly onPolled?: () => void;
  /** A lost stream, a reconnect, a failed poll: one line each. */
  readonly onNotice: (text: string) => void;
  /** The first poll delay, before scaling with the agents (default 10000). */
  readonly pollBaseMs?: number;
  /** First reconnect delay, doubled per failure up to maxBackoffMs. Default 1000 and 15000. */
  readonly retryIntervalMs?: number;
  readonly maxBackoffMs?: number;
  /** Heartbeat intervals of silence before the stream counts as dead. Default 3. */
  readonly missedHeartbeats?: number;
  /** No SUBSCRIBED this long after the request: retry. Default 10000. */
  readonly subscribeTimeoutMs?: number;
  readonly callTimeoutMs?: number;
  readonly timers?: Timers;
}

type StreamState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'resolving' }
  | { readonly kind: 'waiting'; readonly timer: TimerHandle }
  | { readonly kind: 'subscribing'; readonly stream: SubscriptionStream; readonly decoder: RecordIoDecoder; readonly timer: TimerHandle }
  | { readonly kind: 'subscribed'; readonly stream: SubscriptionStream; readonly decoder: RecordIoDecoder; readonly silenceMs: number; silenceTimer: TimerHandle }
  | { readonly kind: 'stopped' };

/** Operator API client: `start()`, then events arrive through the callbacks until `stop()`. */
export class OperatorClient {
  private readonly timers: Timers;
  private state: StreamState = { kind: 'idle' };
  private endpointNow: MasterEndpoint;
  private failures = 0;
  private pollTimer: TimerHandle | null = null;
  private polling = false;
  private agentCount = 0;
  /** 307s followed since the last SUBSCRIBED: two masters pointing at each other must not spin. */
  private redirects = 0;
  /** How many SUBSCRIBED snapshots arrived (1 + reconnects). */
  subscriptions = 0;

  constructor(private readonly options: OperatorClientOptions) {
    this.timers = options.timers ?? realTimers;
    this.endpointNow = options.master;
  }

  /** The master the client talks to now. */
  get endpoint(): MasterEndpoint {
    return this.endpointNow;
  }

  /** Whether the stream is up. */
  get connected(): boolean {
    return this.state.kind === 'subscribed';
  }

  start(): void {
    if (this.state.kind !== 'idle') return;
    this.attempt();
  }

  stop(): void {
    this.drop();
    if (this.state.kind === 'waiting') this.timers.clearTimeout(this.state.timer);
    this.state = { kind: 'stopped' };
    if (this.pollTimer !== null) this.timers.clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  /** One operator call to the current master (FAULTLINE_INJECT_FAULT). */
  call(call: object): ReturnType<typeof operatorCall> {
    return operatorCall(this.endpointNow, call, this.options.callTimeoutMs ?? 10_000);
  }

  /** Polls now instead of at the next interval (after a fault, to show its effect sooner). */
  pollSoon(): void {
    if (this.state.kind !== 'subscribed') return;
    if (this.pollTimer !== null) this.timers.clearTimeout(this.pollTimer);
    this.pollTimer = null;
    void this.poll();
  }

  /**
   * The detector names another leader (or none): a stream from a master that no longer leads is dropped and
   * the client reconnects now, and a client waiting out a backoff tries again at once.
   */
  leaderChanged(): void {
    if (this.stopped || this.state.kind === 'idle' || this.state.kind === 'resolving') return;
    const named = this.options.redetect?.() ?? null;
    if (this.state.kind === 'waiting') {
      if (named === null) return;
      this.timers.clearTimeout(this.state.timer);
      this.attempt();
      return;
    }
    if (named !== null && formatEndpoint(named) === formatEndpoint(this.endpointNow)) return;
    this.options.onNotice(named === null ? 'ZooKeeper names no leading master now' : `ZooKeeper names a new leading master: ${formatEndpoint(named)}`);
    this.drop();
    if (this.pollTimer !== null) this.timers.clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.attempt();
  }

  private get stopped(): boolean {
    return this.state.kind === 'stopped';
  }

  /** Where to ask for the leader, in order: the detector's leader, the last master, the given one (each once). */
  private candidates(): MasterEndpoint[] {
    const out: MasterEndpoint[] = [];
    for (const candidate of [this.options.redetect?.() ?? null, this.endpointNow, this.options.given ?? this.options.master]) {
      if (candidate !== null && !out.some((c) => formatEndpoint(c) === formatEndpoint(candidate))) out.push(candidate);
    }
    return out;
  }

  private attempt(): void {
    const state: StreamState = { kind: 'resolving' };
    this.state = state;
    void this.resolveLeader().then((leader) => {
      if (this.state !== state) return;
      if (!leader.ok) return this.lost(leader.error.message);
      if (formatEndpoint(leader.value) !== formatEndpoint(this.endpointNow)) this.options.onNotice(`leading master: ${formatEndpoint(leader.value)}`);
      this.endpointNow = leader.value;
      this.subscribe();
    });
  }

  /** The first candidate whose /master/redirect names a leader (or that answers for itself); else the last problem. */
  private async resolveLeader(): ReturnType<typeof leaderOr> {
    const problems: string[] = [];
    for (const candidate of this.candidates()) {
      const leader = await leaderOr(candidate, this.options.callTimeoutMs ?? 10_000);
      if (leader.ok) return leader;
      problems.push(leader.error.message);
    }
    return err('IO', problems.join('; ') || 'no master to ask');
  }

  private subscribe(): void {
    const endpoint = this.endpointNow;
    const decoder = new RecordIoDecoder({ maxRecordBytes: 64 * 1024 * 1024 });
    const stream = openSubscription(endpoint, JSON.stringify({ type: 'SUBSCRIBE' }), {
      onResponse: (status, _streamId, location) => {
        if (!this.isCurrent(stream)) return;
        if (status === 307 && location !== undefined) {
          const next = operatorRedirect(endpoint, location);
          if (!next.ok) return this.lost(next.error.message);
          this.redirects += 1;
          if (this.redirects > MAX_REDIRECTS) {
            this.redirects = 0;
            return this.lost(`${MAX_REDIRECTS} redirects in a row without a leader (last to ${formatEndpoint(next.value)}); backing off`);
          }
          this.options.onNotice(`${formatEndpoint(endpoint)} redirected to ${formatEndpoint(next.value)}`);
          this.endpointNow = next.value;
          this.drop();
          this.subscribe();
        }
      },
      onRejectedBody: (text) => {
        if (this.isCurrent(stream)) this.options.onNotice(`SUBSCRIBE refused by ${formatEndpoint(endpoint)}${text ? `: ${text.split('\n')[0]}` : ''}`);
      },
      onData: (chunk) => this.onData(stream, chunk),
      onClosed: (reason) => {
        if (this.isCurrent(stream)) this.lost(`the event stream from ${formatEndpoint(endpoint)} ended: ${reason}`);
      },
    });
    const timer = this.timers.setTimeout(() => {
      if (this.state.kind === 'subscribing' && this.state.stream === stream) this.lost(`no SUBSCRIBED from ${formatEndpoint(endpoint)} within ${(this.options.subscribeTimeoutMs ?? 10_000) / 1000}s`);
    }, this.options.subscribeTimeoutMs ?? 10_000);
    this.state = { kind: 'subscribing', stream, decoder, timer };
  }

  private isCurrent(stream: SubscriptionStream): boolean {
    return (this.state.kind === 'subscribing' || this.state.kind === 'subscribed') && this.state.stream === stream;
  }

  private onData(stream: SubscriptionStream, chunk: Uint8Array): void {
    if (!this.isCurrent(stream)) return;
    const state = this.state as Extract<StreamState, { kind: 'subscribing' | 'subscribed' }>;
    if (state.kind === 'subscribed') this.rearm(state);
    const result = state.decoder.push(chunk);
    if (!result.ok) return this.lost(`the event stream from ${formatEndpoint(this.endpointNow)} is not RecordIO (${result.error.where}: ${result.error.message})`);
    for (const text of result.records) {
      let event: Json;
      try {
        event = JSON.parse(text) as Json;
      } catch {
        return this.lost(`the event stream from ${formatEndpoint(this.endpointNow)} carried a record that is not JSON`);
      }
      if (event.type === 'SUBSCRIBED' && this.state.kind === 'subscribing') this.onSubscribed(stream, event);
      this.options.onEvent(event);
      if (!this.isCurrent(stream)) return;
    }
  }

  private onSubscribed(stream: SubscriptionStream, event: Json): void {
    const state = this.state as Extract<StreamState, { kind: 'subscribing' }>;
    this.timers.clearTimeout(state.timer);
    const subscribed = (event.subscribed ?? {}) as Json;
    const seconds = typeof subscribed.heartbeat_interval_seconds === 'number' && subscribed.heartbeat_interval_seconds > 0 ? subscribed.heartbeat_interval_seconds : 15;
    const silenceMs = seconds * 1000 * (this.options.missedHeartbeats ?? 3);
    const agents = ((subscribed.get_state as Json | undefined)?.get_agents as Json | undefined)?.agents;
    this.agentCount = Array.isArray(agents) ? agents.length : 0;
    this.state = { kind: 'subscribed', stream, decoder: state.decoder, silenceMs, silenceTimer: this.silence(stream, silenceMs) };
    this.failures = 0;
    this.redirects = 0;
    this.subscriptions += 1;
    if (this.subscriptions > 1) this.options.onNotice(`reconnected to ${formatEndpoint(this.endpointNow)}: fresh snapshot`);
    void this.poll(true);
  }

  private silence(stream: SubscriptionStream, silenceMs: number): TimerHandle {
    return this.timers.setTimeout(() => {
      if (this.isCurrent(stream)) this.lost(`no heartbeat from ${formatEndpoint(this.endpointNow)} for ${silenceMs / 1000}s; reconnecting`);
    }, silenceMs);
  }

  private rearm(state: Extract<StreamState, { kind: 'subscribed' }>): void {
    this.timers.clearTimeout(state.silenceTimer);
    state.silenceTimer = this.silence(state.stream, state.silenceMs);
  }

  /** GET_AGENTS, GET_FRAMEWORKS (offers) and, on a faultline master, FAULTLINE_GET_INFO; GET_MASTER on a new subscription. */
  private async poll(withMaster = false): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const timeoutMs = this.options.callTimeoutMs ?? 10_000;
      const calls: Array<[string, (json: Json) => void]> = [
        ['GET_AGENTS', (json) => {
          const getAgents = (json.get_agents ?? {}) as Json;
          this.agentCount = Array.isArray(getAgents.agents) ? getAgents.agents.length : this.agentCount;
          this.options.onAgents(getAgents);
        }],
        ['GET_FRAMEWORKS', (json) => this.options.onFrameworks((json.get_frameworks ?? {}) as Json)],
      ];
      if (withMaster) calls.push(['GET_MASTER', (json) => this.options.onMaster((json.get_master ?? {}) as Json)]);
      if (this.options.faultline) calls.push(['FAULTLINE_GET_INFO', (json) => this.options.onInfo(json.faultline_get_info as FaultlineInfo)]);
      const answers = await Promise.all(calls.map(([type]) => operatorCall(this.endpointNow, { type }, timeoutMs)));
      if (this.stopped) return;
      answers.forEach((answer, i) => {
        const [type, take] = calls[i] as [string, (json: Json) => void];
        if (answer.ok) take(answer.value.json);
        else this.options.onNotice(`${type} failed: ${answer.failure.message}`);
      });
      this.options.onPolled?.();
    } finally {
      this.polling = false;
      if (!this.stopped && this.state.kind === 'subscribed' && this.pollTimer === null) {
        this.pollTimer = this.timers.setTimeout(() => {
          this.pollTimer = null;
          void this.poll();
        }, adaptivePollMs(this.agentCount, this.options.pollBaseMs));
      }
    }
  }

  /** The stream or the attempt is gone: close it and retry after a backoff (leader found again, new snapshot). */
  private lost(problem: string): void {
    if (this.stopped) return;
    this.options.onNotice(problem);
    this.drop();
    if (this.pollTimer !== null) this.timers.clearTimeout(this.pollTimer);
    this.pollTimer = null;
    const delayMs = backoffDelayMs(this.failures, this.options);
    this.failures += 1;
    const timer = this.timers.setTimeout(() => {
      if (this.state.kind === 'waiting') this.attempt();
    }, delayMs);
    this.state = { kind: 'waiting', timer };
  }

  private drop(): void {
    if (closeOpenStream(this.state, this.timers)) this.state = { kind: 'idle' };
  }
}
