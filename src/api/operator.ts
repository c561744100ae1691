/**
 * The operator API v1 (`POST /api/v1`, master.proto `Call`/`Response`) answered
 * from the projection: GET_HEALTH, GET_VERSION, GET_MASTER, GET_STATE,
 * GET_AGENTS, GET_FRAMEWORKS, GET_TASKS, GET_METRICS, GET_ROLES. SUBSCRIBE is
 * parsed here and streamed by the server (operator-events.ts). The answer
 * echoes the call's type: `{"type":"GET_STATE","get_state":{...}}`.
 */
import type { NodeId } from '../core/ids.js';
import type { ClusterState } from '../core/state.js';
import { isTerminal } from '../core/task-state.js';
import { masterInfoOf, MESOS_VERSION, type Addresses } from './addresses.js';
import { ApiFailure, catchApi, type ApiResult } from './errors.js';
import { isObject, optEnum } from './json-read.js';
import { masterMetrics } from './metrics.js';
import { resourcesToV1 } from './resources.js';
import { agentToV1, frameworkToV1, isListedAgent, offersByFramework, taskToV1 } from './v1-objects.js';
import { add, EMPTY_RESOURCES } from '../core/resources.js';

/** Every master Call.Type name (master.proto). */
const OPERATOR_CALL_TYPES = [
  'UNKNOWN', 'GET_HEALTH', 'GET_FLAGS', 'GET_VERSION', 'GET_METRICS', 'GET_LOGGING_LEVEL', 'SET_LOGGING_LEVEL', 'LIST_FILES', 'READ_FILE',
  'GET_STATE', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_EXECUTORS', 'GET_OPERATIONS', 'GET_TASKS', 'GET_ROLES', 'GET_WEIGHTS', 'UPDATE_WEIGHTS',
  'GET_MASTER', 'SUBSCRIBE', 'RESERVE_RESOURCES', 'UNRESERVE_RESOURCES', 'CREATE_VOLUMES', 'DESTROY_VOLUMES', 'GROW_VOLUME', 'SHRINK_VOLUME',
  'GET_MAINTENANCE_STATUS', 'GET_MAINTENANCE_SCHEDULE', 'UPDATE_MAINTENANCE_SCHEDULE', 'START_MAINTENANCE', 'STOP_MAINTENANCE',
  'DRAIN_AGENT', 'DEACTIVATE_AGENT', 'REACTIVATE_AGENT', 'GET_QUOTA', 'UPDATE_QUOTA', 'SET_QUOTA', 'REMOVE_QUOTA', 'TEARDOWN', 'MARK_AGENT_GONE',
] as const;

/** A master Call.Type name. */
export type OperatorCallType = (typeof OPERATOR_CALL_TYPES)[number];

/** The calls answered here. */
export type OperatorQuery = 'GET_HEALTH' | 'GET_VERSION' | 'GET_MASTER' | 'GET_STATE' | 'GET_AGENTS' | 'GET_FRAMEWORKS' | 'GET_TASKS' | 'GET_METRICS' | 'GET_ROLES';

/** A parsed operator call. */
export type OperatorCall = { readonly kind: 'query'; readonly type: OperatorQuery } | { readonly kind: 'subscribe' };

