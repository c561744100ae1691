/**
 * The master's metrics (`/metrics/snapshot`, operator GET_METRICS) from the
 * projection, under Mesos's names (`docs/monitoring.md`). A standby reports
 * `master/elected` 0 and no cluster figures, as a Mesos standby knows none.
 */
import type { NodeId } from '../core/ids.js';
import type { ClusterState } from '../core/state.js';
import type { TaskState } from '../core/task-state.js';

const TASK_METRICS: ReadonlyArray<readonly [string, TaskState]> = [
  ['staging', 'TASK_STAGING'],
  ['starting', 'TASK_STARTING'],
  ['running', 'TASK_RUNNING'],
  ['killing', 'TASK_KILLING'],
  ['finished', 'TASK_FINISHED'],
  ['failed', 'TASK_FAILED'],
  ['killed', 'TASK_KILLED'],
  ['lost', 'TASK_LOST'],
  ['error', 'TASK_ERROR'],
  ['dropped', 'TASK_DROPPED'],
  ['unreachable', 'TASK_UNREACHABLE'],
  ['gone', 'TASK_GONE'],
  ['gone_by_operator', 'TASK_GONE_BY_OPERATOR'],
  ['unknown', 'TASK_UNKNOWN'],
];

/** The metrics of master `self`, keyed by Mesos's metric names. */
export function masterMetrics(state: ClusterState, self: NodeId, startedAtMs: number): Record<string, number> {
  const leading = state.leader?.node === self;
  const v = (n: number): number => (leading ? n : 0);
  const agents = state.counts.agentsByState;
  let frameworksActive = 0;
  let frameworksInactive = 0;
  for (const f of state.frameworks.values()) {
    if (f.state === 'active') frameworksActive += 1;
    else if (f.state === 'disconnected') frameworksInactive += 1;
  }
  const connectedAgents = agents.registered + agents.paused + agents.down;
  const out: Record<string, number> = {
    'master/elected': leading ? 1 : 0,
    'master/uptime_secs': Math.max(0, state.nowMs - startedAtMs) / 1000,
    'master/slaves_active': v(agents.registered + agents.paused + agents.down),
    'master/slaves_inactive': 0,
    'master/slaves_connected': v(connectedAgents),
    'master/slaves_disconnected': v(agents.disconnected),
    'master/slaves_unreachable': v(agents.unreachable),
    'master/frameworks_active': v(frameworksActive),
    'master/frameworks_inactive': v(frameworksInactive),
    'master/frameworks_connected': v(frameworksActive),
    'master/frameworks_disconnected': v(frameworksInactive),
    'master/outstanding_offers': v(state.offers.size),
    'master/cpus_total': v(state.counts.total.cpus),
    'master/cpus_used': v(state.counts.used.cpus),
    'master/mem_total': v(state.counts.total.mem),
    'master/mem_used': v(state.counts.used.mem),
    'master/disk_total': v(state.counts.total.disk),
    'master/disk_used': v(state.counts.used.disk),
    'master/gpus_total': v(state.counts.total.gpus),
    'master/gpus_used': v(state.counts.used.gpus),
  };
  for (const [name, taskState] of TASK_METRICS) out[`master/tasks_${name}`] = v(state.counts.tasksByState[taskState]);
  return out;
}
