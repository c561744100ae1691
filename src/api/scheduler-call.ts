/**
 * v1 scheduler Call JSON (`include/mesos/v1/scheduler/scheduler.proto`) to a
 * core SchedulerMessage. Follows the proto, not the docs' examples: REVIVE and
 * SUPPRESS carry `roles[]`, REQUEST is `request.requests`. Bad input is a typed
 * error with Mesos's status: 400 for a parse or validation failure, 501 for
 * type UNKNOWN. Calls the core does not model (MESSAGE, REQUEST, SHUTDOWN,
 * inverse offers, operation statuses, UPDATE_FRAMEWORK) are accepted with no
 * core message, so they answer as in Mesos and still show in the history.
 */
import type { FrameworkId } from '../core/ids.js';
import type { FrameworkInfo, Operation, ReconcileTask, SchedulerMessage, TaskInfo } from '../core/messages.js';
import { ApiFailure, catchApi, type ApiResult } from './errors.js';
import {
  isObject,
  optBoolean,
  optEnum,
  optId,
  optNumber,
  optObject,
  optString,
  repeatedIds,
  repeatedObjects,
  repeatedStrings,
  reqId,
  reqObject,
  reqString,
  type JsonObject,
} from './json-read.js';
import { resourcesFromV1 } from './resources.js';
import type { StatusUuidCodec } from './status-uuid.js';

/** Every Call.Type name (scheduler.proto). */
export const CALL_TYPES = [
  'UNKNOWN',
  'SUBSCRIBE',
  'TEARDOWN',
  'ACCEPT',
  'DECLINE',
  'ACCEPT_INVERSE_OFFERS',
  'DECLINE_INVERSE_OFFERS',
  'REVIVE',
  'KILL',
  'SHUTDOWN',
  'ACKNOWLEDGE',
  'ACKNOWLEDGE_OPERATION_STATUS',
  'RECONCILE',
  'RECONCILE_OPERATIONS',
  'MESSAGE',
  'REQUEST',
  'SUPPRESS',
  'UPDATE_FRAMEWORK',
] as const;

/** A Call.Type name. */
export type CallType = (typeof CALL_TYPES)[number];

/** FrameworkInfo.Capability.Type names (mesos.proto). */
const CAPABILITY_TYPES = [
  'UNKNOWN',
  'REVOCABLE_RESOURCES',
  'TASK_KILLING_STATE',
  'GPU_RESOURCES',
  'SHARED_RESOURCES',
  'PARTITION_AWARE',
  'MULTI_ROLE',
  'RESERVATION_REFINEMENT',
  'REGION_AWARE',
] as const;

/** Offer.Operation.Type names (mesos.proto); only LAUNCH is modelled. */
const OPERATION_TYPES = ['UNKNOWN', 'LAUNCH', 'LAUNCH_GROUP', 'RESERVE', 'UNRESERVE', 'CREATE', 'DESTROY', 'GROW_VOLUME', 'SHRINK_VOLUME', 'CREATE_DISK', 'DESTROY_DISK'] as const;

/** A parsed call. */
export type ParsedCall =
  | { readonly kind: 'subscribe'; readonly type: 'SUBSCRIBE'; readonly framework: FrameworkInfo }
  | {
      readonly kind: 'call';
      readonly type: Exclude<CallType, 'SUBSCRIBE' | 'UNKNOWN'>;
      readonly frameworkId: FrameworkId;
      /** The core message, or null for a call the core does not model (accepted, recorded, no effect). */
      readonly message: Exclude<SchedulerMessage, { type: 'scheduler.subscribe' }> | null;
    };

/** Mesos's default `failover_timeout` is 0; its default `refuse_seconds` is 5. */
const MS_PER_SECOND = 1000;

