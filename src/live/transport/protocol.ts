/**
 * The client <-> master wire at `/faultline/v1`: versioned JSON text frames,
 * `{"v":1,"type":...}`, each validated on receipt against its type's schema.
 * A client is an agent or a scheduler node; what its `message` frames may
 * carry follows from the role it said hello with. Pure encode/decode (no
 * socket), so every rule is unit-tested here.
 *
 *   master -> client on connect: challenge {nonce}
 *   client -> master:            hello {node, role:"agent", listen:{ip,port}, hostname?, proof?}
 *                                (hostname: what the master reports for the agent; default listen.ip)
 *                                | hello {node, role:"scheduler", proof?}
 *   master -> client:            welcome {master}            (or error, then close)
 *   either way:                  message {message}           (a core message; from/to are the connection's ends)
 *   master -> agent (chaos):     kill {}  (SIGKILL yourself) | kill_task {taskId}   (never to a scheduler)
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
import type { AgentMessage, MasterRedirectMessage, MasterToAgentMessage, MasterToSchedulerMessage, SchedulerMessage } from '../../core/messages.js';
import { agentToMasterSchema, clientToMasterSchema, masterToAgentSchema, masterToSchedulerSchema, schedulerToMasterSchema } from './message-schemas.js';
import { count, obj, opt, str, tagged, type Schema } from './schema.js';

/** The protocol version every frame carries. */
export const PROTOCOL_VERSION = 1;
/** The WebSocket path on the master's HTTP port. */
export const TRANSPORT_PATH = '/faultline/v1';
/** The largest frame either side accepts: a reregistration with thousands of tasks fits. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/**
 * What a socket reads of one frame at most (ws maxPayload), a margin above
 * MAX_FRAME_BYTES: a frame up to here reaches the decoder, which answers it
 * with a `too_large` error frame; one above it is cut off by ws itself with
 * close code 1009 (Message Too Big) before it is buffered. Either way a
 * connection holds at most this much of one frame.
 */
export const MAX_RECEIVE_BYTES = MAX_FRAME_BYTES + 1024 * 1024;

/** Who a client is: an agent node or a scheduler node. */
export type ClientRole = 'agent' | 'scheduler';
/** Who a connection is: a node of the cluster, or an operator client (src/live/transport/operator-role.ts). */
export type ConnectionRole = ClientRole | 'operator';

/** What a client of each role sends the master and gets from it. */
export interface RoleMessages {
  readonly agent: { readonly out: AgentMessage; readonly in: MasterToAgentMessage };
  /** A standby master answers a scheduler with `master.redirect`. */
  readonly scheduler: { readonly out: SchedulerMessage; readonly in: MasterToSchedulerMessage | MasterRedirectMessage };
}

/** Why a frame was refused (the error frame's code). */
export type FrameErrorCode = 'malformed' | 'version' | 'schema' | 'unexpected' | 'unauthorized' | 'too_large';

/** A hello: an agent says where it serves HTTP (and the hostname to report); a scheduler serves nothing. */
export type HelloFrame =
  | {
      readonly v: 1;
      readonly type: 'hello';
      readonly node: string;
      readonly role: 'agent';
      readonly listen: { readonly ip: string; readonly port: number };
      readonly hostname?: string;
      readonly proof?: string;
    }
  | { readonly v: 1; readonly type: 'hello'; readonly node: string; readonly role: 'scheduler'; readonly proof?: string }
  | { readonly v: 1; readonly type: 'hello'; readonly node: string; readonly role: 'operator'; readonly proof?: string };

/** An operator client's call: an operator v1 call's JSON (checked by the operator API, not here). */
export type CallFrame = { readonly v: 1; readonly type: 'call'; readonly id: string; readonly call: Readonly<Record<string, unknown>> };

export type ClientFrame =
  | HelloFrame
  | { readonly v: 1; readonly type: 'message'; readonly message: AgentMessage | SchedulerMessage }
  | CallFrame
  | { readonly v: 1; readonly type: 'error'; readonly code: string; readonly message: string };

