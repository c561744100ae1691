/**
 * The operator API (`POST /api/v1`) of one served master: GET_* answered from
 * the projection, and SUBSCRIBE as a RecordIO stream (no Mesos-Stream-Id):
 * SUBSCRIBED with the full state, then the events the history records cause,
 * HEARTBEAT every interval. The streams end when the master stops leading.
 * A stream is a sink of JSON records, so the WebSocket operator role
 * (src/live/transport/operator-role.ts) gets the same records as HTTP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Addresses } from '../../api/addresses.js';
import { gateSubscribe } from '../../api/gate.js';
import type { StateJsonCache } from '../../api/json-cache.js';
import { operatorHeartbeat, OperatorEventTranslator } from '../../api/operator-events.js';
import { parseOperatorCall, type OperatorContext } from '../../api/operator.js';
import { answerOperatorQueryChunks, operatorSubscribedChunks } from '../../api/state-text.js';
import type { V1Event } from '../../api/scheduler-event.js';
import type { HistoryRecord } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import { errorAnswer, sendError, type Answer } from './respond.js';
import type { ServedWorld } from './world.js';

/** Options of one master's operator endpoint. */
export interface OperatorEndpointOptions {
  readonly world: ServedWorld;
  readonly self: NodeId;
  readonly addresses: () => Addresses;
  readonly startedAtMs: () => number;
  readonly heartbeatIntervalMs: number;
  /** The state answers' cached JSON parts, shared by the server's endpoints. */
  readonly cache: StateJsonCache;
}

/** Where one subscription's records go: each record is one JSON event's bytes. */
export interface OperatorSink {
  record(json: Buffer): void;
  /** The stream ended on the master's side (it stopped leading or closed). */
  end(): void;
}

interface Subscriber {
  readonly sink: OperatorSink;
  readonly translator: OperatorEventTranslator;
}

/** A parsed operator call's answer, or a SUBSCRIBE to open (with subscribe()). */
export type OperatorCallAnswer = { readonly kind: 'answer'; readonly answer: Answer } | { readonly kind: 'subscribe' };

/** The operator API of one master. */
export class OperatorEndpoint {
  private readonly subscribers = new Set<Subscriber>();
  private heartbeat: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: OperatorEndpointOptions) {}

  /** The context answers are built from (the state read lazily: most records need none). */
  private context(): OperatorContext {
    const { world, self, addresses, startedAtMs } = this.options;
    return {
      get state() {
        return world.state();
      },
      addresses: addresses(),
      self,
      startedAtMs: startedAtMs(),
    };
  }

  /** Answers a call that is not faultline's extension: a query's answer, or 'subscribe'. */
  answer(body: string): OperatorCallAnswer {
    const parsed = parseOperatorCall(body);
    if (!parsed.ok) return { kind: 'answer', answer: errorAnswer(parsed.error) };
    if (parsed.value.kind === 'query') {
      return { kind: 'answer', answer: { status: 200, contentType: 'application/json', chunks: answerOperatorQueryChunks(parsed.value.type, this.context(), this.options.cache).finish() } };
    }
    return { kind: 'subscribe' };
  }

  /** Opens a stream into `sink`: SUBSCRIBED now, then one record per event. Returns the unsubscribe function. */
  subscribe(sink: OperatorSink): () => void {
    const subscriber: Subscriber = { sink, translator: new OperatorEventTranslator() };
    sink.record(Buffer.concat(operatorSubscribedChunks(this.context(), this.options.cache, this.options.heartbeatIntervalMs).finish()));
    this.subscribers.add(subscriber);
    if (this.heartbeat === null) {
      this.heartbeat = setInterval(() => {
        for (const s of this.subscribers) this.write(s, operatorHeartbeat());
      }, this.options.heartbeatIntervalMs);
      this.heartbeat.unref();
    }
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stopHeartbeat();
    };
  }

  /** Opens an HTTP SUBSCRIBE's RecordIO stream (the call's gates passed and answer() said 'subscribe'). */
  stream(req: IncomingMessage, res: ServerResponse): void {
    const gated = gateSubscribe(req.headers, 'operator');
    if (!gated.ok) return sendError(res, gated.error);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
    // One RecordIO record per write (one HTTP chunk): clients rely on it.
    const unsubscribe = this.subscribe({
      record: (json) => {
        if (!res.writableEnded && !res.destroyed) res.write(Buffer.concat([Buffer.from(`${json.byteLength}\n`), json]));
      },
      end: () => res.end(),
    });
    res.on('close', unsubscribe);
  }

  /** Feeds one history record to every subscriber. */
  onRecord(record: HistoryRecord): void {
    if (this.subscribers.size === 0) return;
    const ctx = this.context();
    for (const s of this.subscribers) for (const event of s.translator.translate(record, ctx)) this.write(s, event);
  }

  /** Ends every stream. */
  closeAll(): void {
    const ending = [...this.subscribers];
    this.subscribers.clear();
    this.stopHeartbeat();
    for (const s of ending) s.sink.end();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private write(s: Subscriber, event: V1Event): void {
    s.sink.record(Buffer.from(JSON.stringify(event)));
  }
}
