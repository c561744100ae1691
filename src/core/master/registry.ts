/**
 * The master's registry (Mesos `src/master/registry.proto`): which agents are
 * admitted, unreachable or gone. It is the only durable master state; tasks and
 * frameworks live in memory and are rebuilt from agents and schedulers.
 *
 * Writes complete through a callback so that "registry write first, then act"
 * is how the master is shaped: the in-memory registry answers at once; a
 * coordinator-backed one (master HA) sends `coordinator.registry_write` and
 * answers when `coordinator.registry_written` comes back. Reads are synchronous
 * over the last committed state (Mesos keeps the same sets in master memory).
 * Snapshots and operations are the coordinator's wire types (messages.ts).
 */
import { EMPTY_REGISTRY, RegistryStore } from '../coordinator/registry-store.js';
import type { ActorContext } from '../actor.js';
import type { AgentId } from '../ids.js';
import type { RegistryAgent, RegistryOp, RegistrySnapshot } from '../messages.js';

/** How a registry operation ended; a failed write makes the master step down (Mesos aborts). */
export type RegistryOutcome<T = undefined> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Called once when an operation has completed (committed or failed). */
export type RegistryCallback<T = undefined> = (outcome: RegistryOutcome<T>) => void;

/** The registry as the master uses it. */
export interface Registry {
  /** Reads the whole registry (a new leader's first step) and makes it the committed view. */
  recover(done: RegistryCallback<RegistrySnapshot>): void;
  /** The committed record of one agent, if the registry has it. */
  agent(agentId: AgentId): RegistryAgent | undefined;
  /** Applies the operations atomically, then calls `done`. */
  write(ops: readonly RegistryOp[], done: RegistryCallback): void;
}

const DONE: RegistryOutcome = { ok: true, value: undefined };

/** A registry in memory (Mesos `--registry=in_memory`): every write commits at once. Seed it to model a failover. */
export function createInMemoryRegistry(seed: RegistrySnapshot = EMPTY_REGISTRY): Registry {
  const store = RegistryStore.from(seed);
  return {
    recover: (done) => done({ ok: true, value: store.snapshot() }),
    agent: (agentId) => store.get(agentId),
    write(ops, done) {
      for (const op of ops) store.apply(op);
      done(DONE);
    },
  };
}

/** A registry operation as the history spells it: `<op> <agent id>` (or `reserve_agent_number <next>`). */
export function registryOpText(op: RegistryOp): string {
  return op.op === 'reserve_agent_number' ? `${op.op} ${op.next}` : `${op.op} ${op.agentId}`;
}

/**
 * The registry with every commit the master sees recorded as `registry.committed`
 * (before the master acts on it), so a checker can prove "registry write first".
 */
export function committing(ctx: ActorContext, inner: Registry, epoch: () => number): Registry {
  return {
    recover: (done) => inner.recover(done),
    agent: (agentId) => inner.agent(agentId),
    write(ops, done) {
      inner.write(ops, (outcome) => {
        if (outcome.ok) ctx.emit({ type: 'registry.committed', node: ctx.self, epoch: epoch(), ops: ops.map(registryOpText) });
        done(outcome);
      });
    },
  };
}
