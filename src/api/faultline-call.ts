/**
 * faultline's extension of the operator API (`POST /api/v1`): calls whose
 * type starts with `FAULTLINE_`, which a Mesos master answers with 400 (an
 * unknown enum), so a client can tell a faultline master from a Mesos one.
 *
 * - `{"type":"FAULTLINE_GET_INFO"}` answers `{"type":"FAULTLINE_GET_INFO",
 *   "faultline_get_info":FaultlineInfo}`: whether chaos is allowed, the
 *   masters with their epochs, every agent's state (the operator stream has no
 *   event for an unreachable agent) and the recent faults.
 * - `{"type":"FAULTLINE_INJECT_FAULT","faultline_inject_fault":{"fault":Fault}}`
 *   (a concrete core Fault, src/core/faults.ts) answers 200
 *   `{"type":"FAULTLINE_INJECT_FAULT","faultline_inject_fault":{"detail":"..."}}`,
 *   400 with one line for a bad fault or one the cluster refuses, and 403 when
 *   the server was started without chaos.
 */
import { FAULT_KIND_TABLE, isFaultKind } from '../core/fault-kinds.js';
import type { Fault } from '../core/faults.js';
import { ApiFailure, catchApi, type ApiResult } from './errors.js';
import { isObject } from './json-read.js';

/** The extension's call types. */
export const FAULTLINE_CALL_TYPES = ['FAULTLINE_GET_INFO', 'FAULTLINE_INJECT_FAULT'] as const;

/** A parsed extension call. */
export type FaultlineCall = { readonly type: 'FAULTLINE_GET_INFO' } | { readonly type: 'FAULTLINE_INJECT_FAULT'; readonly fault: Fault };

/** One master in FAULTLINE_GET_INFO. */
export interface FaultlineMasterInfo {
  readonly node: string;
  readonly state: 'leading' | 'standby' | 'down' | 'paused';
  readonly master_id: string | null;
  readonly epoch: number | null;
  readonly elected_time: number | null;
}

/** One fault in FAULTLINE_GET_INFO, oldest first. */
export interface FaultlineFaultInfo {
  /** Increases by one per fault the server saw (a client merges by it). */
  readonly seq: number;
  /** Cluster time, seconds. */
  readonly time: number;
  readonly kind: string;
  readonly target: string;
  readonly detail: string;
}

/** The answer of FAULTLINE_GET_INFO. */
export interface FaultlineInfo {
  readonly chaos_allowed: boolean;
  /** Why chaos is off (empty when allowed). */
  readonly chaos_reason: string;
  readonly masters: readonly FaultlineMasterInfo[];
  /** Agent id to its state as the cluster sees it (registered, unreachable, removed, disconnected, down, paused). */
  readonly agent_states: Readonly<Record<string, string>>;
  /** Whether agents answer `/files/read` (a task's stdout and stderr); simulated agents serve no HTTP. */
  readonly agents_serve_files: boolean;
  readonly faults: readonly FaultlineFaultInfo[];
}

/** The extension call in `body`, null when the body is not one (the operator API answers it), or its error (400). */
export function parseFaultlineCall(body: string): ApiResult<FaultlineCall> | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isObject(json) || typeof json.type !== 'string' || !json.type.startsWith('FAULTLINE_')) return null;
  const type = json.type;
  return catchApi((): FaultlineCall => {
    if (type === 'FAULTLINE_GET_INFO') return { type };
    if (type !== 'FAULTLINE_INJECT_FAULT') throw new ApiFailure(400, `Unknown faultline call type ${JSON.stringify(type)} (known: ${FAULTLINE_CALL_TYPES.join(', ')})`);
    const inner = json.faultline_inject_fault;
    if (!isObject(inner)) throw new ApiFailure(400, 'Missing required field: faultline_inject_fault');
    return { type, fault: faultOfJson(inner.fault) };
  });
}

/** A concrete fault from JSON, checked against the fault kind table (throws ApiFailure 400). */
function faultOfJson(value: unknown): Fault {
  if (!isObject(value)) throw new ApiFailure(400, 'faultline_inject_fault.fault: must be a fault object');
  const kind = value.kind;
  if (typeof kind !== 'string' || !isFaultKind(kind)) throw new ApiFailure(400, `faultline_inject_fault.fault.kind: unknown fault kind ${JSON.stringify(kind)}`);
  for (const [name, want] of Object.entries(FAULT_KIND_TABLE[kind].fields)) {
    const v = value[name];
    const good =
      want === 'groups' ? Array.isArray(v) && v.every(isStrings) : want === 'strings' ? isStrings(v) : want === 'object' ? isObject(v) : typeof v === want && (want !== 'number' || Number.isFinite(v));
    if (!good) throw new ApiFailure(400, `faultline_inject_fault.fault.${name}: must be ${fieldWords(want)} for ${kind}`);
  }
  const fault: Record<string, unknown> = { kind };
  for (const name of Object.keys(FAULT_KIND_TABLE[kind].fields)) fault[name] = value[name];
  // Checked field by field against the table above, which the Fault union must match (fault-kinds.ts).
  return fault as unknown as Fault;
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function fieldWords(type: string): string {
  switch (type) {
    case 'groups':
      return 'a list of lists of node ids';
    case 'strings':
      return 'a list of node ids';
    case 'object':
      return 'an object';
    default:
      return `a ${type}`;
  }
}
