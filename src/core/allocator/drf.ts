/**
 * The weighted DRF allocator (Mesos's HierarchicalDRF): roles by weighted
 * dominant share, then frameworks within a role by dominant share, agents in a
 * shuffled order; each framework in turn is offered everything free on the
 * agent that a refuse filter does not cover.
 *
 * Simplifications, on purpose:
 * - A framework with several roles is offered under its first role only (its
 *   whole allocation counts towards that role); no role given means `*`.
 * - No quota, reservations, revocable resources or capabilities: every
 *   framework sees the same free bundle on an agent.
 * - Bad bookkeeping from the master does not crash the cycle: recovering more
 *   than a framework holds recovers what it holds; using more than is free
 *   leaves nothing free. Unknown agents and frameworks are ignored.
 * - Resources still held by a removed framework stay held (as in Mesos, the
 *   master recovers them first) until recovered under its id.
 * - Refuse filters belong to the agent's stay in the pool: an agent that is
 *   removed and added again starts with none.
 * - `minAllocatable`: a bundle is offered if it has at least that many cpus or
 *   that much mem (Mesos's `cpus:0.01|mem:32`); a zero minimum means "any".
 */
import { assert } from '../errors.js';
import type { AgentId, FrameworkId } from '../ids.js';
import type { Resources } from '../resources.js';
import { addFilter, clearFrameworkFilters } from './filters.js';
import { addHolding, drainHoldings, takeHolding } from './holdings.js';
import { createCycle, type Pool } from './cycle.js';
import {
  addMilli,
  bundleOf,
  isZeroMilli,
  minusPorts,
  resourcesOf,
  shareOf,
  subtractMilli,
  unionPorts,
  type Bundle,
} from './quantities.js';
import { addCandidate, newAgent, newFramework, newRole, removeCandidate, type AgentState, type FrameworkState } from './state.js';
import type { Allocator, AllocatorOptions } from './types.js';

/** Mesos's `--min_allocatable_resources=cpus:0.01|mem:32`. */
export const DEFAULT_MIN_ALLOCATABLE = Object.freeze({ cpus: 0.01, mem: 32 });