const QUERIES: ReadonlySet<string> = new Set<OperatorQuery>(['GET_HEALTH', 'GET_VERSION', 'GET_MASTER', 'GET_STATE', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_TASKS', 'GET_METRICS', 'GET_ROLES']);

/** Parses an operator call: 400 for bad JSON or a bad type, 501 for UNKNOWN or a call faultline does not serve. */
export function parseOperatorCall(body: string): ApiResult<OperatorCall> {
  return catchApi(() => {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new ApiFailure(400, `Failed to parse body into JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isObject(json)) throw new ApiFailure(400, 'Failed to convert JSON into Call protobuf: expected an object');
    const type = optEnum(json, 'type', 'call', OPERATOR_CALL_TYPES);
    if (type === undefined) throw new ApiFailure(400, 'Missing required fields: type');
    if (type === 'SUBSCRIBE') return { kind: 'subscribe' };
    if (QUERIES.has(type)) return { kind: 'query', type: type as OperatorQuery };
    if (type === 'UNKNOWN') throw new ApiFailure(501, 'Received an unknown call type');
    throw new ApiFailure(501, `faultline does not serve ${type}`);
  });
}

/** What the answers are built from. */
export interface OperatorContext {
  readonly state: ClusterState;
  readonly addresses: Addresses;
  /** The master serving the call. */
  readonly self: NodeId;
  /** When that master's process started (virtual ms). */
  readonly startedAtMs: number;
}

/** get_agents. */
export function getAgents(ctx: OperatorContext): Record<string, unknown> {
  const agents: Record<string, unknown>[] = [];
  for (const agent of ctx.state.agents.values()) if (isListedAgent(agent)) agents.push(agentToV1(agent, ctx.addresses));
  return { agents, recovered_agents: [] };
}

/** get_frameworks. */
export function getFrameworks(ctx: OperatorContext): Record<string, unknown> {
  const frameworks: Record<string, unknown>[] = [];
  const completed: Record<string, unknown>[] = [];
  const offers = offersByFramework(ctx.state);
  for (const framework of ctx.state.frameworks.values()) {
    const v1 = frameworkToV1(framework, offers.get(framework.frameworkId) ?? [], ctx.state, ctx.addresses);
    (framework.state === 'removed' ? completed : frameworks).push(v1);
  }
  return { frameworks, completed_frameworks: completed };
}

/** get_tasks: live tasks, unreachable ones, and retained terminal ones. */
export function getTasks(ctx: OperatorContext): Record<string, unknown> {
  const tasks: Record<string, unknown>[] = [];
  const unreachable: Record<string, unknown>[] = [];
  const completed: Record<string, unknown>[] = [];
  for (const task of ctx.state.tasks.values()) {
    const v1 = taskToV1(task);
    if (task.state === 'TASK_UNREACHABLE') unreachable.push(v1);
    else if (isTerminal(task.state)) completed.push(v1);
    else tasks.push(v1);
  }
  return { tasks, unreachable_tasks: unreachable, completed_tasks: completed };
}

/** get_state: tasks, executors (none are modelled), frameworks, agents. */
export function getState(ctx: OperatorContext): Record<string, unknown> {
  return { get_tasks: getTasks(ctx), get_executors: { executors: [] }, get_frameworks: getFrameworks(ctx), get_agents: getAgents(ctx) };
}

/** get_master: the leader's MasterInfo when this master leads, else this master's own address without an id. */
export function getMaster(ctx: OperatorContext): Record<string, unknown> {
  const address = ctx.addresses.master(ctx.self);
  const leader = ctx.state.leader;
  const self = ctx.state.masters.get(ctx.self);
  const masterId = leader?.node === ctx.self ? leader.masterId : (self?.masterId ?? '');
  const out: Record<string, unknown> = { start_time: ctx.startedAtMs / 1000 };
  if (address) out.master_info = masterInfoOf(masterId, address);
  if (leader?.node === ctx.self && self?.electedAtMs !== null && self?.electedAtMs !== undefined) out.elected_time = self.electedAtMs / 1000;
  return out;
}

/** get_roles: every role a framework subscribed with, its frameworks and what they hold. */
export function getRoles(ctx: OperatorContext): Record<string, unknown> {
  const roles = new Map<string, { frameworks: string[]; resources: typeof EMPTY_RESOURCES }>();
  for (const framework of ctx.state.frameworks.values()) {
    if (framework.state === 'removed') continue;
    for (const role of framework.roles.length > 0 ? framework.roles : ['*']) {
      const entry = roles.get(role) ?? { frameworks: [], resources: EMPTY_RESOURCES };
      entry.frameworks.push(framework.frameworkId);
      // A multi-role framework's holdings are not split by role in the projection: they count under its first role.
      if (role === (framework.roles[0] ?? '*')) entry.resources = add(entry.resources, framework.used);
      roles.set(role, entry);
    }
  }
  return {
    roles: [...roles.entries()].map(([name, entry]) => ({
      name,
      weight: 1,
      frameworks: entry.frameworks.map((value) => ({ value })),
      resources: resourcesToV1(entry.resources),
      allocated: resourcesToV1(entry.resources),
    })),
  };
}

/** The answer to a query, as the JSON response object. */
export function answerOperatorQuery(type: OperatorQuery, ctx: OperatorContext): Record<string, unknown> {
  switch (type) {
    case 'GET_HEALTH':
      return { type, get_health: { healthy: true } };
    case 'GET_VERSION':
      return { type, get_version: { version_info: { version: MESOS_VERSION } } };
    case 'GET_MASTER':
      return { type, get_master: getMaster(ctx) };
    case 'GET_STATE':
      return { type, get_state: getState(ctx) };
    case 'GET_AGENTS':
      return { type, get_agents: getAgents(ctx) };
    case 'GET_FRAMEWORKS':
      return { type, get_frameworks: getFrameworks(ctx) };
    case 'GET_TASKS':
      return { type, get_tasks: getTasks(ctx) };
    case 'GET_METRICS':
      return { type, get_metrics: { metrics: Object.entries(masterMetrics(ctx.state, ctx.self, ctx.startedAtMs)).map(([name, value]) => ({ name, value })) } };
    case 'GET_ROLES':
      return { type, get_roles: getRoles(ctx) };
    default: {
      const never: never = type;
      throw new Error(`unexpected operator query ${String(never)}`);
    }
  }
}
