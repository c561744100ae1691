/**
 * Turning names the user typed or selected into concrete fault targets, from
 * the snapshot alone. Errors are typed (`UNKNOWN_TARGET`) and one line long:
 * they go to the status line as they are.
 */
import { err, ok, type Result } from '../core/errors.js';
import type { Fault } from '../core/faults.js';
import type { NodeId } from '../core/ids.js';
import type { AgentView, ClusterState, MasterView, TaskView } from '../core/state.js';
import { isTerminal } from '../core/task-state.js';
import { stateWord } from './format.js';

/** The coordinator's node id (PROTOCOL.md); a master cut off from it loses leadership. */
export const COORDINATOR_NODE: NodeId = 'coordinator';

/** A task by id. */
export function findTask(cluster: ClusterState, taskId: string): Result<TaskView> {
  const task = cluster.tasks.get(taskId);
  return task ? ok(task) : err('UNKNOWN_TARGET', `no task "${taskId}"`);
}

/** A task that can still be killed (not terminal). */
export function killableTask(cluster: ClusterState, taskId: string): Result<TaskView> {
  const found = findTask(cluster, taskId);
  if (!found.ok) return found;
  if (isTerminal(found.value.state)) return err('UNKNOWN_TARGET', `task ${taskId} is already ${stateWord(found.value.state)}`);
  return found;
}

/** An agent by agent id or host; for a host with several agent ids over time, the live one. */
export function findAgent(cluster: ClusterState, idOrHost: string): Result<AgentView> {
  const byId = cluster.agents.get(idOrHost);
  if (byId) return ok(byId);
  let found: AgentView | null = null;
  for (const agent of cluster.agents.values()) {
    if (agent.host !== idOrHost) continue;
    // A rebooted host registers again under a new id; the removed ones are history.
    if (found === null || found.state === 'removed') found = agent;
  }
  return found ? ok(found) : err('UNKNOWN_TARGET', `no agent "${idOrHost}" (give an agent id or host)`);
}

/** A master by node id. */
export function findMaster(cluster: ClusterState, node: string): Result<MasterView> {
  const master = cluster.masters.get(node);
  return master ? ok(master) : err('UNKNOWN_TARGET', `no master "${node}"`);
}

/** Every node the snapshot knows: masters, agent hosts, scheduler nodes. */
export function knownNodes(cluster: ClusterState): NodeId[] {
  const nodes = new Set<NodeId>();
  for (const m of cluster.masters.values()) nodes.add(m.node);
  for (const a of cluster.agents.values()) nodes.add(a.host);
  for (const f of cluster.frameworks.values()) nodes.add(f.node);
  return [...nodes];
}

/** A partition member: a master, an agent (id or host), a framework (name or node), or the coordinator. */
export function resolveNode(cluster: ClusterState, name: string): Result<NodeId> {
  if (cluster.masters.has(name) || name === COORDINATOR_NODE) return ok(name);
  const agent = findAgent(cluster, name);
  if (agent.ok) return ok(agent.value.host);
  for (const f of cluster.frameworks.values()) {
    if (f.node === name || f.name === name || f.frameworkId === name) return ok(f.node);
  }
  return err('UNKNOWN_TARGET', `no node "${name}"`);
}

/** Cuts `node` off from every other node (and, for a master, from the coordinator). */
export function isolateFault(cluster: ClusterState, node: NodeId): Fault {
  const others = knownNodes(cluster).filter((n) => n !== node);
  if (cluster.masters.has(node)) others.push(COORDINATOR_NODE);
  return { kind: 'partition', groups: [[node], others], oneWay: false };
}

/** Fails over the leading master. */
export function failoverFault(cluster: ClusterState): Result<Fault> {
  if (cluster.leader === null) return err('UNKNOWN_TARGET', 'no leading master to fail over');
  return ok({ kind: 'failover', node: cluster.leader.node });
}
