/**
 * The page's connection to a master's operator API (same origin): GET_STATE
 * for the first paint, then SUBSCRIBE over `fetch` with the streaming RecordIO
 * decoder; polls for what never streams (offers through GET_FRAMEWORKS, the
 * leader through GET_MASTER, and on a faultline master FAULTLINE_GET_INFO).
 * Stream events are queued and applied in batches: at most one flush per
 * FLUSH_INTERVAL_MS, the first right away, so a lone update reaches the screen
 * at once and a storm renders ten times a second. Reconnects after a second
 * when the stream ends, and after five heartbeats of silence.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { FaultlineInfo } from '../api/faultline-call.js';
import type { Fault } from '../core/faults.js';
import { RecordIoStreamDecoder } from './recordio-stream.js';
import type { WebState } from './store.js';
import { obj, str, type Json } from './v1-read.js';

/** The least time between two renders of stream events. */
export const FLUSH_INTERVAL_MS = 100;
const RECONNECT_DELAY_MS = 1000;
const INFO_POLL_MS = 2000;
const FRAMEWORKS_POLL_MS = 5000;
const MASTER_POLL_MS = 10000;
const CHART_STEP_MS = 1000;

/**
 * The GET_STATE index.html started before the bundle loaded (only for the
 * page's own `/api/v1`; taken once, so a reconnect asks again).
 */
function takeEarlyState(apiUrl: string): Promise<Response> | null {
  const holder = globalThis as { faultlineFirstState?: unknown };
  const early = holder.faultlineFirstState;
  holder.faultlineFirstState = undefined;
  return apiUrl === '/api/v1' && early instanceof Promise ? (early as Promise<Response>) : null;
}

/** Most a first paint holds SUBSCRIBE back: a hidden tab runs no animation frames. */
const PAINT_WAIT_MAX_MS = 200;

/** Resolves after the browser has painted the next frame (at once where there are no frames; after PAINT_WAIT_MAX_MS in a hidden tab). */
function afterNextPaint(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, PAINT_WAIT_MAX_MS);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

/** What a POST answered: the JSON, or a one-line error with its status (0: no answer). */
type Answer = { readonly ok: true; readonly json: Json } | { readonly ok: false; readonly status: number; readonly message: string };

/** Options of the client. */
export interface OperatorClientOptions {
  readonly store: StoreApi<WebState>;
  /** The API's URL (`/api/v1` on the page's own master). */
  readonly apiUrl?: string;
  readonly now?: () => number;
  /** Called with the leader's origin when this master does not lead (main.tsx navigates there); null: stay. */
  readonly onLeaderElsewhere?: ((origin: string) => void) | null;
}

/** The operator API client of the page. */
export class OperatorClient {
  private readonly store: StoreApi<WebState>;
  private readonly apiUrl: string;
  private readonly now: () => number;
  private queue: Json[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFlushMs = -Infinity;
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private abort: AbortController | null = null;
  private stopped = false;
  private infoSupported = true;
  private painted = false;
  private readonly onLeaderElsewhere: ((origin: string) => void) | null;

  constructor(options: OperatorClientOptions) {
    this.store = options.store;
    this.apiUrl = options.apiUrl ?? '/api/v1';
    this.now = options.now ?? (() => Date.now());
    this.onLeaderElsewhere = options.onLeaderElsewhere ?? null;
  }

  /** Connects and starts the polls. */
  start(): void {
    void this.connect();
    this.timers.push(setInterval(() => void this.pollInfo(), INFO_POLL_MS));
    this.timers.push(setInterval(() => void this.pollFrameworks(), FRAMEWORKS_POLL_MS));
    this.timers.push(setInterval(() => void this.pollMaster(), MASTER_POLL_MS));
    this.timers.push(
      setInterval(() => {
        const { model, chartVersion } = this.store.getState();
        model.sample(this.now());
        this.store.setState({ chartVersion: chartVersion + 1 });
      }, CHART_STEP_MS),
    );
    void this.pollInfo();
    void this.pollMaster();
  }

  /** Stops everything (the stream, the polls). */
  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    for (const t of this.timers) clearInterval(t);
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
  }

