/**
 * `GET /master/state` (also `/state`, `/master/state.json`) in Mesos's legacy
 * shape (`Master::ReadOnlyHandler::state`, `src/master/readonly_handler.cpp`):
 * plain-string ids, flat resource objects, frameworks holding their tasks and
 * offers, `leader` and `leader_info` for tools such as mesos-dns. A standby
 * answers with its identity, the leader, and empty collections. The server
 * sends the same answer as text from cached parts (state-text.ts).
 */
import type { FrameworkId, NodeId } from '../core/ids.js';
import type { AgentView, ClusterState, FrameworkView, OfferView, TaskView } from '../core/state.js';
import { isTerminal } from '../core/task-state.js';
import { agentPid, masterPid, MESOS_VERSION, type Addresses } from './addresses.js';
import { resourcesToFlat } from './resources.js';
import { isListedAgent, isUnreachableAgent } from './v1-objects.js';

/** What the state endpoint is built from. */
export interface StateContext {
  readonly state: ClusterState;
  readonly addresses: Addresses;
  readonly self: NodeId;
  readonly startedAtMs: number;
}

/** A legacy task object. */
export function legacyTaskJson(task: TaskView): Record<string, unknown> {
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

/** A legacy framework object without its tasks, offers and executors. */
export function legacyFrameworkJson(f: FrameworkView): Record<string, unknown> {
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
  };
}

/** A legacy offer object. */
export function legacyOfferJson(offer: OfferView): Record<string, unknown> {
  return { id: offer.offerId, framework_id: offer.frameworkId, slave_id: offer.agentId, allocation_info: { role: '*' }, resources: resourcesToFlat(offer.resources) };
}

/** A legacy slave object. */
export function legacyAgentJson(agent: AgentView, addresses: Addresses): Record<string, unknown> {
  const address = addresses.agent(agent.host);
  return {
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
  };
}

/** The `/master/state` object; `collections: false` leaves out slaves and frameworks (state-text.ts adds them as text). */
export function masterStateJson(ctx: StateContext & { readonly collections?: boolean }): Record<string, unknown> {
  const { state, addresses } = ctx;
  const selfAddress = addresses.master(ctx.self);
  const self = state.masters.get(ctx.self);
  const leader = state.leader;
  const leading = leader?.node === ctx.self;
  const leaderAddress = leader ? addresses.master(leader.node) : null;
  let activated = 0;
  let unreachable = 0;
  if (leading) {
    for (const agent of state.agents.values()) {
      if (isUnreachableAgent(agent)) unreachable += 1;
      else if (isListedAgent(agent) && agent.state === 'registered') activated += 1;
    }
  }
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
    activated_slaves: activated,
    deactivated_slaves: 0,
    unreachable_slaves: unreachable,
    flags: {},
    recovered_slaves: [],
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
  if (leading && self?.electedAtMs !== null && self?.electedAtMs !== undefined) out.elected_time = self.electedAtMs / 1000;
  if (leader && leaderAddress) {
    out.leader = masterPid(leaderAddress);
    out.leader_info = { id: leader.masterId, pid: masterPid(leaderAddress), port: leaderAddress.port, hostname: leaderAddress.hostname };
  }
  if (ctx.collections === false && leading) return out;
  out.slaves = [] as Record<string, unknown>[];
  out.frameworks = [] as Record<string, unknown>[];
  out.completed_frameworks = [] as Record<string, unknown>[];
  if (!leading) return out;

  const slaves: Record<string, unknown>[] = [];
  for (const agent of state.agents.values()) if (isListedAgent(agent)) slaves.push(legacyAgentJson(agent, addresses));
  const tasksByFramework = new Map<FrameworkId, TaskView[]>();
  for (const task of state.tasks.values()) {
    const list = tasksByFramework.get(task.frameworkId);
    if (list) list.push(task);
    else tasksByFramework.set(task.frameworkId, [task]);
  }
  const offersByFramework = new Map<FrameworkId, Record<string, unknown>[]>();
  for (const offer of state.offers.values()) {
    const list = offersByFramework.get(offer.frameworkId) ?? [];
    list.push(legacyOfferJson(offer));
    offersByFramework.set(offer.frameworkId, list);
  }
  const frameworks: Record<string, unknown>[] = [];
  const completed: Record<string, unknown>[] = [];
  for (const f of state.frameworks.values()) {
    const live: Record<string, unknown>[] = [];
    const unreachableTasks: Record<string, unknown>[] = [];
    const done: Record<string, unknown>[] = [];
    for (const task of tasksByFramework.get(f.frameworkId) ?? []) {
      const json = legacyTaskJson(task);
      if (task.state === 'TASK_UNREACHABLE') unreachableTasks.push(json);
      else if (isTerminal(task.state)) done.push(json);
      else live.push(json);
    }
    const json = { ...legacyFrameworkJson(f), tasks: live, unreachable_tasks: unreachableTasks, completed_tasks: done, offers: offersByFramework.get(f.frameworkId) ?? [], executors: [] };
    (f.state === 'removed' ? completed : frameworks).push(json);
  }
  out.slaves = slaves;
  out.frameworks = frameworks;
  out.completed_frameworks = completed;
  return out;
}

/** A JSONP callback name is an identifier path (`JSON_CALLBACK`, `angular.callbacks._0`); anything else is refused. */
export function isJsonpCallback(name: string): boolean {
  return /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(name) && name.length <= 128;
}
