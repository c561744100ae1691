/**
 * A schema per core message type that crosses the transport: agent -> master,
 * master -> agent, scheduler -> master and master -> scheduler
 * (src/core/messages.ts). Each Record is keyed by the union's `type`, so a new
 * message type fails to compile until it has one.
 */
import type { AgentMessage, MasterRedirectMessage, MasterToAgentMessage, MasterToSchedulerMessage, SchedulerMessage } from '../../core/messages.js';
import { TASK_REASONS, TASK_STATES } from '../../core/task-state.js';
import { arr, bool, count, num, obj, oneOf, opt, str, stringRecord, tagged, type Schema } from './schema.js';

const id = str(256);
const portRange = obj({ begin: count, end: count });
const resources = obj({ cpus: num, mem: num, disk: num, gpus: num, ports: arr(portRange, 1000) });
const taskInfo = obj({
  taskId: id,
  name: str(1024),
  agentId: id,
  resources,
  command: str(65_536),
  durationMs: opt((v, path) => (v === null ? null : num(v, path))),
  failureProbability: opt(num),
  labels: opt(stringRecord),
});
const taskState = oneOf(TASK_STATES);
const taskStatus = obj({
  taskId: id,
  frameworkId: id,
  agentId: id,
  state: taskState,
  reason: opt(oneOf(TASK_REASONS)),
  source: oneOf(['SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR']),
  message: opt(str(65_536)),
  uuid: opt(id),
  timestampMs: num,
  unreachableTimeMs: opt(num),
});
const frameworkRef = obj({ frameworkId: id, name: str(1024), schedulerNode: id, partitionAware: bool });

const AGENT_TO_MASTER: Readonly<Record<AgentMessage['type'], Schema>> = {
  'agent.register': obj({ host: id, resources, attributes: stringRecord, bootId: opt(id) }),
  'agent.reregister': obj({
    agentId: id,
    host: id,
    resources,
    attributes: stringRecord,
    tasks: arr(obj({ task: taskInfo, frameworkId: id, state: taskState })),
    frameworks: arr(frameworkRef),
  }),
  'agent.pong': obj({ agentId: id, epoch: num }),
  'agent.status_update': obj({ agentId: id, update: obj({ frameworkId: id, status: taskStatus, latestState: taskState }) }),
};

const MASTER_TO_AGENT: Readonly<Record<MasterToAgentMessage['type'], Schema>> = {
  'master.agent_registered': obj({ epoch: num, masterId: id, agentId: id }),
  'master.agent_reregistered': obj({
    epoch: num,
    masterId: id,
    agentId: id,
    reconciliations: opt(arr(obj({ frameworkId: id, partitionAware: bool, taskIds: arr(id) }))),
  }),
  'master.ping': obj({ epoch: num, agentId: id }),
  'master.run_task': obj({ epoch: num, framework: frameworkRef, task: taskInfo }),
  'master.kill_task': obj({ epoch: num, frameworkId: id, taskId: id }),
  'master.status_update_ack': obj({ epoch: num, frameworkId: id, taskId: id, uuid: id }),
  'master.shutdown_framework': obj({ epoch: num, frameworkId: id }),
  'master.shutdown_agent': obj({ epoch: num, reason: str(4096) }),
};

const roles = arr(str(256), 100);
const frameworkInfo = obj({
  frameworkId: opt(id),
  name: str(1024),
  user: opt(str(256)),
  roles,
  capabilities: obj({ partitionAware: bool, taskKillingState: opt(bool) }),
  failoverTimeoutMs: num,
  checkpoint: opt(bool),
});
const offerIds = arr(id, 100_000);
const refuseMs = opt(num);
const operation = tagged('type', { LAUNCH: obj({ tasks: arr(taskInfo, 10_000) }) });

const SCHEDULER_TO_MASTER: Readonly<Record<SchedulerMessage['type'], Schema>> = {
  'scheduler.subscribe': obj({ framework: frameworkInfo }),
  'scheduler.accept': obj({ frameworkId: id, offerIds, operations: arr(operation, 1000), refuseMs }),
  'scheduler.decline': obj({ frameworkId: id, offerIds, refuseMs }),
  'scheduler.revive': obj({ frameworkId: id, roles: opt(roles) }),
  'scheduler.suppress': obj({ frameworkId: id, roles: opt(roles) }),
  'scheduler.kill': obj({ frameworkId: id, taskId: id, agentId: opt(id) }),
  'scheduler.acknowledge': obj({ frameworkId: id, agentId: id, taskId: id, uuid: id }),
  'scheduler.reconcile': obj({ frameworkId: id, tasks: arr(obj({ taskId: id, agentId: opt(id) })) }),
  'scheduler.teardown': obj({ frameworkId: id }),
  'scheduler.heartbeat': obj({ frameworkId: id }),
  'scheduler.disconnected': obj({ frameworkId: id, reason: str(4096) }),
};

const offer = obj({ offerId: id, frameworkId: id, agentId: id, host: id, role: str(256), resources, attributes: stringRecord });

const MASTER_TO_SCHEDULER: Readonly<Record<MasterToSchedulerMessage['type'] | MasterRedirectMessage['type'], Schema>> = {
  'master.subscribed': obj({ epoch: num, masterId: id, frameworkId: id, heartbeatIntervalMs: num }),
  'master.offers': obj({ epoch: num, offers: arr(offer) }),
  'master.rescind': obj({ epoch: num, offerId: id }),
  'master.update': obj({ epoch: num, status: taskStatus }),
  'master.failure': obj({ epoch: num, agentId: id }),
  'master.error': obj({ epoch: num, message: str(65_536) }),
  'master.heartbeat': obj({ epoch: num }),
  // A standby's answer to a subscribe: the leader's node id, or null while none is known.
  'master.redirect': obj({ epoch: num, leader: (v, path) => (v === null ? null : id(v, path)) }),
};

/** What an agent may send a master. */
export const agentToMasterSchema: Schema = tagged('type', AGENT_TO_MASTER);
/** What a master may send an agent. */
export const masterToAgentSchema: Schema = tagged('type', MASTER_TO_AGENT);
/** What a scheduler may send a master. */
export const schedulerToMasterSchema: Schema = tagged('type', SCHEDULER_TO_MASTER);
/** What a master may send a scheduler (its events, and a standby's redirect). */
export const masterToSchedulerSchema: Schema = tagged('type', MASTER_TO_SCHEDULER);
/** Any client's message (agent or scheduler), for a connection that has not said who it is yet. */
export const clientToMasterSchema: Schema = tagged('type', { ...AGENT_TO_MASTER, ...SCHEDULER_TO_MASTER });