  /** Injects a fault (FAULTLINE_INJECT_FAULT); marks it on the chart and in Events when accepted. */
  async inject(fault: Fault): Promise<{ ok: boolean; message: string }> {
    const answer = await this.post({ type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault } });
    if (!answer.ok) return { ok: false, message: answer.message };
    const detail = str(obj(answer.json.faultline_inject_fault).detail) || fault.kind;
    this.store.getState().model.markFault(this.now(), detail);
    this.bump();
    void this.pollInfo();
    return { ok: true, message: detail };
  }

  private async connect(): Promise<void> {
    while (!this.stopped) {
      const why = await this.streamOnce();
      if (this.stopped) return;
      this.setConnection('reconnecting', `${why}; reconnecting`);
      this.store.getState().model.note(this.now(), 'stream', `stream lost: ${why}`);
      this.bump();
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
    }
  }

  /** One GET_STATE + SUBSCRIBE; resolves with why the stream ended. */
  private async streamOnce(): Promise<string> {
    const state = await this.answerOf({ type: 'GET_STATE' }, takeEarlyState(this.apiUrl) ?? this.fetchCall({ type: 'GET_STATE' }));
    if (!state.ok) {
      if (state.status === 307) await this.followLeader();
      return state.message;
    }
    // The first connection paints from GET_STATE; later ones wait for SUBSCRIBED's snapshot (the same state, newer).
    if (!this.painted) {
      this.painted = true;
      performance.mark('faultline:state-answered');
      this.store.getState().model.snapshot(obj(state.json.get_state));
      performance.mark('faultline:state-applied');
      this.bump();
      performance.mark('faultline:state-rendered');
      // SUBSCRIBE's snapshot is as big as GET_STATE: receiving and parsing it waits until the first frame is on screen.
      await afterNextPaint();
    }
    const abort = new AbortController();
    this.abort = abort;
    let res: Response;
    try {
      res = await fetch(this.apiUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ type: 'SUBSCRIBE' }), signal: abort.signal, redirect: 'manual' });
    } catch (error) {
      return `SUBSCRIBE failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (!res.ok || res.body === null) return this.failureOf(res);
    const reader = res.body.getReader();
    const decoder = new RecordIoStreamDecoder();
    let silentSince = this.now();
    const watchdog = setInterval(() => {
      const heartbeat = this.store.getState().model.heartbeatIntervalSec ?? 15;
      if (this.now() - silentSince > 5 * heartbeat * 1000) abort.abort();
    }, 1000);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return decoder.endedCleanly() ? 'the master ended the stream' : 'the stream was cut inside a record';
        silentSince = this.now();
        const result = decoder.push(value);
        if (!result.ok) {
          abort.abort();
          return result.message;
        }
        for (const record of result.records) {
          let event: unknown;
          try {
            event = JSON.parse(record);
          } catch {
            abort.abort();
            return 'a stream record is not JSON';
          }
          const json = obj(event);
          if (str(json.type) === 'SUBSCRIBED') this.setConnection('live', 'live: subscribed to the operator event stream');
          this.queue.push(json);
        }
        if (result.records.length > 0) this.scheduleFlush();
      }
    } catch (error) {
      return abort.signal.aborted ? 'no heartbeat for five intervals' : `the stream failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      clearInterval(watchdog);
    }
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    const delay = Math.max(0, this.lastFlushMs + FLUSH_INTERVAL_MS - this.now());
    this.flushTimer = setTimeout(() => this.flush(), delay);
  }

  private flush(): void {
    this.flushTimer = null;
    this.lastFlushMs = this.now();
    const events = this.queue;
    this.queue = [];
    const { model } = this.store.getState();
    const at = this.now();
    for (const event of events) model.apply(event, at);
    this.bump();
  }

  private bump(): void {
    this.store.setState((s) => ({ version: s.version + 1 }));
  }

  private setConnection(status: WebState['connection']['status'], message: string): void {
    const current = this.store.getState().connection;
    if (current.status !== status || current.message !== message) this.store.setState({ connection: { status, message } });
  }

  private async pollInfo(): Promise<void> {
    if (!this.infoSupported) return;
    const answer = await this.post({ type: 'FAULTLINE_GET_INFO' });
    if (!answer.ok) {
      if (answer.status === 400 || answer.status === 404 || answer.status === 501) {
        // A Mesos master: no extension, so read-only, and its agents serve their sandboxes.
        this.infoSupported = false;
        this.store.setState({ chaos: { allowed: false, reason: 'read-only: this master is not faultline (it has no FAULTLINE_INJECT_FAULT call)' }, filesServed: true });
      }
      return;
    }
    const info = obj(answer.json.faultline_get_info) as unknown as FaultlineInfo;
    if (!Array.isArray(info.masters) || !Array.isArray(info.faults) || typeof info.agent_states !== 'object') return;
    this.store.getState().model.setInfo(info, this.now());
    this.store.setState({ chaos: { allowed: info.chaos_allowed === true, reason: info.chaos_allowed ? '' : `read-only: ${str(info.chaos_reason)}` }, filesServed: info.agents_serve_files === true });
    this.bump();
  }

  private async pollFrameworks(): Promise<void> {
    const answer = await this.post({ type: 'GET_FRAMEWORKS' });
    if (!answer.ok) return;
    this.store.getState().model.setFrameworks(obj(answer.json.get_frameworks));
    this.bump();
  }

  private async pollMaster(): Promise<void> {
    const answer = await this.post({ type: 'GET_MASTER' });
    if (!answer.ok) return;
    this.store.getState().model.setMaster(obj(answer.json.get_master), this.now());
    this.bump();
  }

  private post(call: Json): Promise<Answer> {
    return this.answerOf(call, this.fetchCall(call));
  }

  private fetchCall(call: Json): Promise<Response> {
    return fetch(this.apiUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(call), redirect: 'manual' });
  }

  private async answerOf(call: Json, response: Promise<Response>): Promise<Answer> {
    let res: Response;
    try {
      res = await response;
    } catch (error) {
      return { ok: false, status: 0, message: `${str(call.type)}: no answer (${error instanceof Error ? error.message : String(error)})` };
    }
    if (!res.ok) return { ok: false, status: res.type === 'opaqueredirect' ? 307 : res.status, message: await this.failureOf(res) };
    try {
      return { ok: true, json: obj(await res.json()) };
    } catch {
      return { ok: false, status: res.status, message: `${str(call.type)}: the answer is not JSON` };
    }
  }

  /**
   * On a master that does not lead (its API answers 307 to the leader, another
   * origin the page cannot call), go to the leader's own page, as Mesos's web
   * UI does: `/master/state` is answered by any master and names the leader.
   */
  private async followLeader(): Promise<void> {
    if (this.onLeaderElsewhere === null) return;
    try {
      const res = await fetch('/master/state', { headers: { Accept: 'application/json' } });
      const leader = obj(obj(await res.json()).leader_info);
      const hostname = str(leader.hostname);
      const port = typeof leader.port === 'number' ? leader.port : null;
      if (hostname !== '' && port !== null) this.onLeaderElsewhere(`http://${hostname}:${port}`);
    } catch {
      // No leader known yet: the reconnect loop asks again.
    }
  }

  /** A one-line reason for a failed answer; a redirect means this master does not lead. */
  private async failureOf(res: Response): Promise<string> {
    if (res.type === 'opaqueredirect' || res.status === 307) return 'this master is not the leader: open the leading master’s page (see Masters)';
    const text = (await res.text().catch(() => '')).trim().split('\n')[0] ?? '';
    return `HTTP ${res.status}${text ? `: ${text}` : ''}`;
  }
}
