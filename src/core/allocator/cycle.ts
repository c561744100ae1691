/**
 * One weighted-DRF allocation cycle over the pool.
 *
 * Cost model. Shares are kept incrementally, so a cycle starts by refreshing
 * O(frameworks + roles) cached shares and heapifying. Then it visits only the
 * candidate agents (free resources worth offering, not known to be filtered for
 * every framework), in an order shuffled with the caller's random stream; fully
 * allocated agents cost nothing. Per agent, the taker is the first framework in
 * heap order that no refuse filter stops: O(1) in the usual case, O(k log k)
 * when k frameworks are filtered there. The grant raises one framework's and
 * one role's share, fixed with one sift each.
 *
 * A big cycle is bound by memory, not arithmetic: agents are visited in random
 * order, so each visit is a cache miss on the agent. Hence the visit touches
 * the agent object and little else: the framework heaps keep their keys in
 * typed arrays, the agent carries a Bloom filter of who has refused it, and the
 * grant is recorded inline on the agent (see holdings.ts, filters.ts).
 *
 * Results depend only on the sequence of calls and the random stream.
 */
import type { AgentId, FrameworkId } from '../ids.js';
import type { Resources } from '../resources.js';
import { filteredUntil, mayBeFiltered } from './filters.js';
import { addHolding } from './holdings.js';
import { firstAccepted, heapify, siftDown } from './heap.js';
import { NO_PORTS, shareOf, type Milli } from './quantities.js';
import { freeResources, roleBefore, type AgentState, type FrameworkState, type RoleState } from './state.js';
import type { Allocation } from './types.js';

/** The allocator's state a cycle reads and updates. */
export interface Pool {
  readonly agents: Map<AgentId, AgentState>;
  readonly frameworks: Map<FrameworkId, FrameworkState>;
  readonly roles: Map<string, RoleState>;
  readonly weights: Map<string, number>;
  /** Sum of all agents' totals. */
  readonly total: Milli;
  /** Agents whose free resources are allocatable; the order is deterministic (see addCandidate). */
  readonly candidates: AgentState[];
  /** Bumped whenever a framework may have become offerable somewhere (add, activate, revive). */
  eligibilityEpoch: number;
  /** Set when frameworks came or went, so the id ranks (the tie-break) need recomputing. */
  frameworkSetChanged: boolean;
}

