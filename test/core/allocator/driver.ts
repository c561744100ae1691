/**
 * Test helpers for the allocator: a tiny scheduler loop that answers offers
 * the way a framework would (launch what fits, decline the rest).
 */
import assert from 'node:assert/strict';
import type { Allocation, Allocator } from '../../../src/core/allocator/types.js';
import { fits, isEmpty, resources, subtract, type Resources } from '../../../src/core/resources.js';



/** n copies of `one` added together. */
export function times(one: Resources, n: number): Resources {
  return resources({ cpus: one.cpus * n, mem: one.mem * n, disk: one.disk * n, gpus: one.gpus * n });
}

/** A framework in a scheduling loop: its task shape and how many tasks it has launched. */
export interface LoopFramework {
  readonly id: string;
  readonly task: Resources;
  /** Tasks launched per offer at most (1 gives DRF's progressive filling one task at a time). */
  readonly perOffer: number;
  launched: number;
}

/**
 * Runs allocation cycles one second apart; each offer is answered at once:
 * launch up to `perOffer` tasks that fit (their resources stay held), recover
 * the rest (refuse 0 after a launch; `declineRefuseMs` when nothing fit).
 * Stops after `maxCycles` or two cycles without a launch. Returns the cycles run.
 */
export function runLoop(options: {
  allocator: Allocator;
  frameworks: readonly LoopFramework[];
  random: () => number;
  maxCycles: number;
  declineRefuseMs: number;
  startMs?: number;
}): number {
  const byId = new Map(options.frameworks.map((f) => [f.id, f]));
  let nowMs = options.startMs ?? 0;
  let idle = 0;
  let cycles = 0;
  while (cycles < options.maxCycles && idle < 2) {
    cycles += 1;
    nowMs += 1000;
    let launched = 0;
    for (const offer of options.allocator.allocate(nowMs, options.random)) {
      const fw = byId.get(offer.frameworkId);
      assert.ok(fw, `offer to unknown framework ${offer.frameworkId}`);
      launched += answer(options.allocator, fw, offer, nowMs, options.declineRefuseMs);
    }
    idle = launched === 0 ? idle + 1 : 0;
  }
  return cycles;
}

function answer(allocator: Allocator, fw: LoopFramework, offer: Allocation, nowMs: number, declineRefuseMs: number): number {
  let left = offer.resources;
  let n = 0;
  while (n < fw.perOffer && fits(fw.task, left)) {
    left = subtract(left, fw.task);
    n += 1;
  }
  fw.launched += n;
  if (!isEmpty(left)) allocator.recoverResources(fw.id, offer.agentId, left, n > 0 ? 0 : declineRefuseMs, nowMs);
  return n;
}
