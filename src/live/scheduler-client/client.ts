/**
 * A v1 scheduler HTTP client: subscribes (POST SUBSCRIBE, read
 * `Mesos-Stream-Id`, decode the RecordIO event stream), sends calls on their
 * own connections with the stream id, follows a 307 to the leader, retries
 * 503s and connection failures with backoff, and resubscribes, as the same
 * framework, when the stream ends or goes silent for several heartbeats
 * (`docs/scheduler-http-api.md`, "Network partitions").
 */
import { err, ok, type Result } from '../../core/errors.js';
import { RecordIoDecoder } from '../../api/recordio.js';
import { formatEndpoint, resolveRedirect, type MasterEndpoint } from './endpoint.js';
import { openSubscription, postCall, type SubscriptionStream } from './transport.js';
import { backoffDelayMs, closeOpenStream, realTimers, type TimerHandle, type Timers } from './timers.js';
import { parseEvent, type V1Call, type V1Event } from './v1.js';

/** Options for `SchedulerClient`. Durations are milliseconds. */
export interface SchedulerClientOptions {
  /** The master to start from (a 307 moves the client to the leader). */
  readonly master: MasterEndpoint;
  /** Builds the SUBSCRIBE call for each attempt, with the framework id once the master gave one. */
  readonly subscribeCall: (frameworkId: string | undefined) => V1Call;
  /** Every event, in stream order (SUBSCRIBED again after each resubscription). */
  readonly onEvent: (event: V1Event) => void;
  /** The client stopped because no subscription succeeded within `giveUpAfterMs`. */
  readonly onGiveUp?: (message: string) => void;
  /** Why a subscription attempt failed or a stream was dropped (diagnostics; the client retries on its own). */
  readonly onNotice?: (message: string) => void;
  /** The first retry delay; doubles per failure up to `maxBackoffMs`. Default 1000 (mesos-execute resends SUBSCRIBE every second). */
  readonly retryIntervalMs?: number;
  /** Default 15000, the ceiling Mesos's docs suggest. */
  readonly maxBackoffMs?: number;
  /** A SUBSCRIBE that has produced no SUBSCRIBED event by then is abandoned and retried. Default 10000. */
  readonly subscribeTimeoutMs?: number;
  /** Heartbeat intervals without a byte on the stream before it counts as dead. Default 5. */
  readonly missedHeartbeats?: number;
  /** Give up when not subscribed for this long (from start or from losing the stream). Default: never. */
  readonly giveUpAfterMs?: number;
  /** A call with no answer by then fails. Default 10000. */
  readonly callTimeoutMs?: number;
  /** 307s followed in a row before backing off. Default 9 (as mesos-go). */
  readonly maxRedirects?: number;
  /**
   * Where to try after a lost stream or a failed attempt: the leader a detector
   * names now (ZooKeeper), or null to stay where the client is. Without it the
   * client stays with the master it last reached.
   */
  readonly redetect?: () => MasterEndpoint | null;
  readonly timers?: Timers;
}

type ClientState =
  | { kind: 'idle' }
  | { kind: 'waiting'; timer: TimerHandle }
  | { kind: 'subscribing'; stream: SubscriptionStream; timer: TimerHandle; streamId: string | undefined; decoder: RecordIoDecoder; answered: boolean }
  | { kind: 'subscribed'; stream: SubscriptionStream; streamId: string; decoder: RecordIoDecoder; silenceMs: number; silenceTimer: TimerHandle }
  | { kind: 'stopped' };

const DEFAULT_HEARTBEAT_SECONDS = 15;

/** A Mesos v1 scheduler API client. `start()`, then `send()` calls once SUBSCRIBED arrived; `stop()` to end. */
export class SchedulerClient {
  private readonly options: SchedulerClientOptions;
  private readonly timers: Timers;
  private state: ClientState = { kind: 'idle' };
  private endpointNow: MasterEndpoint;
  private frameworkIdNow: string | undefined;
  private failures = 0;
  private redirects = 0;
  private lastProblem = 'no answer yet';
  private giveUpTimer: TimerHandle | undefined;

