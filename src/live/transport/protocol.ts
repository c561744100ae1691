/**
 * The agent <-> master wire at `/faultline/v1`: versioned JSON text frames,
 * `{"v":1,"type":...}`, each validated on receipt against its type's schema.
 * Pure encode/decode (no socket), so every rule is unit-tested here.
 *
 *   master -> client on connect: challenge {nonce}
 *   client -> master:            hello {node, role:"agent", listen:{ip,port}, hostname?, proof?}
 *                                (hostname: what the master reports for the agent; default listen.ip)
 *   master -> client:            welcome {master}            (or error, then close)
 *   either way:                  message {message}           (a core message; from/to are the connection's ends)
 *   master -> agent (chaos):     kill {}  (SIGKILL yourself) | kill_task {taskId}
 *   either way:                  error {code, message}       (then the sender closes)
 *
 * An operator client (src/live/transport/operator-role.ts) instead says
 *   hello {node, role:"operator", proof?}, gets welcome, then sends
 *   call {id, call}      (call: an operator v1 call's JSON, as POST /api/v1 takes)
 * and gets response {id, status, body, location?} (what POST /api/v1 answers,
 * body as text, location the Location header of a 307 to the leader)
 * and, after a SUBSCRIBE, event {id, event} per record of the operator stream.
 */
import { isUtf8 } from 'node:buffer';
import { err, ok, type Result } from '../../core/errors.js';
import type { AgentMessage, MasterToAgentMessage } from '../../core/messages.js';
import { agentToMasterSchema, masterToAgentSchema } from './message-schemas.js';
import { count, obj, opt, str, tagged, type Schema } from './schema.js';

/** The protocol version every frame carries. */
export const PROTOCOL_VERSION = 1;
/** The WebSocket path on the master's HTTP port. */
export const TRANSPORT_PATH = '/faultline/v1';
/** The largest frame either side accepts (ws maxPayload): a reregistration with thousands of tasks fits. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** Why a frame was refused (the error frame's code). */
export type FrameErrorCode = 'malformed' | 'version' | 'schema' | 'unexpected' | 'unauthorized' | 'too_large';

export type ClientFrame =
  | { readonly v: 1; readonly type: 'hello'; readonly node: string; readonly role: 'agent'; readonly listen: { readonly ip: string; readonly port: number }; readonly hostname?: string; readonly proof?: string }
  | { readonly v: 1; readonly type: 'hello'; readonly node: string; readonly role: 'operator'; readonly proof?: string }
  | { readonly v: 1; readonly type: 'message'; readonly message: AgentMessage }
  | { readonly v: 1; readonly type: 'call'; readonly id: string; readonly call: Readonly<Record<string, unknown>> }
  | { readonly v: 1; readonly type: 'error'; readonly code: string; readonly message: string };

export type MasterFrame =
  | { readonly v: 1; readonly type: 'challenge'; readonly nonce: string }
  | { readonly v: 1; readonly type: 'welcome'; readonly master: string }
  | { readonly v: 1; readonly type: 'message'; readonly message: MasterToAgentMessage }
  | { readonly v: 1; readonly type: 'kill' }
  | { readonly v: 1; readonly type: 'kill_task'; readonly taskId: string }
  | { readonly v: 1; readonly type: 'response'; readonly id: string; readonly status: number; readonly body: string; readonly location?: string }
  | { readonly v: 1; readonly type: 'event'; readonly id: string; readonly event: Readonly<Record<string, unknown>> }
  | { readonly v: 1; readonly type: 'error'; readonly code: string; readonly message: string };

/** The longest call id an operator client may give. */
export const MAX_CALL_ID_LENGTH = 64;
/**
 * The largest frame an operator client reads: answers are not split, and a
 * GET_STATE of 50,000 tasks is ~30 MiB (the HTTP client reads as much). What
 * the master reads stays MAX_FRAME_BYTES.
 */
export const MAX_OPERATOR_FRAME_BYTES = 64 * 1024 * 1024;

