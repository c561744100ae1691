/**
 * Cluster views (the projection's ClusterState) as v1 operator objects
 * (`include/mesos/v1/master/master.proto`): GetAgents.Agent, GetFrameworks.Framework,
 * Task. Shared by the GET_* answers and the operator event stream.
 */
import type { FrameworkId } from '../core/ids.js';
import type { AgentView, ClusterState, FrameworkView, OfferView, TaskView } from '../core/state.js';
import { agentPid, type Addresses } from './addresses.js';
import { resourcesToV1 } from './resources.js';

/** `{nanoseconds}` of a virtual time in ms (Mesos TimeInfo). */
export function timeInfo(ms: number): { nanoseconds: number } {
  return { nanoseconds: Math.round(ms * 1_000_000) };
}

/** Whether a leading master lists the agent in GET_AGENTS (unreachable and removed agents vanish from it). */
export function isListedAgent(agent: AgentView): boolean {
  return agent.state !== 'unreachable' && agent.state !== 'removed';
}

/** A GetAgents.Agent. */
export function agentToV1(agent: AgentView, addresses: Addresses): Record<string, unknown> {
  const address = addresses.agent(agent.host);
  return {
    agent_info: {
      hostname: address.hostname,
      port: address.port,
      resources: resourcesToV1(agent.resources),
      attributes: Object.entries(agent.attributes).map(([name, value]) => ({ name, type: 'TEXT', text: { value } })),
      id: { value: agent.agentId },
    },
    active: agent.state === 'registered',
    deactivated: false,
    version: '1.11.0',
    pid: agentPid(address),
    registered_time: timeInfo(agent.registeredAtMs),
    total_resources: resourcesToV1(agent.resources),
    allocated_resources: resourcesToV1(agent.used),
    offered_resources: resourcesToV1(agent.offered),
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'HIERARCHICAL_ROLE' }, { type: 'RESERVATION_REFINEMENT' }],
  };
}

/** A v1 FrameworkInfo of a framework view (what the history knows of it). */
export function frameworkInfoToV1(framework: FrameworkView): Record<string, unknown> {
  const capabilities = [{ type: 'MULTI_ROLE' }];
  if (framework.partitionAware) capabilities.push({ type: 'PARTITION_AWARE' });
  return {
    user: 'root',
    name: framework.name,
    id: { value: framework.frameworkId },
    failover_timeout: framework.failoverTimeoutMs / 1000,
    roles: framework.roles.length > 0 ? [...framework.roles] : ['*'],
    hostname: framework.node,
    capabilities,
  };
}

/** Outstanding offers by framework (one pass, so a listing stays linear). */
export function offersByFramework(state: ClusterState): Map<FrameworkId, OfferView[]> {
  const out = new Map<FrameworkId, OfferView[]>();
  for (const offer of state.offers.values()) {
    const list = out.get(offer.frameworkId);
    if (list) list.push(offer);
    else out.set(offer.frameworkId, [offer]);
  }
  return out;
}

/** A GetFrameworks.Framework; `frameworkOffers` are its outstanding offers. */
export function frameworkToV1(framework: FrameworkView, frameworkOffers: readonly OfferView[], state: ClusterState, addresses: Addresses): Record<string, unknown> {
  const offers: Record<string, unknown>[] = [];
  for (const offer of frameworkOffers) {
    const agent = state.agents.get(offer.agentId);
    offers.push({
      id: { value: offer.offerId },
      framework_id: { value: offer.frameworkId },
      agent_id: { value: offer.agentId },
      hostname: agent ? addresses.agent(agent.host).hostname : '',
      resources: resourcesToV1(offer.resources),
    });
  }
  return {
    framework_info: frameworkInfoToV1(framework),
    active: framework.state === 'active',
    connected: framework.state === 'active',
    recovered: false,
    registered_time: timeInfo(framework.subscribedAtMs),
    offers,
    allocated_resources: resourcesToV1(framework.used),
    offered_resources: resourcesToV1(framework.offered),
  };
}

/** A v1 Task; `statuses` from the task's retained status lines. */
export function taskToV1(task: TaskView): Record<string, unknown> {
  const statuses = task.history.map((line) => {
    const status: Record<string, unknown> = { task_id: { value: task.taskId }, state: line.state, agent_id: { value: task.agentId }, timestamp: line.atMs / 1000 };
    if (line.reason !== null) status.reason = line.reason;
    if (line.message !== null) status.message = line.message;
    return status;
  });
  return {
    name: task.name,
    task_id: { value: task.taskId },
    framework_id: { value: task.frameworkId },
    agent_id: { value: task.agentId },
    state: task.state,
    resources: resourcesToV1(task.resources),
    statuses,
  };
}
