/**
 * Validation of one parsed history line: enough that the projection and the
 * checkers can trust every field they read (right type, known enum value),
 * without the cost of a schema library over millions of lines. The field table
 * is typed against events.ts, so a new event type or field does not compile
 * until it is listed here.
 */
import type { ClusterEvent, ClusterEventType, HistoryRecord } from '../../core/events.js';
import { FAULT_KIND_TABLE, isFaultKind } from '../../core/fault-kinds.js';
import { TASK_REASONS, TASK_STATES } from '../../core/task-state.js';

type FieldKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'stringOrNull'
  | 'strings'
  | 'resources'
  | 'attributes'
  | 'fault'
  | 'role'
  | 'state'
  | 'reasonOrNull'
  | 'source'
  | 'dropCause';

type FieldsOf<T extends ClusterEventType> = { readonly [K in Exclude<keyof Extract<ClusterEvent, { type: T }>, 'type'>]-?: FieldKind };

const EVENT_FIELDS: { readonly [T in ClusterEventType]: FieldsOf<T> } = {
  'cluster.started': { seed: 'string', timing: 'string', masters: 'strings', agents: 'strings' },
  'node.started': { node: 'string', role: 'role' },
  'node.stopped': { node: 'string', role: 'role', reason: 'string' },
  'node.paused': { node: 'string' },
  'node.resumed': { node: 'string' },
  'master.elected': { node: 'string', masterId: 'string', epoch: 'number' },
  'master.deposed': { node: 'string', epoch: 'number', reason: 'string' },
  'master.recovered': { node: 'string', epoch: 'number', agentsInRegistry: 'number', unreachableAgentIds: 'strings' },
  'master.failover_completed': { node: 'string', epoch: 'number', durationMs: 'number' },
  'master.unhandled': { node: 'string', from: 'string', message: 'string' },
  'agent.registered': { agentId: 'string', host: 'string', resources: 'resources', attributes: 'attributes', epoch: 'number' },
  'agent.reregistered': { agentId: 'string', host: 'string', resources: 'resources', epoch: 'number' },
  'agent.unreachable': { agentId: 'string', host: 'string', epoch: 'number' },
  'agent.removed': { agentId: 'string', host: 'string', reason: 'string', epoch: 'number' },
  'agent.disconnected': { agentId: 'string', host: 'string', epoch: 'number' },
  'framework.subscribed': {
    frameworkId: 'string',
    name: 'string',
    node: 'string',
    roles: 'strings',
    partitionAware: 'boolean',
    failoverTimeoutMs: 'number',
    epoch: 'number',
  },
  'framework.resubscribed': { frameworkId: 'string', name: 'string', node: 'string', epoch: 'number' },
  'framework.disconnected': { frameworkId: 'string', reason: 'string', epoch: 'number' },
  'framework.removed': { frameworkId: 'string', reason: 'string', epoch: 'number' },
  'offer.created': { offerId: 'string', frameworkId: 'string', agentId: 'string', resources: 'resources' },
  'offer.accepted': { offerId: 'string', frameworkId: 'string', taskIds: 'strings' },
  'offer.declined': { offerId: 'string', frameworkId: 'string', refuseMs: 'number' },
  'offer.filtered': { frameworkId: 'string', agentId: 'string', resources: 'resources', refuseMs: 'number' },
  'framework.suppressed': { frameworkId: 'string', epoch: 'number' },
  'framework.revived': { frameworkId: 'string', epoch: 'number' },
  'registry.committed': { node: 'string', epoch: 'number', ops: 'strings' },
  'offer.rescinded': { offerId: 'string', frameworkId: 'string', reason: 'string' },
  'task.launched': { taskId: 'string', frameworkId: 'string', agentId: 'string', name: 'string', resources: 'resources', labels: 'attributes', epoch: 'number' },
  'task.updated': {
    taskId: 'string',
    frameworkId: 'string',
    agentId: 'string',
    state: 'state',
    reason: 'reasonOrNull',
    source: 'source',
    message: 'stringOrNull',
  },
  'task.status': { taskId: 'string', frameworkId: 'string', agentId: 'string', host: 'string', state: 'state', reason: 'reasonOrNull', uuid: 'string' },
  'status.delivered': { frameworkId: 'string', taskId: 'string', state: 'state', reason: 'reasonOrNull', uuid: 'stringOrNull', epoch: 'number' },
  'status.acknowledged': { frameworkId: 'string', taskId: 'string', uuid: 'string' },
  'status.ack_received': { agentId: 'string', taskId: 'string', uuid: 'string' },
  'agent.accepted': { host: 'string', command: 'string', epoch: 'number' },
  'scheduler.note': { frameworkId: 'stringOrNull', node: 'string', app: 'string', note: 'string' },
  'fault.injected': { fault: 'fault', detail: 'string' },
  'message.dropped': { from: 'string', to: 'string', message: 'string', cause: 'dropCause' },
  'message.duplicated': { from: 'string', to: 'string', message: 'string' },
};



