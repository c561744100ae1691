/**
 * The operator role on the master's transport: a client that said hello as
 * `role: "operator"` sends `call {id, call}` frames and gets `response {id,
 * status, body}` and, after a SUBSCRIBE, `event {id, event}` frames. The
 * answers come from the master's operator API itself (OperatorCalls in
 * src/live/http/server.ts), so status and body are the bytes `POST /api/v1`
 * answers, chaos is gated by --allow-chaos the same way, and a call is
 * validated by the same parsers. An operator connection is no node of the
 * cluster: it gets no core messages, no kill frames, and no partition cuts it.
 */
import type { WebSocket } from 'ws';
import { encodeEventFrame, encodeFrame } from './protocol.js';

/** What the operator role needs of the master's operator API (OperatorCalls in src/live/http/server.ts has this shape). */
export interface OperatorService {
  /** A call's JSON body: its answer (status and body bytes), or 'subscribe' for a SUBSCRIBE. */
  answer(
    body: string,
  ): { readonly kind: 'answer'; readonly answer: { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly chunks: readonly Uint8Array[] } } | { readonly kind: 'subscribe' };
  /** SUBSCRIBED into the sink at once, then one record per event; returns the unsubscribe function. */
  subscribe(sink: { record(json: Buffer): void; end(): void }): () => void;
}

/** The status a SUBSCRIBE's response frame carries before its events (HTTP answers 200 and streams). */
const SUBSCRIBED_STATUS = 200;

/** One operator connection: its calls and open subscriptions. */
export class OperatorSession {
  private readonly unsubscribes: Array<() => void> = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly service: OperatorService,
  ) {}

  /** Answers one validated call frame. */
  call(id: string, call: Readonly<Record<string, unknown>>): void {
    const answered = this.service.answer(JSON.stringify(call));
    if (answered.kind === 'answer') {
      const { status, headers, chunks } = answered.answer;
      // A standby's 307 names the leader in its Location header: the frame carries it.
      const location = headers?.Location;
      this.send(encodeFrame({ type: 'response', id, status, body: Buffer.concat(chunks).toString('utf8'), ...(location === undefined ? {} : { location }) }));
      return;
    }
    this.send(encodeFrame({ type: 'response', id, status: SUBSCRIBED_STATUS, body: '' }));
    this.unsubscribes.push(
      this.service.subscribe({
        record: (json) => this.send(encodeEventFrame(id, json)),
        // The master stopped leading or closed: as over HTTP, the stream ends (here, with the connection).
        end: () => this.socket.close(1000, 'stream ended'),
      }),
    );
  }

  /** Ends every subscription (the connection closed). */
  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  private send(data: string | Buffer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data, { binary: false });
  }
}
