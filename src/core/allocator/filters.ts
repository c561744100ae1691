/**
 * Refuse filters, kept on the agent as a short list (the hot loop asks "is this
 * framework filtered here?" only for agents that have any). REVIVE voids a
 * framework's filters everywhere by bumping its generation; dead filters are
 * swept from an agent's list when a new one is added after the earliest expiry
 * (or once the list doubled), so each filter is dropped once and lists stay short.
 */
import { contains, type Resources } from '../resources.js';
import type { AgentState, FrameworkState, RefuseFilter } from './state.js';

function alive(filter: RefuseFilter, nowMs: number): boolean {
  return nowMs < filter.untilMs && filter.generation === filter.framework.filterGeneration;
}

/** Installs a filter: `fw` is not offered bundles of `agent` contained in `resources` until `untilMs`. */
export function addFilter(agent: AgentState, fw: FrameworkState, resources: Resources, untilMs: number, nowMs: number): void {
  const filter: RefuseFilter = { framework: fw, generation: fw.filterGeneration, resources, untilMs };
  if (agent.filters === null) {
    agent.filters = [filter];
    agent.filterOwners = [fw];
    agent.filtersSweepAtMs = untilMs;
    agent.filtersSweepLength = 8;
    return;
  }
  if (nowMs >= agent.filtersSweepAtMs || agent.filters.length >= agent.filtersSweepLength) sweepFilters(agent, nowMs);
  const list = agent.filters ?? [];
  list.push(filter);
  agent.filters = list;
  agent.filterOwners.push(fw);
  if (untilMs < agent.filtersSweepAtMs) agent.filtersSweepAtMs = untilMs;
}

/** Drops dead filters from the agent's list and recomputes its sweep triggers. */
export function sweepFilters(agent: AgentState, nowMs: number): void {
  const list = agent.filters;
  if (list === null) return;
  const owners = agent.filterOwners;
  let write = 0;
  let earliest = Infinity;
  for (const f of list) {
    if (!alive(f, nowMs)) continue;
    owners[write] = f.framework;
    list[write++] = f;
    if (f.untilMs < earliest) earliest = f.untilMs;
  }
  if (write === 0) {
    clearAgentFilters(agent);
    return;
  }
  list.length = write;
  owners.length = write;
  agent.filtersSweepAtMs = earliest;
  agent.filtersSweepLength = Math.max(8, 2 * write);
}

/**
 * Whether a live filter of `fw` on `agent` contains `bundle` (Mesos's
 * RefusedOfferFilter: a bigger bundle than the one refused is offered again).
 * Returns the expiry of the latest such filter, or 0 when not filtered.
 */
export function filteredUntil(agent: AgentState, fw: FrameworkState, bundle: Resources, nowMs: number): number {
  const list = agent.filters;
  if (list === null) return 0;
  const owners = agent.filterOwners;
  let until = 0;
  for (let i = 0; i < owners.length; i += 1) {
    if (owners[i] !== fw) continue;
    const f = list[i] as RefuseFilter;
    if (f.untilMs > until && alive(f, nowMs) && contains(f.resources, bundle)) until = f.untilMs;
  }
  return until;
}

/** Voids every filter of a framework (REVIVE, removal). */
export function clearFrameworkFilters(fw: FrameworkState): void {
  fw.filterGeneration += 1;
}

/** Removes every filter on an agent (the agent left). */
export function clearAgentFilters(agent: AgentState): void {
  agent.filters = null;
  agent.filterOwners = [];
  agent.filtersSweepAtMs = Infinity;
}
