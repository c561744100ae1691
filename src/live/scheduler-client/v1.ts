/**
 * The few v1 scheduler API shapes (JSON, proto field names) the client and
 * `faultline execute` read and write. Loose on purpose: a master may send
 * fields this file does not name, and every read is checked where it is used.
 */

/** `{value}`, the v1 wrapper of every id. */
export interface V1Id {
  readonly value: string;
}

/** A v1 Resource: a scalar or ranges. */
export interface V1Resource {
  readonly name: string;
  readonly type: 'SCALAR' | 'RANGES' | 'SET';
  readonly scalar?: { readonly value: number };
  readonly ranges?: { readonly range: readonly { readonly begin: number; readonly end: number }[] };
  readonly role?: string;
  readonly reservations?: readonly unknown[];
  readonly allocation_info?: { readonly role?: string };
}

/** A v1 Offer (the fields faultline reads). */
export interface V1Offer {
  readonly id: V1Id;
  readonly agent_id: V1Id;
  readonly hostname?: string;
  readonly resources?: readonly V1Resource[];
}

/** A v1 TaskStatus (the fields faultline reads). */
export interface V1TaskStatus {
  readonly task_id: V1Id;
  readonly state: string;
  readonly agent_id?: V1Id;
  readonly message?: string;
  readonly source?: string;
  readonly reason?: string;
  readonly healthy?: boolean;
  /** Base64 of 16 bytes; present when the update must be acknowledged. */
  readonly uuid?: string;
}

/** A v1 scheduler Event. Only the members faultline reads are typed. */
export interface V1Event {
  readonly type: string;
  readonly subscribed?: { readonly framework_id: V1Id; readonly heartbeat_interval_seconds?: number };
  readonly offers?: { readonly offers?: readonly V1Offer[] };
  readonly update?: { readonly status: V1TaskStatus };
  readonly error?: { readonly message?: string };
  readonly rescind?: { readonly offer_id: V1Id };
  readonly [key: string]: unknown;
}

/** A v1 scheduler Call, as sent (the body is any of the proto's sub-messages). */
export interface V1Call {
  readonly type: string;
  readonly framework_id?: V1Id;
  readonly [key: string]: unknown;
}

/** The terminal task states (Mesos `protobuf::isTerminalState`). */
export const TERMINAL_TASK_STATES: ReadonlySet<string> = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/** Reads one decoded RecordIO record as an event, or says why it is not one. */
export function parseEvent(record: string): { ok: true; event: V1Event } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(record);
  } catch {
    return { ok: false, message: `an event is not JSON: ${record.slice(0, 80)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: `an event is not a JSON object: ${record.slice(0, 80)}` };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, message: `an event has no type: ${record.slice(0, 80)}` };
  return { ok: true, event: value as V1Event };
}
