/**
 * Resolving target specs against a ClusterState at the moment a step runs.
 * Candidates are sorted by id before any draw, so the choice depends only on
 * the state and the random stream, not on map insertion order: the same seed
 * picks the same agent in the runner, the TUI and a replay.
 */
import { assertNever, err, ok, type Result } from '../../core/errors.js';
import type { NodeId, TaskId } from '../../core/ids.js';
import type { AgentView, ClusterState, TaskView } from '../../core/state.js';
import { ACTIVE_STATES } from '../../core/task-state.js';
import { findFramework, type AppNames } from './evaluate.js';
import type { LeaderSide, TargetSpec } from './types.js';

/** What the resolved ids are: agent hosts, master nodes, scheduler nodes, task ids, or any nodes. */
export type TargetRole = 'agent' | 'master' | 'framework' | 'task' | 'nodes';

/** Which nodes `one` / `random` may choose among: running ones (kill), paused ones (resume), or any (restart). */
export type TargetPick = 'up' | 'paused' | 'any';

/** How to resolve. */
export interface ResolveOptions {
  /** Default 'nodes'. */
  readonly role?: TargetRole;
  /** Default 'up'. */
  readonly pick?: TargetPick;
  /** App name -> framework id (default: frameworks are found by name). */
  readonly names?: AppNames;
  /**
   * Every node on the network (masters, agents, schedulers, coordinator), for
   * `all` and for "everyone else" in partitions. Default: the masters, agent hosts
   * and scheduler nodes the state knows; pass the runtime's list to include the coordinator.
   */
  readonly nodes?: readonly NodeId[];
}

