/**
 * The registry as the coordinator stores it: applying operations to a snapshot.
 * Pure; shared by the coordinator (durable copy) and masters (their view).
 */
import type { AgentId } from '../ids.js';
import type { RegistryAgent, RegistryOp, RegistrySnapshot } from '../messages.js';
import { assertNever } from '../errors.js';

/** An empty registry. */
export const EMPTY_REGISTRY: RegistrySnapshot = { agents: [], nextAgentNumber: 0 };

/** A mutable registry with O(1) lookups. */
export class RegistryStore {
  private readonly agents = new Map<AgentId, RegistryAgent>();
  private nextAgentNumber = 0;

  /** Loads a snapshot (replacing the contents). */
  static from(snapshot: RegistrySnapshot): RegistryStore {
    const store = new RegistryStore();
    for (const agent of snapshot.agents) store.agents.set(agent.agentId, agent);
    store.nextAgentNumber = snapshot.nextAgentNumber;
    return store;
  }

  /** Applies one operation. */
  apply(op: RegistryOp): void {
    switch (op.op) {
      case 'admit':
        this.agents.set(op.agentId, { agentId: op.agentId, host: op.host, state: 'admitted', sinceMs: null });
        return;
      case 'mark_unreachable':
        this.update(op.agentId, 'unreachable', op.atMs);
        return;
      case 'mark_reachable':
        this.update(op.agentId, 'admitted', null);
        return;
      case 'mark_gone':
        this.update(op.agentId, 'gone', op.atMs);
        return;
      case 'remove':
        this.agents.delete(op.agentId);
        return;
      case 'reserve_agent_number':
        this.nextAgentNumber = Math.max(this.nextAgentNumber, op.next);
        return;
      default:
        assertNever(op, 'registry op');
    }
  }

  /** The agent's record, if any. */
  get(agentId: AgentId): RegistryAgent | undefined {
    return this.agents.get(agentId);
  }

  /** The next agent number to mint. */
  get nextNumber(): number {
    return this.nextAgentNumber;
  }

  /** Number of agents. */
  get size(): number {
    return this.agents.size;
  }

  /** A plain copy. */
  snapshot(): RegistrySnapshot {
    return { agents: [...this.agents.values()], nextAgentNumber: this.nextAgentNumber };
  }

  private update(agentId: AgentId, state: RegistryAgent['state'], sinceMs: number | null): void {
    const agent = this.agents.get(agentId);
    if (agent) this.agents.set(agentId, { ...agent, state, sinceMs });
  }
}
