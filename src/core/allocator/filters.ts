/**
 * Refuse filters, kept on the framework as a map by agent: REVIVE clears them
 * all by dropping one map. Expired filters are dropped when looked at, and
 * swept whenever a map has doubled since its last sweep, so each filter costs
 * O(1) amortised and maps stay near their live size.
 *
 * The hot loop asks "is this framework filtered on this agent?" for every agent
 * it visits, and a lookup in a big map is a cache miss or two. So the agent also
 * carries a Bloom filter of the frameworks filtered there (each framework has
 * one of 31 bits), in two generations: a filter goes into the new one; when the old
 * one has wholly expired, the new one becomes the old. A clear bit means "not
 * filtered" for sure; a set bit sends us to the map. REVIVE leaves stale bits,
 * which only cost a lookup.
 */
import { contains, type Resources } from '../resources.js';
import type { AgentState, FrameworkState, RefuseFilter } from './state.js';

const MIN_SWEEP_SIZE = 16;

/** Installs a filter: `fw` is not offered bundles of `agent` contained in `resources` until `untilMs`. */
export function addFilter(agent: AgentState, fw: FrameworkState, resources: Resources, untilMs: number, nowMs: number): void {
  let filters = fw.filters;
  if (filters === null) {
    filters = new Map();
    fw.filters = filters;
    fw.filtersSweepSize = MIN_SWEEP_SIZE;
  }
  markBloom(agent, fw, untilMs, nowMs);
  const filter: RefuseFilter = { resources, untilMs };
  const list = filters.get(agent);
  if (list === undefined) {
    if (filters.size >= fw.filtersSweepSize) sweep(fw, nowMs);
    filters.set(agent, [filter]);
    return;
  }
  let write = 0;
  for (const f of list) if (nowMs < f.untilMs) list[write++] = f;
  list.length = write;
  list.push(filter);
}

/** Drops expired filters and those of agents that left. */
function sweep(fw: FrameworkState, nowMs: number): void {
  const filters = fw.filters;
  if (filters === null) return;
  filters.forEach((list, agent) => {
    if (agent.removed || !anyLive(list, nowMs)) filters.delete(agent);
  });
  fw.filtersSweepSize = Math.max(MIN_SWEEP_SIZE, 2 * filters.size);
}

function anyLive(list: readonly RefuseFilter[], nowMs: number): boolean {
  for (const f of list) if (nowMs < f.untilMs) return true;
  return false;
}

/**
 * Whether a live filter of `fw` on `agent` contains `bundle` (Mesos's
 * RefusedOfferFilter: a bigger bundle than the one refused is offered again).
 * Returns the expiry of the latest such filter, or 0 when not filtered.
 */
export function filteredUntil(agent: AgentState, fw: FrameworkState, bundle: Resources, nowMs: number): number {
  const filters = fw.filters;
  if (filters === null) return 0;
  const list = filters.get(agent);
  if (list === undefined) return 0;
  let until = 0;
  let live = 0;
  for (const f of list) {
    if (nowMs >= f.untilMs) continue;
    live += 1;
    if (f.untilMs > until && contains(f.resources, bundle)) until = f.untilMs;
  }
  if (live === 0) filters.delete(agent);
  return until;
}

function markBloom(agent: AgentState, fw: FrameworkState, untilMs: number, nowMs: number): void {
  if (nowMs >= agent.filterBitsOldUntilMs) {
    agent.filterBitsOld = agent.filterBitsNew;
    agent.filterBitsOldUntilMs = agent.filterBitsNewUntilMs;
    agent.filterBitsNew = 0;
    agent.filterBitsNewUntilMs = 0;
  }
  agent.filterBitsNew |= fw.filterBit;
  if (untilMs > agent.filterBitsNewUntilMs) agent.filterBitsNewUntilMs = untilMs;
}

/** False when `fw` surely has no live filter on `agent`: the cheap pre-check of the hot loop. */
export function mayBeFiltered(agent: AgentState, fw: FrameworkState, nowMs: number): boolean {
  if (fw.filters === null) return false;
  const bit = fw.filterBit;
  const marked = (nowMs < agent.filterBitsNewUntilMs && (agent.filterBitsNew & bit) !== 0) || (nowMs < agent.filterBitsOldUntilMs && (agent.filterBitsOld & bit) !== 0);
  return marked && fw.filters.has(agent);
}

/** Removes every filter of a framework (REVIVE, removal). */
export function clearFrameworkFilters(fw: FrameworkState): void {
  fw.filters = null;
}
