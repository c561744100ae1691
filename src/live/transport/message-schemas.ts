/**
 * A schema per core message type that crosses the transport: agent -> master
 * and master -> agent (src/core/messages.ts). Each Record is keyed by the
 * union's `type`, so a new message type fails to compile until it has one.
 */
import type { AgentMessage, MasterToAgentMessage } from '../../core/messages.js';
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

/** What an agent may send a master. */
export const agentToMasterSchema: Schema = tagged('type', AGENT_TO_MASTER);
/** What a master may send an agent. */
export const masterToAgentSchema: Schema = tagged('type', MASTER_TO_AGENT);