export type MasterFrame =
  | { readonly v: 1; readonly type: 'challenge'; readonly nonce: string }
  | { readonly v: 1; readonly type: 'welcome'; readonly master: string }
  | { readonly v: 1; readonly type: 'message'; readonly message: MasterToAgentMessage | MasterToSchedulerMessage | MasterRedirectMessage }
  | { readonly v: 1; readonly type: 'kill' }
  | { readonly v: 1; readonly type: 'kill_task'; readonly taskId: string }
  | { readonly v: 1; readonly type: 'error'; readonly code: string; readonly message: string };

/** What an operator client gets: no core messages and no kills, but answers and stream records. */
export type OperatorMasterFrame =
  | Extract<MasterFrame, { type: 'challenge' | 'welcome' | 'error' }>
  | { readonly v: 1; readonly type: 'response'; readonly id: string; readonly status: number; readonly body: string; readonly location?: string }
  | { readonly v: 1; readonly type: 'event'; readonly id: string; readonly event: Readonly<Record<string, unknown>> };

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

const HELLO: Readonly<Record<ClientRole | 'operator', Schema>> = {
  agent: obj({ v: version, node: str(256), listen: obj({ ip: str(64), port: count }), hostname: opt(str(256)), proof: opt(str(256)) }),
  scheduler: obj({ v: version, node: str(256), proof: opt(str(256)) }),
  operator: obj({ v: version, node: str(256), proof: opt(str(256)) }),
};

const callId = str(MAX_CALL_ID_LENGTH);
/** Any JSON object: a call's own fields are the operator API's to check (parseOperatorCall, parseFaultlineCall). */
const anyObject = obj({});
const callFrame = obj({ v: version, id: callId, call: anyObject });

/** The frames an agent or scheduler may send, its messages checked by `message` (calls are an operator's). */
function clientFrames(message: Schema): Schema {
  return tagged('type', { hello: tagged('role', HELLO), message: obj({ v: version, message }), error: errorFrame } satisfies Record<Exclude<ClientFrame['type'], 'call'>, Schema>);
}

const CLIENT: Readonly<Record<ConnectionRole | 'none', Schema>> = {
  agent: clientFrames(agentToMasterSchema),
  scheduler: clientFrames(schedulerToMasterSchema),
  // An operator sends calls, never core messages.
  operator: tagged('type', { hello: tagged('role', HELLO), call: callFrame, error: errorFrame } satisfies Record<Exclude<ClientFrame['type'], 'message'>, Schema>),
  // Before the hello a message or call frame is refused as unexpected (after its schema is checked).
  none: tagged('type', { hello: tagged('role', HELLO), message: obj({ v: version, message: clientToMasterSchema }), call: callFrame, error: errorFrame } satisfies Record<ClientFrame['type'], Schema>),
};

const challenge = obj({ v: version, nonce: str(256) });
const welcome = obj({ v: version, master: str(256) });
const MASTER: Readonly<Record<ClientRole, Schema>> = {
  agent: tagged('type', {
    challenge,
    welcome,
    message: obj({ v: version, message: masterToAgentSchema }),
    kill: obj({ v: version }),
    kill_task: obj({ v: version, taskId: str(256) }),
    error: errorFrame,
  } satisfies Record<MasterFrame['type'], Schema>),
  // Chaos kills are for agent processes: a scheduler refuses them.
  scheduler: tagged('type', {
    challenge,
    welcome,
    message: obj({ v: version, message: masterToSchedulerSchema }),
    error: errorFrame,
  } satisfies Record<Exclude<MasterFrame['type'], 'kill' | 'kill_task'>, Schema>),
};

const OPERATOR_MASTER = tagged('type', {
  challenge,
  welcome,
  response: obj({ v: version, id: callId, status: count, body: str(MAX_OPERATOR_FRAME_BYTES), location: opt(str(4096)) }),
  event: obj({ v: version, id: callId, event: anyObject }),
  error: errorFrame,
} satisfies Record<OperatorMasterFrame['type'], Schema>);

