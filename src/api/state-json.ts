/**
 * `GET /master/state` (also `/state`, `/master/state.json`) in Mesos's legacy
 * shape (`Master::ReadOnlyHandler::state`, `src/master/readonly_handler.cpp`):
 * plain-string ids, flat resource objects, frameworks holding their tasks and
 * offers, `leader` and `leader_info` for tools such as mesos-dns. A standby
 * answers with its identity, the leader, and empty collections.
 */
import type { FrameworkId, NodeId } from '../core/ids.js';
import type { ClusterState, FrameworkView, TaskView } from '../core/state.js';
import { isTerminal } from '../core/task-state.js';
import { agentPid, masterPid, MESOS_VERSION, type Addresses } from './addresses.js';
import { resourcesToFlat } from './resources.js';
import { isListedAgent } from './v1-objects.js';

/** What the state endpoint is built from. */
export interface StateContext {
  readonly state: ClusterState;
  readonly addresses: Addresses;
  readonly self: NodeId;
  readonly startedAtMs: number;
}

function taskJson(task: TaskView): Record<string, unknown> {
  return {
    id: task.taskId,
    name: task.name,
    framework_id: task.frameworkId,
    executor_id: '',
    slave_id: task.agentId,
    state: task.state,
    resources: resourcesToFlat(task.resources),
    role: '*',
    statuses: task.history.map((line) => ({ state: line.state, timestamp: line.atMs / 1000 })),
  };
}

function frameworkJson(f: FrameworkView, tasks: TaskView[] | undefined): Record<string, unknown> {
  const live: Record<string, unknown>[] = [];
  const unreachable: Record<string, unknown>[] = [];
  const completed: Record<string, unknown>[] = [];
  for (const task of tasks ?? []) {
    const json = taskJson(task);
    if (task.state === 'TASK_UNREACHABLE') unreachable.push(json);
    else if (isTerminal(task.state)) completed.push(json);
    else live.push(json);
  }
  return {
    id: f.frameworkId,
    name: f.name,
    used_resources: resourcesToFlat(f.used),
    offered_resources: resourcesToFlat(f.offered),
    capabilities: f.partitionAware ? ['MULTI_ROLE', 'PARTITION_AWARE'] : ['MULTI_ROLE'],
    hostname: f.node,
    webui_url: '',
    active: f.state === 'active',
    connected: f.state === 'active',
    recovered: false,
    user: 'root',
    failover_timeout: f.failoverTimeoutMs / 1000,
    checkpoint: false,
    registered_time: f.subscribedAtMs / 1000,
    unregistered_time: 0,
    resources: resourcesToFlat(f.used),
    roles: f.roles.length > 0 ? [...f.roles] : ['*'],
    tasks: live,
    unreachable_tasks: unreachable,
    completed_tasks: completed,
    offers: [] as Record<string, unknown>[],
    executors: [],
  };
}

/** The `/master/state` object. */
export function masterStateJson(ctx: StateContext): Record<string, unknown> {
  const { state, addresses } = ctx;
  const selfAddress = addresses.master(ctx.self);
  const self = state.masters.get(ctx.self);
  const leader = state.leader;
  const leading = leader?.node === ctx.self;
  const leaderAddress = leader ? addresses.master(leader.node) : null;
  const out: Record<string, unknown> = {
    version: MESOS_VERSION,
    build_date: '',
    build_time: 0,
    build_user: 'faultline',
    start_time: ctx.startedAtMs / 1000,
    id: leading ? leader.masterId : (self?.masterId ?? ''),
    pid: selfAddress ? masterPid(selfAddress) : '',
    hostname: selfAddress?.hostname ?? ctx.self,
    capabilities: ['AGENT_UPDATE', 'AGENT_DRAINING', 'QUOTA_V2'],
    activated_slaves: 0,
    deactivated_slaves: 0,
    unreachable_slaves: 0,
    flags: {},
    slaves: [] as Record<string, unknown>[],
    recovered_slaves: [],
    frameworks: [] as Record<string, unknown>[],
    completed_frameworks: [] as Record<string, unknown>[],
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
  if (leading && self?.electedAtMs !== null && self?.electedAtMs !== undefined) out.elected_time = self.electedAtMs / 1000;
  if (leader && leaderAddress) {
    out.leader = masterPid(leaderAddress);
    out.leader_info = { id: leader.masterId, pid: masterPid(leaderAddress), port: leaderAddress.port, hostname: leaderAddress.hostname };
  }
  if (!leading) return out;

  const slaves: Record<string, unknown>[] = [];
  let unreachable = 0;
  for (const agent of state.agents.values()) {
    if (agent.state === 'unreachable') unreachable += 1;
    if (!isListedAgent(agent)) continue;
    const address = addresses.agent(agent.host);
    slaves.push({
      id: agent.agentId,
      hostname: address.hostname,
      port: address.port,
      attributes: { ...agent.attributes },
      pid: agentPid(address),
      registered_time: agent.registeredAtMs / 1000,
      resources: resourcesToFlat(agent.resources),
      used_resources: resourcesToFlat(agent.used),
      offered_resources: resourcesToFlat(agent.offered),
      reserved_resources: {},
      unreserved_resources: resourcesToFlat(agent.resources),
      active: agent.state === 'registered',
      deactivated: false,
      version: MESOS_VERSION,
      capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT'],
    });
  }
  const tasksByFramework = new Map<FrameworkId, TaskView[]>();
  for (const task of state.tasks.values()) {
    const list = tasksByFramework.get(task.frameworkId);
    if (list) list.push(task);
    else tasksByFramework.set(task.frameworkId, [task]);
  }
  const frameworks: Record<string, unknown>[] = [];
  const completed: Record<string, unknown>[] = [];
  const byId = new Map<FrameworkId, Record<string, unknown>>();
  for (const f of state.frameworks.values()) {
    const json = frameworkJson(f, tasksByFramework.get(f.frameworkId));
    byId.set(f.frameworkId, json);
    (f.state === 'removed' ? completed : frameworks).push(json);
  }
  for (const offer of state.offers.values()) {
    const offers = byId.get(offer.frameworkId)?.offers as Record<string, unknown>[] | undefined;
    offers?.push({ id: offer.offerId, framework_id: offer.frameworkId, slave_id: offer.agentId, allocation_info: { role: '*' }, resources: resourcesToFlat(offer.resources) });
  }
  out.activated_slaves = slaves.filter((s) => s.active === true).length;
  out.unreachable_slaves = unreachable;
  out.slaves = slaves;
  out.frameworks = frameworks;
  out.completed_frameworks = completed;
  return out;
}

/** A JSONP callback name is an identifier path (`JSON_CALLBACK`, `angular.callbacks._0`); anything else is refused. */
export function isJsonpCallback(name: string): boolean {
  return /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(name) && name.length <= 128;
}
