/**
 * Builds a ClusterState from a compact description, for the pure tests of
 * conditions and target resolution (no simulator needed).
 */
import { EMPTY_RESOURCES } from '../../../src/core/resources.js';
import { AGENT_STATES, type AgentState, type AgentView, type ClusterState, type FrameworkState, type FrameworkView, type MasterView, type OfferView, type TaskView } from '../../../src/core/state.js';
import { TASK_STATES, type TaskState } from '../../../src/core/task-state.js';

/** What a test cluster looks like. */
export interface StateInput {
  readonly masters?: ReadonlyArray<{ node: string; state?: MasterView['state'] }>;
  readonly leader?: { node: string; epoch: number } | null;
  readonly agents?: ReadonlyArray<{ host: string; agentId?: string; state?: AgentState; registeredAtMs?: number }>;
  readonly frameworks?: ReadonlyArray<{ frameworkId: string; name: string; node?: string; state?: FrameworkState }>;
  readonly tasks?: ReadonlyArray<{ taskId: string; name: string; frameworkId: string; host: string; state: TaskState }>;
  readonly offers?: number;
}

/** A snapshot: masters master-1..3 by default, agent ids `M-S<n>` unless given. */
export function stateOf(input: StateInput = {}): ClusterState {
  const leader = input.leader === undefined ? { node: 'master-1', epoch: 1 } : input.leader;
  const masters = new Map<string, MasterView>();
  for (const m of input.masters ?? [{ node: 'master-1' }, { node: 'master-2' }, { node: 'master-3' }]) {
    const state = m.state ?? (leader?.node === m.node ? 'leading' : 'standby');
    masters.set(m.node, { node: m.node, state, masterId: leader?.node === m.node ? 'M' : null, epoch: leader?.epoch ?? null, electedAtMs: null });
  }
  const agents = new Map<string, AgentView>();
  const hostToAgent = new Map<string, string>();
  (input.agents ?? []).forEach((a, i) => {
    const agentId = a.agentId ?? `M-S${i}`;
    hostToAgent.set(a.host, agentId);
    agents.set(agentId, {
      agentId,
      host: a.host,
      state: a.state ?? 'registered',
      resources: EMPTY_RESOURCES,
      used: EMPTY_RESOURCES,
      offered: EMPTY_RESOURCES,
      attributes: {},
      taskCount: 0,
      registeredAtMs: a.registeredAtMs ?? 0,
      unreachableSinceMs: null,
    });
  });
  const frameworks = new Map<string, FrameworkView>();
  for (const f of input.frameworks ?? []) {
    frameworks.set(f.frameworkId, {
      frameworkId: f.frameworkId,
      name: f.name,
      node: f.node ?? `scheduler-${f.name}`,
      roles: ['*'],
      partitionAware: true,
      state: f.state ?? 'active',
      failoverTimeoutMs: 0,
      activeTasks: 0,
      used: EMPTY_RESOURCES,
      offered: EMPTY_RESOURCES,
      subscribedAtMs: 0,
      disconnectedAtMs: null,
      disconnectReason: null,
    });
  }
  const tasks = new Map<string, TaskView>();
  for (const t of input.tasks ?? []) {
    tasks.set(t.taskId, {
      taskId: t.taskId,
      name: t.name,
      frameworkId: t.frameworkId,
      agentId: hostToAgent.get(t.host) ?? `unknown-${t.host}`,
      host: t.host,
      state: t.state,
      reason: null,
      resources: EMPTY_RESOURCES,
      launchedAtMs: 0,
      updatedAtMs: 0,
      history: [],
    });
  }
  const offers = new Map<string, OfferView>();
  for (let i = 0; i < (input.offers ?? 0); i += 1) {
    offers.set(`M-O${i}`, { offerId: `M-O${i}`, frameworkId: 'F', agentId: 'A', resources: EMPTY_RESOURCES, createdAtMs: 0 });
  }
  const tasksByState = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>;
  for (const t of tasks.values()) tasksByState[t.state] += 1;
  const agentsByState = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as Record<AgentState, number>;
  for (const a of agents.values()) agentsByState[a.state] += 1;
  return {
    nowMs: 0,
    seed: null,
    leader: leader === null ? null : { node: leader.node, masterId: 'M', epoch: leader.epoch },
    masters,
    agents,
    frameworks,
    tasks,
    offers,
    counts: { tasksByState, agentsByState, total: EMPTY_RESOURCES, used: EMPTY_RESOURCES, offered: EMPTY_RESOURCES },
  };
}

/** A random stream that returns the given draws in order (then repeats the last), for exact expectations. */
export function draws(...values: number[]): () => number {
  let i = 0;
  return () => {
    const value = values[Math.min(i, values.length - 1)] ?? 0;
    i += 1;
    return value;
  };
}

/** A seeded PRNG (mulberry32) for same-seed-same-choice tests. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
