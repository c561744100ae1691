/**
 * The allocator's records: agents, frameworks and roles, with their allocations
 * kept incrementally in thousandths so a cycle never re-sums anything.
 */
import type { AgentId, FrameworkId } from '../ids.js';
import type { PortRange, Resources } from '../resources.js';
import { FrameworkHeap } from './framework-heap.js';
import { emptyMilli, NO_PORTS, type Bundle, type Milli } from './quantities.js';

/** A Mesos refuse filter: these resources (or any bundle they contain) are not offered until `untilMs`. */
export interface RefuseFilter {
  readonly resources: Resources;
  readonly untilMs: number;
}

/** One agent in the pool. */
export interface AgentState {
  readonly id: AgentId;
  readonly total: Milli;
  // What no framework holds, in thousandths, kept on the agent itself (not in a
  // nested object) so a cycle's visit touches one object less.
  freeCpus: number;
  freeMem: number;
  freeDisk: number;
  freeGpus: number;
  freePorts: readonly PortRange[];
  // What frameworks hold here (see holdings.ts): the latest holder inline...
  inlineHolder: FrameworkState | null;
  inlineCpus: number;
  inlineMem: number;
  inlineDisk: number;
  inlineGpus: number;
  inlinePorts: readonly PortRange[];
  // ...and the others in two short parallel arrays, scanned by pointer.
  readonly heldBy: FrameworkState[];
  readonly heldBundles: Bundle[];
  /** Set when the agent leaves the pool, so filters that name it are swept. */
  removed: boolean;
  // A two-generation Bloom filter of the frameworks with refuse filters here
  // (see filters.ts), so the hot loop rules most frameworks out without
  // leaving this object: bits by id rank, each generation with its latest expiry.
  filterBitsNew: number;
  filterBitsNewUntilMs: number;
  filterBitsOld: number;
  filterBitsOldUntilMs: number;
  /** Position in the pool's candidate list, or -1 when its free resources are not worth offering. */
  candidateSlot: number;
  /**
   * Set when a cycle found every offerable framework filtered here: the agent is
   * skipped while `blockedEpoch` still equals the allocator's eligibility epoch,
   * its free resources are unchanged, and the clock is before `blockedUntilMs`.
   */
  blockedEpoch: number;
  blockedUntilMs: number;
}

/** A framework, or a placeholder for one the master has not (re)added yet but whose tasks hold resources. */
export interface FrameworkState {
  readonly id: FrameworkId;
  /** The role it is offered under (its first role); null for a placeholder. */
  role: RoleState | null;
  active: boolean;
  suppressed: boolean;
  /** Everything it holds across agents. */
  readonly allocated: Milli;
  /** Number of holding entries it has on agents (see holdings.ts); 0 means it holds nothing. */
  holdingCount: number;
  /** Dominant share, refreshed at the start of each cycle and on each grant. */
  share: number;
  /** Position of the id in the sorted ids of all frameworks: the last DRF tie-break as a number. */
  idRank: number;
  /** Offers it has been granted: the first tie-break between equal shares (Mesos's sorter counts allocations). */
  allocations: number;
  /** This framework's bit in the agents' Bloom filters of refuse filters; fixed for its life. */
  readonly filterBit: number;
  /** Its refuse filters by agent (see filters.ts); null when it has none. */
  filters: Map<AgentState, RefuseFilter[]> | null;
  /** Map size at which adding a filter sweeps the expired ones first. */
  filtersSweepSize: number;
}

/** A role: its weight, members and their summed allocation. */
export interface RoleState {
  readonly name: string;
  readonly members: Set<FrameworkState>;
  readonly allocated: Milli;
  /** Dominant share divided by weight, refreshed like `FrameworkState.share`. */
  weightedShare: number;
  /** The role's weight, refreshed at the start of each cycle. */
  weight: number;
  /** This cycle's offerable members as a min-heap by (share, allocations, id). */
  readonly heap: FrameworkHeap;
}

/** A new agent record with everything free and nothing held. */
export function newAgent(id: AgentId, total: Bundle): AgentState {
  return {
    id,
    total: { cpus: total.cpus, mem: total.mem, disk: total.disk, gpus: total.gpus },
    freeCpus: total.cpus,
    freeMem: total.mem,
    freeDisk: total.disk,
    freeGpus: total.gpus,
    freePorts: total.ports,
    inlineHolder: null,
    inlineCpus: 0,
    inlineMem: 0,
    inlineDisk: 0,
    inlineGpus: 0,
    inlinePorts: NO_PORTS,
    heldBy: [],
    heldBundles: [],
    removed: false,
    filterBitsNew: 0,
    filterBitsNewUntilMs: 0,
    filterBitsOld: 0,
    filterBitsOldUntilMs: 0,
    candidateSlot: -1,
    blockedEpoch: -1,
    blockedUntilMs: 0,
  };
}

/** The agent's free resources as a fresh `Resources` (what an offer carries). */
export function freeResources(agent: AgentState): Resources {
  return { cpus: agent.freeCpus / 1000, mem: agent.freeMem / 1000, disk: agent.freeDisk / 1000, gpus: agent.freeGpus / 1000, ports: agent.freePorts };
}

/** A new framework record (a placeholder until it gets a role); `serial` numbers the records ever made. */
export function newFramework(id: FrameworkId, serial: number): FrameworkState {
  return {
    id,
    role: null,
    active: false,
    suppressed: false,
    allocated: emptyMilli(),
    holdingCount: 0,
    share: 0,
    idRank: 0,
    allocations: 0,
    filterBit: 1 << serial % 31,
    filters: null,
    filtersSweepSize: 0,
  };
}

/** A new, empty role. */
export function newRole(name: string): RoleState {
  return { name, members: new Set(), allocated: emptyMilli(), weightedShare: 0, weight: 1, heap: new FrameworkHeap() };
}

/** Weighted DRF order of roles: lower share/weight first, ties by name. */
export function roleBefore(a: RoleState, b: RoleState): boolean {
  return a.weightedShare < b.weightedShare || (a.weightedShare === b.weightedShare && a.name < b.name);
}

/** Adds `agent` to the candidate list (no-op if present). */
export function addCandidate(candidates: AgentState[], agent: AgentState): void {
  if (agent.candidateSlot >= 0) return;
  agent.candidateSlot = candidates.length;
  candidates.push(agent);
}

/** Removes `agent` from the candidate list by moving the last one into its slot (no-op if absent). */
export function removeCandidate(candidates: AgentState[], agent: AgentState): void {
  const slot = agent.candidateSlot;
  if (slot < 0) return;
  const last = candidates.pop() as AgentState;
  if (last !== agent) {
    candidates[slot] = last;
    last.candidateSlot = slot;
  }
  agent.candidateSlot = -1;
}

/** Frameworks ranked by id fit below this; the tie key is allocations x this + idRank. */
const TIE_RANK_SPAN = 4_194_304;

/** The key that orders frameworks of equal share: fewer allocations first, then id order (Mesos `DRFSorter`). */
export function tieKeyOf(fw: FrameworkState): number {
  return fw.allocations * TIE_RANK_SPAN + fw.idRank;
}