const STATES: ReadonlySet<string> = new Set(TASK_STATES);
const REASONS: ReadonlySet<string> = new Set(TASK_REASONS);
const SOURCES: ReadonlySet<string> = new Set(['SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR']);
const ROLES: ReadonlySet<string> = new Set(['master', 'agent', 'scheduler', 'coordinator']);

/** Checks a parsed JSON value is a well-formed record; the reason when it is not. */
export function checkRecord(value: unknown): { ok: true; record: HistoryRecord } | { ok: false; reason: string } {
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object' };
  if (!isCount(value['seq'])) return { ok: false, reason: 'field "seq" must be a whole number >= 0' };
  if (!isTime(value['atMs'])) return { ok: false, reason: 'field "atMs" must be a number >= 0' };
  const type = value['type'];
  if (typeof type !== 'string' || !Object.hasOwn(EVENT_FIELDS, type)) return { ok: false, reason: `unknown event type ${JSON.stringify(type)}` };
  const fields = EVENT_FIELDS[type as ClusterEventType] as Readonly<Record<string, FieldKind>>;
  for (const [field, kind] of Object.entries(fields)) {
    const problem = checkField(value[field], kind);
    if (problem !== null) return { ok: false, reason: `${type}: field "${field}" ${problem}` };
  }
  return { ok: true, record: value as unknown as HistoryRecord };
}

function checkField(value: unknown, kind: FieldKind): string | null {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? null : 'must be a string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a finite number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'stringOrNull':
      return value === null || typeof value === 'string' ? null : 'must be a string or null';
    case 'strings':
      return isStrings(value) ? null : 'must be a list of strings';
    case 'resources':
      return checkResources(value);
    case 'attributes':
      return isObject(value) && Object.values(value).every((v) => typeof v === 'string') ? null : 'must be an object of strings';
    case 'fault':
      return checkFault(value);
    case 'role':
      return typeof value === 'string' && ROLES.has(value) ? null : 'must be a node role';
    case 'state':
      return typeof value === 'string' && STATES.has(value) ? null : 'must be a task state';
    case 'reasonOrNull':
      return value === null || (typeof value === 'string' && REASONS.has(value)) ? null : 'must be a task reason or null';
    case 'source':
      return typeof value === 'string' && SOURCES.has(value) ? null : 'must be a status source';
    case 'dropCause':
      return value === 'loss' ? null : 'must be "loss"';
  }
}

function checkResources(value: unknown): string | null {
  if (!isObject(value)) return 'must be a resources object';
  for (const scalar of ['cpus', 'mem', 'disk', 'gpus']) {
    const amount = value[scalar];
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) return `must have a non-negative "${scalar}"`;
  }
  const ports = value['ports'];
  if (!Array.isArray(ports)) return 'must have a "ports" list';
  for (const range of ports) {
    if (!isObject(range) || !isPort(range['begin']) || !isPort(range['end']) || range['begin'] > range['end']) return 'has a bad port range';
  }
  return null;
}

function checkFault(value: unknown): string | null {
  if (!isObject(value)) return 'must be a fault object';
  const kind = value['kind'];
  if (typeof kind !== 'string' || !isFaultKind(kind)) return `has an unknown fault kind ${JSON.stringify(kind)}`;
  for (const [field, want] of Object.entries(FAULT_KIND_TABLE[kind].fields)) {
    const v = value[field];
    const good =
      want === 'groups' ? Array.isArray(v) && v.every(isStrings) : want === 'strings' ? isStrings(v) : want === 'object' ? isObject(v) : typeof v === want;
    if (!good) return `(${kind}) has a bad "${field}"`;
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}
