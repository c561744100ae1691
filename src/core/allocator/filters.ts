/**
 * Refuse filters, kept on the framework as a map by agent. The hot loop asks
 * "is the first framework in DRF order filtered on this agent?" for every agent
 * it visits; that framework's map is warm in cache while the agent's own data
 * is not, and REVIVE clears them all by dropping one map. Expired filters are
 * dropped when looked at, and swept whenever a map has doubled since its last
 * sweep, so each filter costs O(1) amortised and maps stay near their live size.
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
  for (const [agent, list] of filters) {
    if (agent.removed || !list.some((f) => nowMs < f.untilMs)) filters.delete(agent);
  }
  fw.filtersSweepSize = Math.max(MIN_SWEEP_SIZE, 2 * filters.size);
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

/** Whether `fw` has any filter entry on `agent` (possibly expired): the cheap pre-check of the hot loop. */
export function mayBeFiltered(agent: AgentState, fw: FrameworkState): boolean {
  return fw.filters !== null && fw.filters.has(agent);
}

/** Removes every filter of a framework (REVIVE, removal). */
export function clearFrameworkFilters(fw: FrameworkState): void {
  fw.filters = null;
}