/** The two sides of a majority/minority split. */
export interface Split {
  readonly minority: readonly NodeId[];
  /** Every other node of the universe (schedulers and coordinator included). */
  readonly rest: readonly NodeId[];
  /** The majority of the masters and of the agents only. */
  readonly majority: readonly NodeId[];
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One of the sorted candidates, drawn with `random`. */
export function pickOne<T>(candidates: readonly T[], random: () => number): T | undefined {
  if (candidates.length === 0) return undefined;
  return candidates[Math.min(candidates.length - 1, Math.floor(random() * candidates.length))];
}

/** `count` distinct candidates drawn with `random` (partial Fisher-Yates), in draw order. */
export function sample<T>(candidates: readonly T[], count: number, random: () => number): T[] {
  const pool = [...candidates];
  const out: T[] = [];
  for (let i = 0; i < count && i < pool.length; i += 1) {
    const j = i + Math.min(pool.length - i - 1, Math.floor(random() * (pool.length - i)));
    const chosen = pool[j] as T;
    pool[j] = pool[i] as T;
    pool[i] = chosen;
    out.push(chosen);
  }
  return out;
}

/** Each host's newest agent (a rebooted host registers a new agent id; the old one stays, removed). */
export function hostsOf(state: ClusterState): Map<NodeId, AgentView> {
  const hosts = new Map<NodeId, AgentView>();
  for (const agent of state.agents.values()) {
    const seen = hosts.get(agent.host);
    if (seen === undefined || agent.registeredAtMs >= seen.registeredAtMs) hosts.set(agent.host, agent);
  }
  return hosts;
}

function hostMatches(agent: AgentView, pick: TargetPick): boolean {
  switch (pick) {
    case 'up':
      return agent.state === 'registered' || agent.state === 'disconnected' || agent.state === 'unreachable';
    case 'paused':
      return agent.state === 'paused';
    case 'any':
      return true;
    default:
      return assertNever(pick, 'pick');
  }
}

function mastersOf(state: ClusterState, pick: TargetPick): NodeId[] {
  const out: NodeId[] = [];
  for (const master of state.masters.values()) {
    const up = master.state === 'leading' || master.state === 'standby';
    if (pick === 'any' || (pick === 'up' && up) || (pick === 'paused' && master.state === 'paused')) out.push(master.node);
  }
  return out.sort(byId);
}

function agentHosts(hosts: ReadonlyMap<NodeId, AgentView>, pick: TargetPick): NodeId[] {
  const out: NodeId[] = [];
  for (const [host, agent] of hosts) if (hostMatches(agent, pick)) out.push(host);
  return out.sort(byId);
}

/** Every node: the runtime's list when given, else masters, hosts and scheduler nodes from the state. */
export function universeOf(state: ClusterState, options: ResolveOptions): NodeId[] {
  if (options.nodes !== undefined) return [...new Set(options.nodes)].sort(byId);
  const all = new Set<NodeId>(state.masters.keys());
  for (const agent of state.agents.values()) all.add(agent.host);
  for (const framework of state.frameworks.values()) if (framework.state !== 'removed') all.add(framework.node);
  return [...all].sort(byId);
}

/**
 * Active tasks of an app: those named after it (services and batch name their
 * tasks after the app), else those of the app's framework.
 */
export function tasksOfApp(state: ClusterState, app: string, names: AppNames | undefined, accept: (task: TaskView) => boolean): TaskView[] {
  const byName: TaskView[] = [];
  const byFramework: TaskView[] = [];
  const frameworkId = findFramework(state, app, names)?.frameworkId;
  for (const task of state.tasks.values()) {
    if (!accept(task)) continue;
    if (task.name === app) byName.push(task);
    else if (task.frameworkId === frameworkId) byFramework.push(task);
  }
  return (byName.length > 0 ? byName : byFramework).sort((a, b) => byId(a.taskId, b.taskId));
}

function hostsRunning(state: ClusterState, app: string, options: ResolveOptions, hosts: ReadonlyMap<NodeId, AgentView>): NodeId[] {
  const pick = options.pick ?? 'up';
  const out = new Set<NodeId>();
  for (const task of tasksOfApp(state, app, options.names, (t) => t.state === 'TASK_RUNNING')) {
    const host = task.host ?? state.agents.get(task.agentId)?.host;
    const agent = host === undefined ? undefined : hosts.get(host);
    if (host !== undefined && agent !== undefined && hostMatches(agent, pick)) out.add(host);
  }
  return [...out].sort(byId);
}

/**
 * Splits the cluster: a random minority of the masters plus a random minority of
 * the agents on one side, everything else on the other. `leader` moves the
 * leading master to the chosen side by swapping it with a master drawn from there.
 */
export function splitMajorityMinority(state: ClusterState, random: () => number, leader: LeaderSide, options: ResolveOptions = {}): Result<Split> {
  const masters = mastersOf(state, 'any');
  const agents = agentHosts(hostsOf(state), 'any');
  const minorityMasters = sample(masters, Math.floor((masters.length - 1) / 2), random);
  const minorityAgents = sample(agents, Math.floor((agents.length - 1) / 2), random);
  const leaderNode = state.leader?.node;
  if (leader !== 'any') {
    if (leaderNode === undefined) return err('UNKNOWN_TARGET', 'no leader is elected to place in the split');
    const inMinority = minorityMasters.includes(leaderNode);
    if (leader === 'minority' && !inMinority) {
      if (minorityMasters.length === 0) return err('FAULT_INVALID', `${masters.length} master(s) have no minority to put the leader in`);
      minorityMasters[Math.min(minorityMasters.length - 1, Math.floor(random() * minorityMasters.length))] = leaderNode;
    } else if (leader === 'majority' && inMinority) {
      const others = masters.filter((m) => !minorityMasters.includes(m));
      const swap = pickOne(others, random);
      if (swap !== undefined) minorityMasters[minorityMasters.indexOf(leaderNode)] = swap;
    }
  }
  const minority = [...minorityMasters, ...minorityAgents].sort(byId);
  const inMinority = new Set(minority);
  const majority = [...masters, ...agents].filter((n) => !inMinority.has(n)).sort(byId);
  const rest = universeOf(state, options).filter((n) => !inMinority.has(n));
  return ok({ minority, majority, rest });
}

/** Resolves a target spec to concrete ids: agent hosts, master or scheduler nodes, or task ids. */
export function resolveTarget(spec: TargetSpec, state: ClusterState, random: () => number, options: ResolveOptions = {}): Result<readonly string[]> {
  const role = options.role ?? 'nodes';
  const pick = options.pick ?? 'up';
  switch (spec.kind) {
    case 'id':
      return resolveId(spec.id, state, role, options);
    case 'one':
    case 'random':
      return resolveRandom(state, random, role, pick);
    case 'leader':
      if (role !== 'master' && role !== 'nodes') return notFor(spec, role);
      return state.leader === null ? err('UNKNOWN_TARGET', 'no leader is elected') : ok([state.leader.node]);
    case 'minority':
    case 'majority': {
      if (role !== 'nodes') return notFor(spec, role);
      const split = splitMajorityMinority(state, random, 'any', options);
      if (!split.ok) return split;
      return ok(spec.kind === 'minority' ? split.value.minority : split.value.majority);
    }
    case 'all':
      if (role !== 'nodes') return notFor(spec, role);
      return ok(universeOf(state, options));
    case 'running': {
      if (role !== 'agent' && role !== 'nodes') return notFor(spec, role);
      const host = pickOne(hostsRunning(state, spec.app, options, hostsOf(state)), random);
      return host === undefined ? err('UNKNOWN_TARGET', `no ${pick === 'up' ? '' : `${pick} `}agent is running ${spec.app}`) : ok([host]);
    }
    case 'of': {
      if (role !== 'task') return notFor(spec, role);
      const task = pickOne(tasksOfApp(state, spec.app, options.names, (t) => ACTIVE_STATES.has(t.state)), random);
      return task === undefined ? err('UNKNOWN_TARGET', `${spec.app} has no active task`) : ok([task.taskId]);
    }
    case 'list': {
      const out: string[] = [];
      for (const item of spec.items) {
        const resolved = resolveTarget(item, state, random, options);
        if (!resolved.ok) return resolved;
        for (const id of resolved.value) if (!out.includes(id)) out.push(id);
      }
      return ok(out);
    }
    default:
      return assertNever(spec, 'target');
  }
}

function notFor(spec: TargetSpec, role: TargetRole): Result<never> {
  return err('FAULT_INVALID', `"${spec.kind}" is not a target for ${role === 'nodes' ? 'nodes' : `a ${role}`}`);
}

function resolveId(id: string, state: ClusterState, role: TargetRole, options: ResolveOptions): Result<readonly string[]> {
  const onNetwork = options.nodes?.includes(id) ?? false;
  switch (role) {
    case 'task':
      return state.tasks.has(id) ? ok([id]) : err('UNKNOWN_TARGET', `unknown task "${id}"`);
    case 'framework': {
      const framework = findFramework(state, id, options.names);
      if (framework !== undefined) return ok([framework.node]);
      if (onNetwork) return ok([id]);
      if (options.nodes?.includes(`scheduler-${id}`)) return ok([`scheduler-${id}`]);
      return err('UNKNOWN_TARGET', `unknown framework "${id}"`);
    }
    case 'master':
      return state.masters.has(id) || onNetwork ? ok([id]) : err('UNKNOWN_TARGET', `unknown master "${id}"`);
    case 'agent': {
      const host = hostOfId(state, id) ?? (onNetwork ? id : undefined);
      return host === undefined ? err('UNKNOWN_TARGET', `unknown agent "${id}"`) : ok([host]);
    }
    case 'nodes': {
      const node = state.masters.has(id) || onNetwork ? id : (hostOfId(state, id) ?? findFramework(state, id, options.names)?.node);
      return node === undefined ? err('UNKNOWN_TARGET', `unknown node "${id}"`) : ok([node]);
    }
    default:
      return assertNever(role, 'role');
  }
}

/** A host name or an agent id -> the host. */
function hostOfId(state: ClusterState, id: string): NodeId | undefined {
  const agent = state.agents.get(id);
  if (agent !== undefined) return agent.host;
  for (const view of state.agents.values()) if (view.host === id) return id;
  return undefined;
}

function resolveRandom(state: ClusterState, random: () => number, role: TargetRole, pick: TargetPick): Result<readonly string[]> {
  let candidates: readonly string[];
  let what: string;
  switch (role) {
    case 'agent':
      candidates = agentHosts(hostsOf(state), pick);
      what = 'agent';
      break;
    case 'master':
      candidates = mastersOf(state, pick);
      what = 'master';
      break;
    case 'nodes':
      candidates = [...mastersOf(state, pick), ...agentHosts(hostsOf(state), pick)].sort(byId);
      what = 'node';
      break;
    case 'framework': {
      const nodes: NodeId[] = [];
      for (const f of state.frameworks.values()) if (pick === 'up' ? f.state === 'active' : f.state !== 'removed') nodes.push(f.node);
      candidates = nodes.sort(byId);
      what = 'framework';
      break;
    }
    case 'task': {
      const tasks: TaskId[] = [];
      for (const task of state.tasks.values()) if (ACTIVE_STATES.has(task.state)) tasks.push(task.taskId);
      candidates = tasks.sort(byId);
      what = 'active task';
      break;
    }
    default:
      return assertNever(role, 'role');
  }
  const chosen = pickOne(candidates, random);
  if (chosen !== undefined) return ok([chosen]);
  const qualifier = role === 'task' ? '' : pick === 'up' ? 'running ' : pick === 'paused' ? 'paused ' : '';
  return err('UNKNOWN_TARGET', `no ${qualifier}${what} to choose from`);
}
