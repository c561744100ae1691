/**
 * The operator API (`POST /api/v1`) of one served master: GET_* answered from
 * the projection, and SUBSCRIBE as a RecordIO stream (no Mesos-Stream-Id):
 * SUBSCRIBED with the full state, then the events the history records cause,
 * HEARTBEAT every interval. The streams end when the master stops leading.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Addresses } from '../../api/addresses.js';
import { gateSubscribe } from '../../api/gate.js';
import { JsonChunks, type StateJsonCache } from '../../api/json-cache.js';
import { operatorHeartbeat, OperatorEventTranslator } from '../../api/operator-events.js';
import { parseOperatorCall, type OperatorContext } from '../../api/operator.js';
import { answerOperatorQueryChunks, operatorSubscribedChunks } from '../../api/state-text.js';
import { encodeRecord } from '../../api/recordio.js';
import type { V1Event } from '../../api/scheduler-event.js';
import type { HistoryRecord } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import { sendError, sendJsonChunks } from './respond.js';
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

interface Subscriber {
  readonly res: ServerResponse;
  readonly translator: OperatorEventTranslator;
}

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

  /** Handles a call whose gate passed. */
  handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const parsed = parseOperatorCall(body);
    if (!parsed.ok) return sendError(res, parsed.error);
    if (parsed.value.kind === 'query') return sendJsonChunks(res, answerOperatorQueryChunks(parsed.value.type, this.context(), this.options.cache).finish());
    const gated = gateSubscribe(req.headers, 'operator');
    if (!gated.ok) return sendError(res, gated.error);
    const subscriber: Subscriber = { res, translator: new OperatorEventTranslator() };
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
    this.writeSubscribed(subscriber);
    this.subscribers.add(subscriber);
    res.on('close', () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stopHeartbeat();
    });
    if (this.heartbeat === null) {
      this.heartbeat = setInterval(() => {
        for (const s of this.subscribers) this.write(s, operatorHeartbeat());
      }, this.options.heartbeatIntervalMs);
      this.heartbeat.unref();
    }
  }

  /** Feeds one history record to every subscriber. */
  onRecord(record: HistoryRecord): void {
    if (this.subscribers.size === 0) return;
    const ctx = this.context();
    for (const s of this.subscribers) for (const event of s.translator.translate(record, ctx)) this.write(s, event);
  }

  /** Ends every stream. */
  closeAll(): void {
    for (const s of this.subscribers) s.res.end();
    this.subscribers.clear();
    this.stopHeartbeat();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** SUBSCRIBED, one RecordIO record in one write (one HTTP chunk), its length prefix from the chunks' byte count. */
  private writeSubscribed(s: Subscriber): void {
    const chunks = operatorSubscribedChunks(this.context(), this.options.cache, this.options.heartbeatIntervalMs);
    const length = chunks.byteLength;
    const record = new JsonChunks().text(`${length}\n`).add(chunks).finish();
    if (!s.res.writableEnded && !s.res.destroyed) s.res.write(Buffer.concat(record));
  }

  private write(s: Subscriber, event: V1Event): void {
    this.writeText(s, JSON.stringify(event));
  }

  private writeText(s: Subscriber, json: string): void {
    if (!s.res.writableEnded && !s.res.destroyed) s.res.write(encodeRecord(json));
  }
}