/** Parses a call from its JSON text. */
export function parseSchedulerCall(body: string, uuids: StatusUuidCodec): ApiResult<ParsedCall> {
  return catchApi(() => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new ApiFailure(400, `Failed to parse body into JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isObject(json)) throw new ApiFailure(400, 'Failed to convert JSON into Call protobuf: expected an object');
    return callOf(json, uuids);
  });
}

function callOf(call: JsonObject, uuids: StatusUuidCodec): ParsedCall {
  const type = optEnum(call, 'type', 'call', CALL_TYPES);
  if (type === undefined) throw new ApiFailure(400, 'Missing required fields: type');
  if (type === 'UNKNOWN') throw new ApiFailure(501, 'Received an unknown call type');
  const frameworkId = optId(call, 'framework_id', 'call');
  if (type === 'SUBSCRIBE') {
    const subscribe = sub(call, 'subscribe');
    const framework = frameworkInfoOf(reqObject(subscribe, 'framework_info', 'subscribe'));
    if (frameworkId !== undefined && frameworkId !== framework.frameworkId) {
      throw new ApiFailure(400, "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'");
    }
    return { kind: 'subscribe', type, framework };
  }
  if (frameworkId === undefined) throw new ApiFailure(400, "Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
  const message = messageOf(type, frameworkId, call, uuids);
  return { kind: 'call', type, frameworkId, message };
}

/** The call's sub-message, required as Mesos's validation requires it. */
function sub(call: JsonObject, key: string): JsonObject {
  const value = optObject(call, key, 'call');
  if (value === undefined) throw new ApiFailure(400, `Failed to validate scheduler::Call: Expecting '${key}' to be present`);
  return value;
}

function messageOf(type: Exclude<CallType, 'SUBSCRIBE' | 'UNKNOWN'>, frameworkId: FrameworkId, call: JsonObject, uuids: StatusUuidCodec): Extract<ParsedCall, { kind: 'call' }>['message'] {
  switch (type) {
    case 'TEARDOWN':
      return { type: 'scheduler.teardown', frameworkId };
    case 'ACCEPT': {
      const accept = sub(call, 'accept');
      const offerIds = repeatedIds(accept, 'offer_ids', 'accept');
      const operations: Operation[] = [];
      repeatedObjects(accept, 'operations', 'accept').forEach((op, i) => {
        const where = `accept.operations[${i}]`;
        const opType = optEnum(op, 'type', where, OPERATION_TYPES);
        if (opType !== 'LAUNCH') return; // not modelled: Mesos would apply it; the core ignores it
        const launch = reqObject(op, 'launch', where);
        const tasks = repeatedObjects(launch, 'task_infos', `${where}.launch`).map((t, j) => taskInfoOf(t, `${where}.launch.task_infos[${j}]`));
        operations.push({ type: 'LAUNCH', tasks });
      });
      const refuseMs = refuseMsOf(accept, 'accept');
      return refuseMs === undefined ? { type: 'scheduler.accept', frameworkId, offerIds, operations } : { type: 'scheduler.accept', frameworkId, offerIds, operations, refuseMs };
    }
    case 'DECLINE': {
      const decline = sub(call, 'decline');
      const offerIds = repeatedIds(decline, 'offer_ids', 'decline');
      const refuseMs = refuseMsOf(decline, 'decline');
      return refuseMs === undefined ? { type: 'scheduler.decline', frameworkId, offerIds } : { type: 'scheduler.decline', frameworkId, offerIds, refuseMs };
    }
    case 'REVIVE':
    case 'SUPPRESS': {
      const key = type === 'REVIVE' ? 'revive' : 'suppress';
      const body = optObject(call, key, 'call');
      const roles = body === undefined ? [] : repeatedStrings(body, 'roles', key);
      const kind = type === 'REVIVE' ? 'scheduler.revive' : 'scheduler.suppress';
      return roles.length === 0 ? { type: kind, frameworkId } : { type: kind, frameworkId, roles };
    }
    case 'KILL': {
      const kill = sub(call, 'kill');
      const taskId = reqId(kill, 'task_id', 'kill');
      const agentId = optId(kill, 'agent_id', 'kill');
      return agentId === undefined ? { type: 'scheduler.kill', frameworkId, taskId } : { type: 'scheduler.kill', frameworkId, taskId, agentId };
    }
    case 'ACKNOWLEDGE': {
      const ack = sub(call, 'acknowledge');
      const agentId = reqId(ack, 'agent_id', 'acknowledge');
      const taskId = reqId(ack, 'task_id', 'acknowledge');
      const uuid = uuids.decode(reqString(ack, 'uuid', 'acknowledge'), 'acknowledge.uuid');
      return { type: 'scheduler.acknowledge', frameworkId, agentId, taskId, uuid };
    }
    case 'RECONCILE': {
      const reconcile = sub(call, 'reconcile');
      const tasks: ReconcileTask[] = repeatedObjects(reconcile, 'tasks', 'reconcile').map((t, i) => {
        const where = `reconcile.tasks[${i}]`;
        const taskId = reqId(t, 'task_id', where);
        const agentId = optId(t, 'agent_id', where);
        return agentId === undefined ? { taskId } : { taskId, agentId };
      });
      return { type: 'scheduler.reconcile', frameworkId, tasks };
    }
    case 'MESSAGE': {
      const message = sub(call, 'message');
      reqId(message, 'agent_id', 'message');
      reqId(message, 'executor_id', 'message');
      reqString(message, 'data', 'message');
      return null;
    }
    case 'REQUEST':
      repeatedObjects(sub(call, 'request'), 'requests', 'request');
      return null;
    case 'SHUTDOWN': {
      const shutdown = sub(call, 'shutdown');
      reqId(shutdown, 'executor_id', 'shutdown');
      reqId(shutdown, 'agent_id', 'shutdown');
      return null;
    }
    case 'ACCEPT_INVERSE_OFFERS':
    case 'DECLINE_INVERSE_OFFERS':
    case 'ACKNOWLEDGE_OPERATION_STATUS':
    case 'RECONCILE_OPERATIONS':
    case 'UPDATE_FRAMEWORK':
      return null;
    default: {
      const never: never = type;
      throw new ApiFailure(501, `Unsupported call ${String(never)}`);
    }
  }
}

function refuseMsOf(body: JsonObject, path: string): number | undefined {
  const filters = optObject(body, 'filters', path);
  if (filters === undefined) return undefined;
  const seconds = optNumber(filters, 'refuse_seconds', `${path}.filters`);
  if (seconds === undefined) return undefined;
  if (seconds < 0) throw new ApiFailure(400, `Failed to validate scheduler::Call: ${path}.filters.refuse_seconds is negative`);
  return Math.round(seconds * MS_PER_SECOND);
}

/** `sleep N` (or `/bin/sleep N`) runs for N seconds in the simulation; other commands follow the simulated executor. */
const SLEEP = /^\s*(?:\/bin\/|\/usr\/bin\/)?sleep\s+(\d+(?:\.\d+)?)\s*$/;

function taskInfoOf(task: JsonObject, where: string): TaskInfo {
  const name = reqString(task, 'name', where);
  const taskId = reqId(task, 'task_id', where);
  const agentId = reqId(task, 'agent_id', where);
  const resources = resourcesFromV1(repeatedObjects(task, 'resources', where), `${where}.resources`);
  const command = optObject(task, 'command', where);
  const executor = optObject(task, 'executor', where);
  if ((command === undefined) === (executor === undefined)) {
    throw new ApiFailure(400, `Invalid task ${taskId}: Task should have at least one (but not both) of CommandInfo or ExecutorInfo present`);
  }
  const shell = command === undefined ? true : (optBoolean(command, 'shell', `${where}.command`) ?? true);
  const value = command === undefined ? '' : (optString(command, 'value', `${where}.command`) ?? '');
  const args = command === undefined ? [] : repeatedStrings(command, 'arguments', `${where}.command`);
  const text = shell || args.length === 0 ? value : args.join(' ');
  const labels: Record<string, string> = {};
  const labelsObj = optObject(task, 'labels', where);
  if (labelsObj !== undefined) {
    repeatedObjects(labelsObj, 'labels', `${where}.labels`).forEach((l, i) => {
      labels[reqString(l, 'key', `${where}.labels.labels[${i}]`)] = optString(l, 'value', `${where}.labels.labels[${i}]`) ?? '';
    });
  }
  const sleep = SLEEP.exec(text);
  const base: TaskInfo = { taskId, name, agentId, resources, command: text };
  const withDuration: TaskInfo = sleep ? { ...base, durationMs: Math.round(Number(sleep[1]) * MS_PER_SECOND) } : base;
  return Object.keys(labels).length > 0 ? { ...withDuration, labels } : withDuration;
}

function frameworkInfoOf(info: JsonObject): FrameworkInfo {
  const where = 'subscribe.framework_info';
  const user = reqString(info, 'user', where);
  const name = reqString(info, 'name', where);
  const frameworkId = optId(info, 'id', where);
  const failoverSeconds = optNumber(info, 'failover_timeout', where) ?? 0;
  if (failoverSeconds < 0) throw new ApiFailure(400, `Failed to validate scheduler::Call: ${where}.failover_timeout is negative`);
  const checkpoint = optBoolean(info, 'checkpoint', where) ?? false;
  const roles = repeatedStrings(info, 'roles', where);
  const role = optString(info, 'role', where);
  const capabilities = repeatedObjects(info, 'capabilities', where).map((c, i) => optEnum(c, 'type', `${where}.capabilities[${i}]`, CAPABILITY_TYPES));
  const multiRole = capabilities.includes('MULTI_ROLE');
  if (multiRole && role !== undefined) throw new ApiFailure(400, "Failed to validate scheduler::Call: 'FrameworkInfo.role' must not be set when MULTI_ROLE is set");
  if (!multiRole && roles.length > 0) throw new ApiFailure(400, "Failed to validate scheduler::Call: 'FrameworkInfo.roles' must not be set without MULTI_ROLE");
  const base = {
    name,
    user,
    roles: multiRole ? roles : role === undefined ? [] : [role],
    capabilities: { partitionAware: capabilities.includes('PARTITION_AWARE'), taskKillingState: capabilities.includes('TASK_KILLING_STATE') },
    failoverTimeoutMs: Math.round(failoverSeconds * MS_PER_SECOND),
    checkpoint,
  };
  return frameworkId === undefined ? base : { ...base, frameworkId };
}
