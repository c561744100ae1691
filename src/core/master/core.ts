/**
 * The state every master handler shares: the context, the leadership fields and
 * the in-memory tables. Handlers are plain functions over this object, grouped by
 * concern (agents, frameworks, offers, tasks, reconciliation).
 */
import type { ActorContext } from '../actor.js';
import type { Allocator } from '../allocator/types.js';
import type { AgentId, FrameworkId, NodeId, OfferId, TaskId } from '../ids.js';
import type { MasterToSchedulerMessage } from '../messages.js';
import type { Timing } from '../timing.js';
import type { Registry, RegistryCallback } from './registry.js';
import type { AgentRecord, FrameworkRecord, OfferRecord, TaskRecord } from './types.js';

/** Limits on what the master remembers about finished work. */
export interface MasterLimits {
  readonly completedTasksPerFramework: number;
  readonly completedFrameworks: number;
}

/** The master's shared state. */
export interface MasterCore {
  readonly ctx: ActorContext;
  readonly timing: Timing;
  readonly allocator: Allocator;
  readonly registry: Registry;
  readonly limits: MasterLimits;
  leading: boolean;
  epoch: number;
  /** Empty until the first election. */
  masterId: string;
  /** Bumped at every leadership change: completions of an older term are dropped. */
  term: number;
  /** Steps down (fail fast) when the registry cannot be written. */
  readonly abort: (reason: string) => void;
  /** Replaced with empty tables at every leadership change. */
  mem: MasterMemory;
}

/** Everything the master forgets when it stops leading. */
export interface MasterMemory {
  readonly agents: Map<AgentId, AgentRecord>;
  /** The agents in the order health-check rounds ping them (host order); null when agents came or went since. */
  pingOrder: AgentRecord[] | null;
  /** Where in pingOrder the next pong is expected (see onPong). */
  pongCursor: number;
  /** Health-check rounds run so far (see onHealthCheck). */
  healthRound: number;
  /** Host -> agent in memory (registered or unreachable): a registration from a known host is a reboot. */
  readonly agentsByHost: Map<NodeId, AgentId>;
  /** Hosts whose registration is waiting for the registry. */
  readonly pendingHosts: Set<NodeId>;
  /** Agents not in memory whose reregistration is waiting for the registry. */
  readonly pendingAgents: Set<AgentId>;
  /** Admitted in the registry when this master took over, not yet reregistered. */
  readonly recovered: Map<AgentId, NodeId>;
  readonly frameworks: Map<FrameworkId, FrameworkRecord>;
  /** Removed frameworks, oldest first, bounded. */
  readonly completedFrameworks: Set<FrameworkId>;
  readonly tasks: Map<TaskId, TaskRecord>;
  /** Outstanding offers, in the order they were made (so also oldest first). */
  readonly offers: Map<OfferId, OfferRecord>;
  /** When each outstanding offer was made (kept beside it: an OfferRecord is what goes on the wire). */
  readonly offerMadeAtMs: Map<OfferId, number>;
  nextAgent: number;
  nextFramework: number;
  nextOffer: number;
}

/** Empty tables. */
export function emptyMemory(): MasterMemory {
  return {
    agents: new Map(),
    pingOrder: null,
    pongCursor: 0,
    healthRound: 0,
    agentsByHost: new Map(),
    pendingHosts: new Set(),
    pendingAgents: new Set(),
    recovered: new Map(),
    frameworks: new Map(),
    completedFrameworks: new Set(),
    tasks: new Map(),
    offers: new Map(),
    offerMadeAtMs: new Map(),
    nextAgent: 0,
    nextFramework: 0,
    nextOffer: 0,
  };
}

/**
 * Wraps a registry completion: drops it if leadership changed meanwhile, aborts
 * on a failed write, otherwise acts. This is "registry write first, then act".
 */
export function afterWrite<T>(core: MasterCore, what: string, then: (value: T) => void): RegistryCallback<T> {
  const term = core.term;
  return (outcome) => {
    if (core.term !== term || !core.leading) return;
    if (!outcome.ok) {
      core.abort(`registry ${what} failed: ${outcome.reason}`);
      return;
    }
    then(outcome.value);
  };
}

/** Sends to a framework's scheduler if it is connected (a disconnected one would not hear it). */
export function sendToFramework(core: MasterCore, framework: FrameworkRecord, message: MasterToSchedulerMessage): void {
  if (framework.state === 'active') core.ctx.send(framework.node, message);
}

/** Sends `master.error` to a node. */
export function sendError(core: MasterCore, to: NodeId, message: string): void {
  core.ctx.send(to, { type: 'master.error', epoch: core.epoch, message });
}

/** Remembers a removed framework, forgetting the oldest beyond the limit. */
export function rememberCompletedFramework(core: MasterCore, frameworkId: FrameworkId): void {
  const done = core.mem.completedFrameworks;
  done.add(frameworkId);
  if (done.size > core.limits.completedFrameworks) {
    const oldest = done.values().next();
    if (!oldest.done) done.delete(oldest.value);
  }
}
