/**
 * The two things every end of the transport does with a received frame
 * before it decodes it, and when it cannot: one buffer of what ws handed over
 * (ws gives a Buffer, an ArrayBuffer or fragments), and refusing a frame
 * that does not decode with an error frame and a close (1008), as the
 * protocol says.
 */
import type { RawData, WebSocket } from 'ws';
import { encodeFrame, problemOf } from './protocol.js';

/** The frame's bytes as one Buffer. */
export function bufferOf(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** Answers a frame that did not decode (its decode error's message) with an error frame, then closes. */
export function refuseFrame(ws: WebSocket, decodeError: string): void {
  const problem = problemOf(decodeError);
  ws.send(encodeFrame({ type: 'error', code: problem.code, message: problem.message }));
  ws.close(1008, problem.code);
}