const version: Schema = (v, path) => (v === PROTOCOL_VERSION ? null : `${path}: unsupported version`);
const errorFrame = obj({ v: version, code: str(64), message: str(4096) });

const callId = str(MAX_CALL_ID_LENGTH);
/** Any JSON object: the call's own fields are the operator API's to check (parseOperatorCall, parseFaultlineCall). */
const anyObject = obj({});

const CLIENT: Readonly<Record<ClientFrame['type'], Schema>> = {
  hello: tagged('role', {
    agent: obj({ v: version, node: str(256), listen: obj({ ip: str(64), port: count }), hostname: opt(str(256)), proof: opt(str(256)) }),
    operator: obj({ v: version, node: str(256), proof: opt(str(256)) }),
  }),
  message: obj({ v: version, message: agentToMasterSchema }),
  call: obj({ v: version, id: callId, call: anyObject }),
  error: errorFrame,
};

const MASTER: Readonly<Record<MasterFrame['type'], Schema>> = {
  challenge: obj({ v: version, nonce: str(256) }),
  welcome: obj({ v: version, master: str(256) }),
  message: obj({ v: version, message: masterToAgentSchema }),
  kill: obj({ v: version }),
  kill_task: obj({ v: version, taskId: str(256) }),
  response: obj({ v: version, id: callId, status: count, body: str(MAX_OPERATOR_FRAME_BYTES), location: opt(str(4096)) }),
  event: obj({ v: version, id: callId, event: anyObject }),
  error: errorFrame,
};

const clientSchema = tagged('type', CLIENT);
const masterSchema = tagged('type', MASTER);

/** A refused frame: the code for the error frame and a one-line reason. */
export interface FrameProblem {
  readonly code: FrameErrorCode;
  readonly message: string;
}

function decode<T>(data: string | Buffer, schema: Schema, maxBytes = MAX_FRAME_BYTES): Result<T> {
  if (typeof data !== 'string' && !isUtf8Text(data)) return err('PROTOCOL', 'malformed: not a UTF-8 JSON text frame');
  const text = typeof data === 'string' ? data : data.toString('utf8');
  if (text.length > maxBytes) return err('PROTOCOL', `too_large: frame above ${maxBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err('PROTOCOL', 'malformed: not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err('PROTOCOL', 'malformed: not a JSON object');
  if ((value as { v?: unknown }).v !== PROTOCOL_VERSION) return err('PROTOCOL', `version: expected "v":${PROTOCOL_VERSION}`);
  const problem = schema(value, 'frame');
  return problem === null ? ok(value as T) : err('PROTOCOL', `schema: ${problem}`);
}

function isUtf8Text(data: Buffer): boolean {
  return isUtf8(data);
}

/** Decodes a frame a master receives. The error's message starts with the FrameErrorCode. */
export function decodeClientFrame(data: string | Buffer): Result<ClientFrame> {
  return decode<ClientFrame>(data, clientSchema);
}

/** Decodes a frame an agent receives (an operator client: up to MAX_OPERATOR_FRAME_BYTES). */
export function decodeMasterFrame(data: string | Buffer, maxBytes = MAX_FRAME_BYTES): Result<MasterFrame> {
  return decode<MasterFrame>(data, masterSchema, maxBytes);
}

/** The FrameErrorCode of a decode error's message. */
export function problemOf(message: string): FrameProblem {
  const colon = message.indexOf(':');
  const code = message.slice(0, colon) as FrameErrorCode;
  return { code, message: message.slice(colon + 1).trim() };
}

/** Encodes a frame (the version is added). */
export function encodeFrame(frame: DistributiveOmit<ClientFrame | MasterFrame, 'v'>): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, ...frame });
}

/** An event frame around one record's JSON bytes, without parsing them (the stream's records are built as text). */
export function encodeEventFrame(id: string, event: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`{"v":${PROTOCOL_VERSION},"type":"event","id":${JSON.stringify(id)},"event":`), event, Buffer.from('}')]);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