/** A refused frame: the code for the error frame and a one-line reason. */
export interface FrameProblem {
  readonly code: FrameErrorCode;
  readonly message: string;
}

function decode<T>(data: string | Buffer, schema: Schema, maxBytes = MAX_FRAME_BYTES): Result<T> {
  if (typeof data !== 'string' && !isUtf8Text(data)) return err('PROTOCOL', 'malformed: not a UTF-8 JSON text frame');
  if ((typeof data === 'string' ? Buffer.byteLength(data) : data.length) > maxBytes) return err('PROTOCOL', `too_large: frame above ${maxBytes} bytes`);
  const text = typeof data === 'string' ? data : data.toString('utf8');
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

/**
 * Decodes a frame a master receives on a connection whose hello said `role`
 * (null before the hello). The error's message starts with the FrameErrorCode.
 */
export function decodeClientFrame(data: string | Buffer, role: ConnectionRole | null): Result<ClientFrame> {
  return decode<ClientFrame>(data, CLIENT[role ?? 'none']);
}

/** Decodes a frame a client of `role` receives. */
export function decodeMasterFrame(data: string | Buffer, role: ClientRole): Result<MasterFrame> {
  return decode<MasterFrame>(data, MASTER[role]);
}

/** Decodes a frame an operator client receives (up to MAX_OPERATOR_FRAME_BYTES: answers are not split). */
export function decodeOperatorFrame(data: string | Buffer, maxBytes = MAX_OPERATOR_FRAME_BYTES): Result<OperatorMasterFrame> {
  return decode<OperatorMasterFrame>(data, OPERATOR_MASTER, maxBytes);
}

/** The FrameErrorCode of a decode error's message. */
export function problemOf(message: string): FrameProblem {
  const colon = message.indexOf(':');
  const code = message.slice(0, colon) as FrameErrorCode;
  return { code, message: message.slice(colon + 1).trim() };
}

/** Encodes a frame (the version is added). */
export function encodeFrame(frame: DistributiveOmit<ClientFrame | MasterFrame | OperatorMasterFrame, 'v'>): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, ...frame });
}

/** Encodes a message frame; the same text as encodeFrame({type: 'message', message}), without copying the frame object first. */
export function encodeMessageFrame(message: ClientMessageOf | MasterMessageOf): string {
  return `{"v":${PROTOCOL_VERSION},"type":"message","message":${JSON.stringify(message)}}`;
}

/**
 * A message to a client as the frames it fits in: itself, or, for offers
 * above `maxBytes`, the offers split in halves until each part fits (each
 * offer stands alone, so several `master.offers` mean what one does). Any
 * other message is one frame, whatever its size (the receiver refuses it).
 */
export function messageFramesOf(message: MasterMessageOf, maxBytes: number = MAX_FRAME_BYTES): string[] {
  const text = encodeMessageFrame(message);
  // A UTF-16 length at most a quarter of the limit is within it in UTF-8 bytes too.
  if (text.length <= maxBytes / 4 || Buffer.byteLength(text) <= maxBytes) return [text];
  if (message.type !== 'master.offers' || message.offers.length < 2) return [text];
  const half = Math.ceil(message.offers.length / 2);
  return [...messageFramesOf({ ...message, offers: message.offers.slice(0, half) }, maxBytes), ...messageFramesOf({ ...message, offers: message.offers.slice(half) }, maxBytes)];
}

/** An event frame around one record's JSON bytes, without parsing them (the stream's records are built as text). */
export function encodeEventFrame(id: string, event: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`{"v":${PROTOCOL_VERSION},"type":"event","id":${JSON.stringify(id)},"event":`), event, Buffer.from('}')]);
}

type ClientMessageOf = Extract<ClientFrame, { type: 'message' }>['message'];
type MasterMessageOf = Extract<MasterFrame, { type: 'message' }>['message'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