/** Builds the cycle function for a pool; scratch arrays are reused across cycles. */
export function createCycle(pool: Pool): (nowMs: number, random: () => number) => Allocation[] {
  const roleHeap: RoleState[] = [];
  const roleScratch: number[] = [];
  const frameworkScratch: number[] = [];

  // State of the agent being visited, read by the two predicates below (kept
  // in the closure so the hot loop allocates no callbacks).
  let visiting: AgentState | null = null;
  let visitingBundle: Resources | null = null;
  let visitNowMs = 0;
  let blockedUntilMs = Infinity;
  let takerIndex = -1;

  const frameworkTakes = (fw: FrameworkState): boolean => {
    if (visitingBundle === null || visiting === null || !mayBeFiltered(visiting, fw, visitNowMs)) return true;
    const until = filteredUntil(visiting, fw, visitingBundle, visitNowMs);
    if (until === 0) return true;
    if (until < blockedUntilMs) blockedUntilMs = until;
    return false;
  };
  const roleHasTaker = (role: RoleState): boolean => {
    takerIndex = role.heap.firstAccepted(frameworkTakes, frameworkScratch);
    return takerIndex >= 0;
  };

  /** Numbers the frameworks in id order, so heaps break share ties without comparing strings. */
  function rankIds(): void {
    const ids = [...pool.frameworks.keys()].sort();
    ids.forEach((id, rank) => {
      const fw = pool.frameworks.get(id);
      if (fw !== undefined) fw.idRank = rank;
    });
    pool.frameworkSetChanged = false;
  }

  /** Refreshes every cached share and weight and builds the two-level heap of offerable frameworks. */
  function buildSorter(): void {
    if (pool.frameworkSetChanged) rankIds();
    roleHeap.length = 0;
    for (const role of pool.roles.values()) {
      role.heap.clear();
      role.weight = pool.weights.get(role.name) ?? 1;
      role.weightedShare = shareOf(role.allocated, pool.total) / role.weight;
    }
    for (const fw of pool.frameworks.values()) {
      fw.share = shareOf(fw.allocated, pool.total);
      if (fw.role !== null && fw.active && !fw.suppressed) fw.role.heap.add(fw);
    }
    for (const role of pool.roles.values()) {
      if (role.heap.size === 0) continue;
      role.heap.heapify();
      roleHeap.push(role);
    }
    heapify(roleHeap, roleBefore);
  }

  /** Fisher-Yates shuffles the candidate list in place (it only holds pointers, so no agent is touched). */
  function shuffleCandidates(random: () => number): void {
    const list = pool.candidates;
    for (let i = list.length - 1; i > 0; i -= 1) {
      const j = Math.min(i, Math.floor(random() * (i + 1)));
      const swap = list[i] as AgentState;
      list[i] = list[j] as AgentState;
      list[j] = swap;
    }
  }

  function grant(agent: AgentState, roleIndex: number, frameworkIndex: number, out: Allocation[]): void {
    const role = roleHeap[roleIndex] as RoleState;
    const fw = role.heap.at(frameworkIndex);
    const resources = visitingBundle ?? freeResources(agent);
    const { freeCpus: cpus, freeMem: mem, freeDisk: disk, freeGpus: gpus } = agent;
    addHolding(agent, fw, cpus, mem, disk, gpus, agent.freePorts);
    const fwAllocated = fw.allocated;
    fwAllocated.cpus += cpus;
    fwAllocated.mem += mem;
    fwAllocated.disk += disk;
    fwAllocated.gpus += gpus;
    const roleAllocated = role.allocated;
    roleAllocated.cpus += cpus;
    roleAllocated.mem += mem;
    roleAllocated.disk += disk;
    roleAllocated.gpus += gpus;
    agent.freeCpus = 0;
    agent.freeMem = 0;
    agent.freeDisk = 0;
    agent.freeGpus = 0;
    agent.freePorts = NO_PORTS;
    agent.blockedEpoch = -1;
    // Shares only grow within a cycle, so sifting the two changed entries down keeps both heaps valid.
    fw.share = shareOf(fwAllocated, pool.total);
    fw.allocations += 1;
    role.heap.raise(frameworkIndex, fw.share);
    role.weightedShare = shareOf(roleAllocated, pool.total) / role.weight;
    siftDown(roleHeap, roleIndex, roleBefore);
    out.push({ frameworkId: fw.id, agentId: agent.id, role: role.name, resources });
  }

  /** Offers the agent to the first framework in DRF order not filtered there; false (and blocked) when every one is. */
  function visit(agent: AgentState, epoch: number, out: Allocation[]): boolean {
    // Fast path, the common case: the first framework has no filter here.
    const first = (roleHeap[0] as RoleState).heap.at(0);
    visitingBundle = mayBeFiltered(agent, first, visitNowMs) ? freeResources(agent) : null;
    if (visitingBundle === null || filteredUntil(agent, first, visitingBundle, visitNowMs) === 0) {
      grant(agent, 0, 0, out);
      return true;
    }
    visiting = agent;
    blockedUntilMs = Infinity;
    const roleIndex = firstAccepted(roleHeap, roleBefore, roleHasTaker, roleScratch);
    if (roleIndex >= 0) {
      grant(agent, roleIndex, takerIndex, out);
      return true;
    }
    // Every offerable framework is filtered here: skip this agent until a filter expires or something changes.
    agent.blockedEpoch = epoch;
    agent.blockedUntilMs = blockedUntilMs;
    return false;
  }

  return function allocate(nowMs: number, random: () => number): Allocation[] {
    const out: Allocation[] = [];
    const candidates = pool.candidates;
    if (candidates.length === 0) return out;
    buildSorter();
    if (roleHeap.length === 0) return out;
    shuffleCandidates(random);
    visitNowMs = nowMs;
    const epoch = pool.eligibilityEpoch;
    // Visit in shuffled order, compacting the list as we go: granted agents
    // leave it, the others are written back with their new slot.
    let kept = 0;
    for (let i = 0; i < candidates.length; i += 1) {
      const agent = candidates[i] as AgentState;
      const blocked = agent.blockedEpoch === epoch && nowMs < agent.blockedUntilMs;
      if (!blocked && visit(agent, epoch, out)) {
        agent.candidateSlot = -1;
        continue;
      }
      agent.candidateSlot = kept;
      candidates[kept++] = agent;
    }
    candidates.length = kept;
    visiting = null;
    visitingBundle = null;
    return out;
  };
}