  constructor(options: SchedulerClientOptions) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.endpointNow = options.master;
  }

  /** The master the client talks to now (the leader, after redirects). */
  get endpoint(): MasterEndpoint {
    return this.endpointNow;
  }

  /** The framework id from the last SUBSCRIBED, if any. */
  get frameworkId(): string | undefined {
    return this.frameworkIdNow;
  }

  /** The current stream id, while subscribed. */
  get streamId(): string | undefined {
    return this.state.kind === 'subscribed' ? this.state.streamId : undefined;
  }

  /** Starts subscribing. */
  start(): void {
    if (this.state.kind !== 'idle') return;
    this.armGiveUp();
    this.attempt();
  }

  /** Closes the stream and cancels every timer; no event is delivered afterwards. */
  stop(): void {
    this.dropStream();
    if (this.state.kind === 'waiting') this.timers.clearTimeout(this.state.timer);
    this.state = { kind: 'stopped' };
    if (this.giveUpTimer !== undefined) this.timers.clearTimeout(this.giveUpTimer);
    this.giveUpTimer = undefined;
  }

  /** Sends a call beside the stream; ok on 202 (or 200), else why not. */
  async send(call: V1Call): Promise<Result<void>> {
    const state = this.state;
    if (state.kind !== 'subscribed') return err('IO', `cannot send ${call.type}: not subscribed`);
    const endpoint = this.endpointNow;
    const outcome = await postCall(endpoint, JSON.stringify(call), state.streamId, this.options.callTimeoutMs ?? 10_000);
    if (outcome.kind === 'failed') return err('IO', `${call.type} to ${formatEndpoint(endpoint)} failed: ${outcome.message}`);
    const { status, body, location } = outcome.reply;
    if (status === 202 || status === 200) return ok(undefined);
    const detail = status === 307 ? `redirected to ${location ?? '(no Location)'}` : body || 'no body';
    return err('PROTOCOL', `${call.type} to ${formatEndpoint(endpoint)} answered ${status}: ${detail}`);
  }

  private armGiveUp(): void {
    const after = this.options.giveUpAfterMs;
    if (after === undefined || this.giveUpTimer !== undefined) return;
    this.giveUpTimer = this.timers.setTimeout(() => {
      this.giveUpTimer = undefined;
      if (this.state.kind === 'subscribing' && !this.state.answered) this.lastProblem = `no answer to SUBSCRIBE from ${formatEndpoint(this.endpointNow)}`;
      else if (this.state.kind === 'subscribing') this.lastProblem = `no SUBSCRIBED event from ${formatEndpoint(this.endpointNow)}`;
      const message = `could not subscribe to the master at ${formatEndpoint(this.endpointNow)} within ${formatSeconds(after)}: ${this.lastProblem}`;
      this.stop();
      this.options.onGiveUp?.(message);
    }, after);
  }

  private attempt(): void {
    const body = JSON.stringify(this.options.subscribeCall(this.frameworkIdNow));
    const endpoint = this.endpointNow;
    const decoder = new RecordIoDecoder();
    const stream = openSubscription(endpoint, body, {
      onResponse: (status, streamId, location) => this.onResponse(stream, status, streamId, location),
      onRejectedBody: (text) => {
        if (text !== '') this.lastProblem = `${this.lastProblem}: ${text}`;
      },
      onData: (chunk) => this.onData(stream, chunk),
      onClosed: (reason) => this.onClosed(stream, reason),
    });
    const timer = this.timers.setTimeout(() => {
      if (this.state.kind !== 'subscribing' || this.state.stream !== stream) return;
      this.lost(`no SUBSCRIBED event from ${formatEndpoint(endpoint)} within ${formatSeconds(this.options.subscribeTimeoutMs ?? 10_000)}`);
    }, this.options.subscribeTimeoutMs ?? 10_000);
    this.state = { kind: 'subscribing', stream, timer, streamId: undefined, decoder, answered: false };
  }

  private isCurrent(stream: SubscriptionStream): boolean {
    return (this.state.kind === 'subscribing' || this.state.kind === 'subscribed') && this.state.stream === stream;
  }

  private onResponse(stream: SubscriptionStream, status: number, streamId: string | undefined, location: string | undefined): void {
    if (!this.isCurrent(stream) || this.state.kind !== 'subscribing') return;
    this.state.answered = true;
    const from = formatEndpoint(this.endpointNow);
    if (status === 200) {
      if (streamId === undefined || streamId === '') {
        this.lost(`${from} answered SUBSCRIBE without a Mesos-Stream-Id header`);
        return;
      }
      this.state.streamId = streamId;
      return;
    }
    if (status === 307 && location !== undefined) {
      const target = resolveRedirect(this.endpointNow, location);
      if (!target.ok) {
        this.lost(`${from} redirected to ${target.error.message}`);
        return;
      }
      this.redirects += 1;
      this.lastProblem = `${from} redirected to ${formatEndpoint(target.value)}`;
      this.options.onNotice?.(this.lastProblem);
      // The credentials go with the client to the leader.
      this.endpointNow = this.endpointNow.authorization === undefined ? target.value : { ...target.value, authorization: this.endpointNow.authorization };
      this.dropStream();
      if (this.redirects <= (this.options.maxRedirects ?? 9)) {
        this.state = { kind: 'idle' };
        this.attempt();
      } else {
        this.redirects = 0;
        this.retryLater();
      }
      return;
    }
    this.lastProblem = status === 503 ? `${from} answered 503 (no leader, or it is recovering)` : `${from} answered SUBSCRIBE with ${status}`;
    // The body (Mesos's one-line reason) arrives in onRejectedBody; the stream's end schedules the retry.
  }

  private onData(stream: SubscriptionStream, chunk: Uint8Array): void {
    if (!this.isCurrent(stream)) return;
    const state = this.state;
    if (state.kind !== 'subscribing' && state.kind !== 'subscribed') return;
    if (state.kind === 'subscribed') this.rearmSilence(state);
    const result = state.decoder.push(chunk);
    if (!result.ok) {
      this.lost(`the event stream from ${formatEndpoint(this.endpointNow)} is not RecordIO (${result.error.where}: ${result.error.message})`);
      return;
    }
    for (const record of result.records) {
      const parsed = parseEvent(record);
      if (!parsed.ok) {
        this.lost(`the event stream from ${formatEndpoint(this.endpointNow)} broke: ${parsed.message}`);
        return;
      }
      this.deliver(stream, parsed.event);
      if (!this.isCurrent(stream)) return; // the handler stopped the client or the stream was replaced
    }
  }

  private deliver(stream: SubscriptionStream, event: V1Event): void {
    const state = this.state;
    if (event.type === 'SUBSCRIBED' && state.kind === 'subscribing') {
      const id = event.subscribed?.framework_id?.value;
      if (typeof id !== 'string' || state.streamId === undefined) {
        this.lost('a SUBSCRIBED event without a framework id');
        return;
      }
      this.timers.clearTimeout(state.timer);
      this.frameworkIdNow = id;
      const heartbeatSeconds = event.subscribed?.heartbeat_interval_seconds;
      const heartbeatMs = (typeof heartbeatSeconds === 'number' && heartbeatSeconds > 0 ? heartbeatSeconds : DEFAULT_HEARTBEAT_SECONDS) * 1000;
      const silenceMs = heartbeatMs * (this.options.missedHeartbeats ?? 5);
      const subscribed: ClientState = { kind: 'subscribed', stream, streamId: state.streamId, decoder: state.decoder, silenceMs, silenceTimer: this.silenceTimer(stream, silenceMs) };
      this.state = subscribed;
      this.failures = 0;
      this.redirects = 0;
      if (this.giveUpTimer !== undefined) this.timers.clearTimeout(this.giveUpTimer);
      this.giveUpTimer = undefined;
    }
    this.options.onEvent(event);
  }

  private silenceTimer(stream: SubscriptionStream, silenceMs: number): TimerHandle {
    return this.timers.setTimeout(() => {
      if (!this.isCurrent(stream)) return;
      this.lost(`no event from ${formatEndpoint(this.endpointNow)} for ${formatSeconds(silenceMs)} (missed heartbeats); resubscribing`);
    }, silenceMs);
  }

  private rearmSilence(state: Extract<ClientState, { kind: 'subscribed' }>): void {
    this.timers.clearTimeout(state.silenceTimer);
    state.silenceTimer = this.silenceTimer(state.stream, state.silenceMs);
  }

  private onClosed(stream: SubscriptionStream, reason: string): void {
    if (!this.isCurrent(stream)) return;
    const wasSubscribed = this.state.kind === 'subscribed';
    const from = formatEndpoint(this.endpointNow);
    // A rejected SUBSCRIBE (503, 4xx) already said why; a connection failure says it here.
    if (wasSubscribed || !reason.startsWith('the master answered')) this.lastProblem = wasSubscribed ? `the event stream from ${from} ended: ${reason}` : reason;
    this.lost(this.lastProblem);
  }

  /** The stream (or the attempt) is gone: close it, and retry after a backoff. */
  private lost(problem: string): void {
    this.lastProblem = problem;
    this.options.onNotice?.(problem);
    this.dropStream();
    this.armGiveUp();
    this.retryLater();
  }

  private retryLater(): void {
    if (this.state.kind === 'stopped') return;
    const delayMs = backoffDelayMs(this.failures, this.options);
    this.failures += 1;
    const timer = this.timers.setTimeout(() => {
      if (this.state.kind !== 'waiting') return;
      this.state = { kind: 'idle' };
      const detected = this.options.redetect?.() ?? null;
      if (detected !== null) this.endpointNow = this.endpointNow.authorization === undefined ? detected : { ...detected, authorization: this.endpointNow.authorization };
      this.attempt();
    }, delayMs);
    this.state = { kind: 'waiting', timer };
  }

  private dropStream(): void {
    if (closeOpenStream(this.state, this.timers)) this.state = { kind: 'idle' };
  }
}

function formatSeconds(ms: number): string {
  return `${ms / 1000}s`;
}
