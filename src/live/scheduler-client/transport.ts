/**
 * The scheduler API over Node's `http`: one-shot calls and the long-lived
 * SUBSCRIBE stream, each on its own connection (`agent: false`), since Mesos
 * requires calls to travel beside the stream, never on it.
 */
import http from 'node:http';
import { formatEndpoint, type MasterEndpoint } from './endpoint.js';

/** The headers every scheduler request carries. */
function requestHeaders(endpoint: MasterEndpoint, body: string, streamId: string | undefined): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'Content-Length': Buffer.byteLength(body),
  };
  if (streamId !== undefined) headers['Mesos-Stream-Id'] = streamId;
  if (endpoint.authorization !== undefined) headers.Authorization = endpoint.authorization;
  return headers;
}

/** A finished reply to a one-shot call. */
export interface CallReply {
  readonly status: number;
  readonly location: string | undefined;
  /** The body, cut to its first 1 KiB (Mesos's error bodies are one line). */
  readonly body: string;
}

/** What a one-shot call ended with: a reply, or a connection failure (refused, reset, timed out). */
export type CallOutcome = { kind: 'reply'; reply: CallReply } | { kind: 'failed'; message: string };

const MAX_BODY_BYTES = 1024;

/**
 * POSTs one call and resolves with the reply or the failure; never rejects.
 * The body is cut to `maxBodyBytes` (default 1 KiB: scheduler replies are one
 * line; the operator client reads whole GET_* answers).
 */
export function postCall(endpoint: MasterEndpoint, body: string, streamId: string | undefined, timeoutMs: number, maxBodyBytes = MAX_BODY_BYTES): Promise<CallOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: CallOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = http.request(
      { host: endpoint.host, port: endpoint.port, path: endpoint.path, method: 'POST', agent: false, headers: requestHeaders(endpoint, body, streamId) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < maxBodyBytes) text += chunk;
        });
        res.on('end', () => {
          settle({ kind: 'reply', reply: { status: res.statusCode ?? 0, location: header(res, 'location'), body: text.slice(0, maxBodyBytes).trim() } });
        });
        res.on('error', (e) => settle({ kind: 'failed', message: e.message }));
      },
    );
    const timer = setTimeout(() => {
      settle({ kind: 'failed', message: `no answer from ${formatEndpoint(endpoint)} within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (e) => settle({ kind: 'failed', message: e.message }));
    req.end(body);
  });
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What the subscription stream reports, in order: one `response`, then data until `end` or `error`. */
export interface StreamHandlers {
  /** The response head arrived. For a non-200 the body follows in `onRejectedBody` and no data is delivered. */
  readonly onResponse: (status: number, streamId: string | undefined, location: string | undefined) => void;
  readonly onData: (chunk: Uint8Array) => void;
  readonly onRejectedBody: (body: string) => void;
  /** The stream ended or broke; called once, and never after `close()`. */
  readonly onClosed: (reason: string) => void;
}

/** An open SUBSCRIBE request or stream. */
export interface SubscriptionStream {
  /** Closes the connection; no handler is called afterwards. */
  close(): void;
}

/** POSTs SUBSCRIBE and delivers the response as it streams in. */
export function openSubscription(endpoint: MasterEndpoint, body: string, handlers: StreamHandlers): SubscriptionStream {
  let closed = false;
  const finish = (reason: string): void => {
    if (closed) return;
    closed = true;
    handlers.onClosed(reason);
  };
  const req = http.request(
    { host: endpoint.host, port: endpoint.port, path: endpoint.path, method: 'POST', agent: false, headers: requestHeaders(endpoint, body, undefined) },
    (res) => {
      if (closed) return;
      const status = res.statusCode ?? 0;
      handlers.onResponse(status, header(res, 'mesos-stream-id'), header(res, 'location'));
      if (status !== 200) {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < MAX_BODY_BYTES) text += chunk;
        });
        res.on('end', () => {
          if (!closed) handlers.onRejectedBody(text.slice(0, MAX_BODY_BYTES).trim());
          finish(`the master answered ${status}`);
        });
      } else {
        res.on('data', (chunk: Buffer) => {
          if (!closed) handlers.onData(chunk);
        });
        res.on('end', () => finish('the master closed the event stream'));
      }
      res.on('error', (e) => finish(e.message));
      res.on('close', () => finish('the event stream was closed'));
    },
  );
  req.on('error', (e) => finish(e.message));
  req.end(body);
  return {
    close: () => {
      closed = true;
      req.destroy();
    },
  };
}
