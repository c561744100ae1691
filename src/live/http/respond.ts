/**
 * Small response helpers and the bounded body reader: every error is one line
 * of text with its status; a body over the limit is 413 and never buffered
 * whole.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from '../../api/errors.js';

/** Largest request body accepted (Mesos has no limit; faultline refuses to buffer without one). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * A whole answer as bytes, before it is written anywhere: the HTTP API writes
 * it as a response, the WebSocket operator role as a `response` frame (the
 * same status and body bytes either way).
 */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly chunks: readonly Uint8Array[];
}

/** An ApiError as an answer: one line of text (307 has an empty body). */
export function errorAnswer(error: ApiError): Answer {
  const body = error.status === 307 ? '' : `${error.message.replace(/[\r\n]+/g, ' ')}\n`;
  return { status: error.status, contentType: 'text/plain; charset=utf-8', ...(error.headers === undefined ? {} : { headers: error.headers }), chunks: [Buffer.from(body)] };
}

/** A JSON value as an answer. */
export function jsonAnswer(value: unknown, status = 200): Answer {
  return { status, contentType: 'application/json', chunks: [Buffer.from(JSON.stringify(value))] };
}

/** Writes an answer. */
export function sendAnswer(res: ServerResponse, answer: Answer): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJsonChunks(res, answer.chunks, answer.status, answer.contentType, answer.headers);
}

/** Writes an ApiError: its status, headers and one line (307 has an empty body). */
export function sendError(res: ServerResponse, error: ApiError): void {
  sendAnswer(res, errorAnswer(error));
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  sendJsonText(res, JSON.stringify(value), status);
}

/** Writes JSON text as the answer. */
export function sendJsonText(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Writes JSON given as byte chunks (most of them reused from an earlier answer: json-cache.ts) in one corked burst. */
export function sendJsonChunks(res: ServerResponse, chunks: readonly Uint8Array[], status = 200, contentType = 'application/json', headers?: Readonly<Record<string, string>>): void {
  let length = 0;
  for (const c of chunks) length += c.byteLength;
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': length });
  res.cork();
  for (const c of chunks) res.write(c);
  res.end();
}

/** Reads the body as UTF-8, or an ApiError (413 past the limit, 400 if the client aborts). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<{ ok: true; body: string } | { ok: false; error: ApiError }> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve({ ok: false, error: { status: 413, message: `Request body larger than ${limit} bytes` } });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        resolve({ ok: false, error: { status: 413, message: `Request body larger than ${limit} bytes` } });
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve({ ok: true, body: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', () => {
      if (done) return;
      done = true;
      resolve({ ok: false, error: { status: 400, message: 'Request body could not be read' } });
    });
  });
}
