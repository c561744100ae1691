/**
 * The registry stored through the coordinator (master HA): reads and writes
 * are messages; a write completes when the coordinator accepts it for the
 * current leader's epoch. A write that is refused (fenced) or not answered
 * within `timeoutMs` fails, and a failed write makes the master step down, as
 * Mesos aborts when `--registry_store_timeout` passes.
 */
import type { ActorContext } from '../actor.js';
import { EMPTY_REGISTRY, RegistryStore } from '../coordinator/registry-store.js';
import type { NodeId } from '../ids.js';
import type { Message, RegistryOp, RegistrySnapshot } from '../messages.js';
import type { Registry, RegistryCallback } from './registry.js';

/** The registry timeout timer key (the HA wrapper routes it here). */
export const REGISTRY_TIMER = 'ha.registry-timeout';

/** A coordinator-backed registry plus the hooks its owner routes to it. */
export interface CoordinatorRegistry extends Registry {
  /** Handles coordinator answers; true when consumed. */
  receive(message: Message): boolean;
  /** Handles the registry timeout timer. */
  timer(key: string): boolean;
  /** Fails everything pending (the owner lost leadership). */
  reset(): void;
}

interface PendingWrite {
  readonly ops: readonly RegistryOp[];
  /** The epoch it was written under: an answer about another epoch is about another incarnation's write. */
  readonly epoch: number;
  readonly done: RegistryCallback;
  readonly sentMs: number;
}

/** Options of the coordinator-backed registry. */
export interface CoordinatorRegistryOptions {
  readonly coordinator: NodeId;
  /** The epoch writes are made under (the leader's). */
  readonly epoch: () => number;
  readonly timeoutMs: number;
}

/** Builds the registry. */
export function createCoordinatorRegistry(ctx: ActorContext, options: CoordinatorRegistryOptions): CoordinatorRegistry {
  let store = RegistryStore.from(EMPTY_REGISTRY);
  let pendingRead: { readonly done: RegistryCallback<RegistrySnapshot>; readonly sentMs: number } | null = null;
  const pendingWrites = new Map<number, PendingWrite>();
  let nextRequestId = 1;

  const armTimeout = (): void => {
    if (pendingRead || pendingWrites.size > 0) ctx.setTimer(REGISTRY_TIMER, options.timeoutMs);
    else ctx.cancelTimer(REGISTRY_TIMER);
  };

  const failAll = (reason: string): void => {
    const read = pendingRead;
    pendingRead = null;
    const writes = [...pendingWrites.values()];
    pendingWrites.clear();
    ctx.cancelTimer(REGISTRY_TIMER);
    read?.done({ ok: false, reason });
    for (const w of writes) w.done({ ok: false, reason });
  };

  return {
    recover(done) {
      pendingRead = { done, sentMs: ctx.now() };
      ctx.send(options.coordinator, { type: 'coordinator.registry_read', epoch: options.epoch() });
      armTimeout();
    },
    agent: (agentId) => store.get(agentId),
    write(ops, done) {
      const requestId = nextRequestId;
      nextRequestId += 1;
      const epoch = options.epoch();
      pendingWrites.set(requestId, { ops, epoch, done, sentMs: ctx.now() });
      ctx.send(options.coordinator, { type: 'coordinator.registry_write', epoch, requestId, ops });
      armTimeout();
    },
    receive(message) {
      if (message.type === 'coordinator.registry') {
        const read = pendingRead;
        if (!read || message.epoch !== options.epoch()) return true;
        pendingRead = null;
        store = RegistryStore.from(message.registry);
        armTimeout();
        read.done({ ok: true, value: message.registry });
        return true;
      }
      if (message.type === 'coordinator.registry_written') {
        const write = pendingWrites.get(message.requestId);
        // Request ids restart with every incarnation of the master: a late answer to an earlier
        // incarnation's write (another epoch) must not complete this one's (it never reached the store).
        if (!write || write.epoch !== message.epoch) return true;
        pendingWrites.delete(message.requestId);
        armTimeout();
        if (!message.accepted) {
          write.done({ ok: false, reason: `the coordinator refused epoch ${message.epoch}: a newer leader exists` });
          return true;
        }
        for (const op of write.ops) store.apply(op);
        write.done({ ok: true, value: undefined });
        return true;
      }
      return false;
    },
    timer(key) {
      if (key !== REGISTRY_TIMER) return false;
      failAll(`no answer from the coordinator within ${options.timeoutMs} ms`);
      return true;
    },
    reset() {
      pendingRead = null;
      pendingWrites.clear();
      ctx.cancelTimer(REGISTRY_TIMER);
    },
  };
}