/** Creates a weighted DRF allocator (see the file comment for its semantics). */
export function createDrfAllocator(options: AllocatorOptions = {}): Allocator {
  const min = options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE;
  const minCpusMilli = Math.round(min.cpus * 1000);
  const minMemMilli = Math.round(min.mem * 1000);
  const pool: Pool = {
    agents: new Map(),
    frameworks: new Map(),
    roles: new Map(),
    weights: new Map(),
    total: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
    candidates: [],
    eligibilityEpoch: 0,
    frameworkSetChanged: false,
  };
  const cycle = createCycle(pool);
  let frameworksMade = 0;

  /** Mesos's rule: a bundle is worth offering if it has at least the minimum cpus OR the minimum mem. */
  function allocatable(agent: AgentState): boolean {
    return (agent.freeCpus > 0 && agent.freeCpus >= minCpusMilli) || (agent.freeMem > 0 && agent.freeMem >= minMemMilli);
  }

  /** Call after an agent's free resources changed. */
  function refresh(agent: AgentState): void {
    agent.blockedEpoch = -1;
    if (allocatable(agent)) addCandidate(pool.candidates, agent);
    else removeCandidate(pool.candidates, agent);
  }

  function frameworkRecord(id: FrameworkId): FrameworkState {
    let fw = pool.frameworks.get(id);
    if (fw === undefined) {
      fw = newFramework(id, frameworksMade++);
      pool.frameworks.set(id, fw);
      pool.frameworkSetChanged = true;
    }
    return fw;
  }

  /** Forgets a placeholder (never added, or removed) once it holds nothing. */
  function dropIfIdle(fw: FrameworkState): void {
    if (fw.role === null && fw.holdingCount === 0 && pool.frameworks.delete(fw.id)) pool.frameworkSetChanged = true;
  }

  function joinRole(fw: FrameworkState, name: string): void {
    let role = pool.roles.get(name);
    if (role === undefined) {
      role = newRole(name);
      pool.roles.set(name, role);
    }
    role.members.add(fw);
    addMilli(role.allocated, fw.allocated);
    fw.role = role;
  }

  function leaveRole(fw: FrameworkState): void {
    const role = fw.role;
    if (role === null) return;
    subtractMilli(role.allocated, fw.allocated);
    role.members.delete(fw);
    if (role.members.size === 0) pool.roles.delete(role.name);
    fw.role = null;
  }

  /** `fw` starts holding `amount` on `agent` (taken from free; free clamps at zero). */
  function hold(agent: AgentState, fw: FrameworkState, amount: Bundle): void {
    if (isZeroMilli(amount) && amount.ports.length === 0) return;
    addHolding(agent, fw, amount.cpus, amount.mem, amount.disk, amount.gpus, amount.ports);
    addMilli(fw.allocated, amount);
    if (fw.role !== null) addMilli(fw.role.allocated, amount);
    agent.freeCpus = Math.max(0, agent.freeCpus - amount.cpus);
    agent.freeMem = Math.max(0, agent.freeMem - amount.mem);
    agent.freeDisk = Math.max(0, agent.freeDisk - amount.disk);
    agent.freeGpus = Math.max(0, agent.freeGpus - amount.gpus);
    agent.freePorts = minusPorts(agent.freePorts, amount.ports);
  }

  /** `fw` gives back up to `requested` of what it holds on `agent`. */
  function release(agent: AgentState, fw: FrameworkState, requested: Bundle): void {
    const taken = takeHolding(agent, fw, requested);
    subtractMilli(fw.allocated, taken);
    if (fw.role !== null) subtractMilli(fw.role.allocated, taken);
    const total = agent.total;
    agent.freeCpus = Math.min(total.cpus, agent.freeCpus + taken.cpus);
    agent.freeMem = Math.min(total.mem, agent.freeMem + taken.mem);
    agent.freeDisk = Math.min(total.disk, agent.freeDisk + taken.disk);
    agent.freeGpus = Math.min(total.gpus, agent.freeGpus + taken.gpus);
    agent.freePorts = unionPorts(agent.freePorts, taken.ports);
    dropIfIdle(fw);
  }

  function removeAgent(agentId: AgentId): void {
    const agent = pool.agents.get(agentId);
    if (agent === undefined) return;
    drainHoldings(agent, (fw, held) => {
      subtractMilli(fw.allocated, held);
      if (fw.role !== null) subtractMilli(fw.role.allocated, held);
      fw.holdingCount -= 1;
      dropIfIdle(fw);
    });
    agent.removed = true;
    removeCandidate(pool.candidates, agent);
    subtractMilli(pool.total, agent.total);
    pool.agents.delete(agentId);
  }

  function setWeight(role: string, weight: number): void {
    assert(Number.isFinite(weight) && weight > 0, `role weight must be a positive number, got ${weight} for ${role}`);
    pool.weights.set(role, weight);
  }

  for (const [role, weight] of Object.entries(options.weights ?? {})) setWeight(role, weight);

  /** A registered (not placeholder) framework, or undefined. */
  function registered(id: FrameworkId): FrameworkState | undefined {
    const fw = pool.frameworks.get(id);
    return fw !== undefined && fw.role !== null ? fw : undefined;
  }

  return {
    addAgent(agentId: AgentId, total: Resources, used: ReadonlyMap<FrameworkId, Resources>): void {
      removeAgent(agentId);
      const agent = newAgent(agentId, bundleOf(total));
      pool.agents.set(agentId, agent);
      addMilli(pool.total, agent.total);
      for (const [frameworkId, resources] of used) hold(agent, frameworkRecord(frameworkId), bundleOf(resources));
      refresh(agent);
    },
    removeAgent,
    addFramework(frameworkId: FrameworkId, roles: readonly string[]): void {
      const fw = frameworkRecord(frameworkId);
      leaveRole(fw);
      joinRole(fw, roles[0] ?? '*');
      fw.active = true;
      fw.suppressed = false;
      pool.eligibilityEpoch += 1;
    },
    removeFramework(frameworkId: FrameworkId): void {
      const fw = pool.frameworks.get(frameworkId);
      if (fw === undefined) return;
      leaveRole(fw);
      clearFrameworkFilters(fw);
      fw.active = false;
      fw.suppressed = false;
      dropIfIdle(fw);
    },
    deactivateFramework(frameworkId: FrameworkId): void {
      const fw = registered(frameworkId);
      if (fw !== undefined) fw.active = false;
    },
    activateFramework(frameworkId: FrameworkId): void {
      const fw = registered(frameworkId);
      if (fw === undefined) return;
      fw.active = true;
      pool.eligibilityEpoch += 1;
    },
    suppress(frameworkId: FrameworkId): void {
      const fw = registered(frameworkId);
      if (fw !== undefined) fw.suppressed = true;
    },
    revive(frameworkId: FrameworkId): void {
      const fw = registered(frameworkId);
      if (fw === undefined) return;
      fw.suppressed = false;
      clearFrameworkFilters(fw);
      pool.eligibilityEpoch += 1;
    },
    recoverResources(frameworkId: FrameworkId, agentId: AgentId, resources: Resources, refuseMs: number, nowMs: number): void {
      const agent = pool.agents.get(agentId);
      const fw = pool.frameworks.get(frameworkId);
      if (agent === undefined || fw === undefined) return;
      release(agent, fw, bundleOf(resources));
      if (refuseMs > 0 && fw.role !== null) addFilter(agent, fw, resources, nowMs + refuseMs, nowMs);
      refresh(agent);
    },
    addUsed(frameworkId: FrameworkId, agentId: AgentId, resources: Resources): void {
      const agent = pool.agents.get(agentId);
      if (agent === undefined) return;
      hold(agent, frameworkRecord(frameworkId), bundleOf(resources));
      refresh(agent);
    },
    setWeight,
    allocate: cycle,
    dominantShare(frameworkId: FrameworkId): number {
      const fw = pool.frameworks.get(frameworkId);
      return fw === undefined ? 0 : shareOf(fw.allocated, pool.total);
    },
    total(): Resources {
      // Ports are per agent; a cluster-wide union of port numbers would mean nothing.
      return resourcesOf({ ...pool.total, ports: [] });
    },
  };
}
