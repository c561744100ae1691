/**
 * An operator client on the master's WebSocket transport (`/faultline/v1`,
 * role "operator"): connect, answer the challenge, then operator v1 calls as
 * `call` frames. Each answer is what `POST /api/v1` would give (status and
 * body text); a SUBSCRIBE's records arrive as `event` frames. One connection
 * carries any number of calls; nothing reconnects (the caller decides).
 */
import WebSocket from 'ws';
import { proofOf } from '../transport/auth.js';
import { bufferOf, refuseFrame } from '../transport/frame-io.js';
import { decodeOperatorFrame, encodeFrame, MAX_OPERATOR_FRAME_BYTES, TRANSPORT_PATH } from '../transport/protocol.js';
import { err, ok, type Result } from '../../core/errors.js';

/** How to reach a master. */
export interface WsOperatorOptions {
  /** The master, HOST:PORT. */
  readonly master: string;
  /** The name this client says hello as (default `operator-<pid>`); the HMAC proof covers it. */
  readonly node?: string;
  /** The master's shared secret, if it has one. */
  readonly secret?: string | null;
  /** Connecting and the hello must finish within this long (default 5 s). */
  readonly timeoutMs?: number;
}

/** One call's answer: what `POST /api/v1` answers, the body as text. */
export interface WsOperatorAnswer {
  readonly status: number;
  readonly body: string;
  /** A 307's Location (the leader, `//host:port/api/v1`), as the HTTP answer's header. */
  readonly location?: string;
}

/** One record of the operator stream (SUBSCRIBED, TASK_ADDED, HEARTBEAT, ...). */
export type WsOperatorEvent = Readonly<Record<string, unknown>> & { readonly type?: unknown };

/** Why the connection ended: the close code, and the master's error frame if it sent one. */
export interface WsOperatorClosed {
  readonly code: number;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** A call that got no answer: the connection closed first. */
export class WsOperatorError extends Error {
  constructor(readonly closed: WsOperatorClosed) {
    super(closed.error === null ? `the connection closed (${closed.code})` : `${closed.error.code}: ${closed.error.message}`);
  }
}

/** A connected operator client. */
export interface WsOperator {
  /** Sends one operator v1 call (`{type: "GET_STATE"}`, `{type: "FAULTLINE_GET_INFO"}`, ...). Rejects with WsOperatorError if the connection closes first. */
  call(call: object): Promise<WsOperatorAnswer>;
  /** SUBSCRIBE: `onEvent` gets every record from SUBSCRIBED on. Resolves with the response: 200 once the stream is open. */
  subscribe(onEvent: (event: WsOperatorEvent) => void): Promise<WsOperatorAnswer>;
  /** Resolves when the connection has closed. */
  readonly closed: Promise<WsOperatorClosed>;
  close(): Promise<WsOperatorClosed>;
}

interface Pending {
  readonly resolve: (answer: WsOperatorAnswer) => void;
  readonly reject: (error: WsOperatorError) => void;
}

/** Connects and says hello; an error (code PROTOCOL or IO) when the master refuses or cannot be reached. */
export function connectWsOperator(options: WsOperatorOptions): Promise<Result<WsOperator>> {
  const node = options.node ?? `operator-${process.pid}`;
  const secret = options.secret ?? null;
  const pending = new Map<string, Pending>();
  const streams = new Map<string, (event: WsOperatorEvent) => void>();
  let nextId = 1;
  let lastError: WsOperatorClosed['error'] = null;

  return new Promise((resolveConnect) => {
    let settled = false;
    const settle = (result: Result<WsOperator>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveConnect(result);
    };
    let ws: WebSocket;
    try {
      ws = new WebSocket(`ws://${options.master}${TRANSPORT_PATH}`, { maxPayload: MAX_OPERATOR_FRAME_BYTES, perMessageDeflate: false, handshakeTimeout: options.timeoutMs ?? 5000 });
    } catch (error) {
      resolveConnect(err('USAGE', `not a master address ${JSON.stringify(options.master)}: ${error instanceof Error ? error.message : String(error)}`, '--master'));
      return;
    }
    const timer = setTimeout(() => {
      settle(err('IO', `no welcome from the master at ${options.master} in time`));
      ws.terminate();
    }, options.timeoutMs ?? 5000);
    timer.unref();

    const closed = new Promise<WsOperatorClosed>((resolveClosed) => {
      ws.on('close', (code) => {
        const why: WsOperatorClosed = { code, error: lastError };
        for (const p of pending.values()) p.reject(new WsOperatorError(why));
        pending.clear();
        streams.clear();
        settle(err(lastError?.code === 'unauthorized' ? 'PROTOCOL' : 'IO', `the master at ${options.master} closed the connection: ${lastError === null ? `code ${code}` : `${lastError.code}: ${lastError.message}`}`));
        resolveClosed(why);
      });
    });
    ws.on('error', (error) => settle(err('IO', `cannot reach the master at ${options.master}: ${error.message}`)));

    const send = (call: object, onEvent: ((event: WsOperatorEvent) => void) | null): Promise<WsOperatorAnswer> =>
      new Promise((resolve, reject) => {
        if (ws.readyState !== ws.OPEN) return reject(new WsOperatorError({ code: 1006, error: lastError }));
        const id = String(nextId++);
        pending.set(id, { resolve, reject });
        if (onEvent !== null) streams.set(id, onEvent);
        ws.send(encodeFrame({ type: 'call', id, call: call as Readonly<Record<string, unknown>> }));
      });

    const client: WsOperator = {
      call: (call) => send(call, null),
      subscribe: (onEvent) => send({ type: 'SUBSCRIBE' }, onEvent),
      closed,
      close: () => {
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000);
        return closed;
      },
    };

    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const decoded = decodeOperatorFrame(bufferOf(data));
      if (!decoded.ok) {
        refuseFrame(ws, decoded.error.message);
        return;
      }
      const frame = decoded.value;
      switch (frame.type) {
        case 'challenge':
          ws.send(encodeFrame({ type: 'hello', node, role: 'operator', ...(secret === null ? {} : { proof: proofOf(secret, frame.nonce, node) }) }));
          return;
        case 'welcome':
          settle(ok(client));
          return;
        case 'response': {
          const p = pending.get(frame.id);
          pending.delete(frame.id);
          // A refused SUBSCRIBE opens no stream.
          if (frame.status !== 200) streams.delete(frame.id);
          p?.resolve({ status: frame.status, body: frame.body, ...(frame.location === undefined ? {} : { location: frame.location }) });
          return;
        }
        case 'event':
          streams.get(frame.id)?.(frame.event);
          return;
        case 'error':
          lastError = { code: frame.code, message: frame.message };
          return;
        default: {
          const never: never = frame;
          return never;
        }
      }
    });
  });
}
