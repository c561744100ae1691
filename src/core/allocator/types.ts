/**
 * The allocator contract (Mesos's HierarchicalDRF allocator). The master owns
 * the truth about agents, frameworks, offers and tasks, and tells the allocator
 * what changed; once per allocation interval it asks for a cycle of allocations.
 * Pure and synchronous; time comes in as arguments.
 */
import type { AgentId, FrameworkId } from '../ids.js';
import type { Resources } from '../resources.js';

/** One grant of a cycle: resources of one agent to one framework under one role. */
export interface Allocation {
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
  readonly role: string;
  readonly resources: Resources;
}

/** Options for the allocator. */
export interface AllocatorOptions {
  /** Smallest bundle worth offering (Mesos `--min_allocatable_resources=cpus:0.01|mem:32`). */
  readonly minAllocatable?: { readonly cpus: number; readonly mem: number };
  /** Role weights (default 1). */
  readonly weights?: Readonly<Record<string, number>>;
}

/** The allocator's interface, as the master drives it. */
export interface Allocator {
  /** An agent joined (or came back) with these total resources; `used` is already held by its tasks. */
  addAgent(agentId: AgentId, total: Resources, used: ReadonlyMap<FrameworkId, Resources>): void;
  /** The agent is gone (unreachable, removed); its resources leave the pool. */
  removeAgent(agentId: AgentId): void;
  /** A framework subscribed, with its roles. */
  addFramework(frameworkId: FrameworkId, roles: readonly string[]): void;
  /** The framework was torn down; whatever it held must already have been recovered. */
  removeFramework(frameworkId: FrameworkId): void;
  /** Offers stop (disconnected) or restart (resubscribed); held resources are unchanged. */
  deactivateFramework(frameworkId: FrameworkId): void;
  activateFramework(frameworkId: FrameworkId): void;
  /** SUPPRESS: no offers until REVIVE. */
  suppress(frameworkId: FrameworkId): void;
  /** REVIVE: clears every filter of the framework and un-suppresses it. */
  revive(frameworkId: FrameworkId): void;
  /**
   * Resources held by a framework on an agent come back to the pool (declined or
   * rescinded offer, unused part of an accept, terminal task). With `refuseMs` > 0
   * the framework is not offered this agent's resources again until `nowMs + refuseMs`
   * (a Mesos refuse filter: the filter is per agent and covers bundles it contains).
   */
  recoverResources(frameworkId: FrameworkId, agentId: AgentId, resources: Resources, refuseMs: number, nowMs: number): void;
  /** Resources of a task known from reregistration are held by its framework (master bookkeeping). */
  addUsed(frameworkId: FrameworkId, agentId: AgentId, resources: Resources): void;
  /** Role weight (UPDATE_WEIGHTS). */
  setWeight(role: string, weight: number): void;
  /**
   * One allocation cycle at `nowMs`: weighted DRF over roles, then over frameworks
   * within a role, agents visited in a shuffled order drawn from `random` (as Mesos
   * shuffles). Each framework gets, per agent, everything free it is not filtered
   * from. The returned resources are held by the framework from now on.
   */
  allocate(nowMs: number, random: () => number): Allocation[];
  /** Dominant share of a framework (for the TUI and tests). */
  dominantShare(frameworkId: FrameworkId): number;
  /** Total resources of all agents in the pool. */
  total(): Resources;
}
