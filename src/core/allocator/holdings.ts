/**
 * What frameworks hold on an agent (offers and tasks). The latest holder's
 * amounts sit in fields of the agent itself (the inline holding), so a cycle's
 * grant, and the full decline that usually follows, touch no other object;
 * earlier holdings live in two short parallel arrays. A framework may have an
 * inline and an array entry on the same agent: they add up.
 */
import type { PortRange } from '../resources.js';
import { intersectPorts, minusPorts, NO_PORTS, unionPorts, type Bundle } from './quantities.js';
import type { AgentState, FrameworkState } from './state.js';

/** Position of `fw` in the agent's holding arrays, or -1. */
function arraySlot(agent: AgentState, fw: FrameworkState): number {
  const owners = agent.heldBy;
  for (let i = 0; i < owners.length; i += 1) if (owners[i] === fw) return i;
  return -1;
}

/** Moves the inline holding into the arrays (merging with the holder's entry there, if any). */
function evictInline(agent: AgentState): void {
  const fw = agent.inlineHolder;
  if (fw === null) return;
  const slot = arraySlot(agent, fw);
  const entry = agent.heldBundles[slot];
  if (entry === undefined) {
    agent.heldBy.push(fw);
    agent.heldBundles.push({ cpus: agent.inlineCpus, mem: agent.inlineMem, disk: agent.inlineDisk, gpus: agent.inlineGpus, ports: agent.inlinePorts });
  } else {
    entry.cpus += agent.inlineCpus;
    entry.mem += agent.inlineMem;
    entry.disk += agent.inlineDisk;
    entry.gpus += agent.inlineGpus;
    entry.ports = unionPorts(entry.ports, agent.inlinePorts);
    fw.holdingCount -= 1; // two entries became one
  }
  clearInline(agent);
}

function clearInline(agent: AgentState): void {
  agent.inlineHolder = null;
  agent.inlineCpus = 0;
  agent.inlineMem = 0;
  agent.inlineDisk = 0;
  agent.inlineGpus = 0;
  agent.inlinePorts = NO_PORTS;
}

/** `fw` now also holds these amounts (thousandths) on `agent`; free resources are the caller's business. */
export function addHolding(agent: AgentState, fw: FrameworkState, cpus: number, mem: number, disk: number, gpus: number, ports: readonly PortRange[]): void {
  if (agent.inlineHolder !== fw) {
    evictInline(agent);
    agent.inlineHolder = fw;
    fw.holdingCount += 1;
  }
  agent.inlineCpus += cpus;
  agent.inlineMem += mem;
  agent.inlineDisk += disk;
  agent.inlineGpus += gpus;
  agent.inlinePorts = unionPorts(agent.inlinePorts, ports);
}

/** Takes up to `requested` of what `fw` holds on `agent` and returns what it took. */
export function takeHolding(agent: AgentState, fw: FrameworkState, requested: Bundle): Bundle {
  const taken: Bundle = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: NO_PORTS };
  if (agent.inlineHolder === fw) {
    taken.cpus = Math.min(requested.cpus, agent.inlineCpus);
    taken.mem = Math.min(requested.mem, agent.inlineMem);
    taken.disk = Math.min(requested.disk, agent.inlineDisk);
    taken.gpus = Math.min(requested.gpus, agent.inlineGpus);
    taken.ports = intersectPorts(requested.ports, agent.inlinePorts);
    agent.inlineCpus -= taken.cpus;
    agent.inlineMem -= taken.mem;
    agent.inlineDisk -= taken.disk;
    agent.inlineGpus -= taken.gpus;
    agent.inlinePorts = minusPorts(agent.inlinePorts, taken.ports);
    if (agent.inlineCpus === 0 && agent.inlineMem === 0 && agent.inlineDisk === 0 && agent.inlineGpus === 0 && agent.inlinePorts.length === 0) {
      clearInline(agent);
      fw.holdingCount -= 1;
    }
  }
  const restPorts = minusPorts(requested.ports, taken.ports);
  const rest = { cpus: requested.cpus - taken.cpus, mem: requested.mem - taken.mem, disk: requested.disk - taken.disk, gpus: requested.gpus - taken.gpus };
  if (rest.cpus === 0 && rest.mem === 0 && rest.disk === 0 && rest.gpus === 0 && restPorts.length === 0) return taken;
  const slot = arraySlot(agent, fw);
  const entry = agent.heldBundles[slot];
  if (entry === undefined) return taken;
  const cpus = Math.min(rest.cpus, entry.cpus);
  const mem = Math.min(rest.mem, entry.mem);
  const disk = Math.min(rest.disk, entry.disk);
  const gpus = Math.min(rest.gpus, entry.gpus);
  const ports = intersectPorts(restPorts, entry.ports);
  entry.cpus -= cpus;
  entry.mem -= mem;
  entry.disk -= disk;
  entry.gpus -= gpus;
  entry.ports = minusPorts(entry.ports, ports);
  taken.cpus += cpus;
  taken.mem += mem;
  taken.disk += disk;
  taken.gpus += gpus;
  taken.ports = unionPorts(taken.ports, ports);
  if (entry.cpus === 0 && entry.mem === 0 && entry.disk === 0 && entry.gpus === 0 && entry.ports.length === 0) {
    dropArraySlot(agent, slot);
    fw.holdingCount -= 1;
  }
  return taken;
}

/** Forgets the array entry in `slot` (the last entry moves into it). */
function dropArraySlot(agent: AgentState, slot: number): void {
  const lastOwner = agent.heldBy.pop() as FrameworkState;
  const lastBundle = agent.heldBundles.pop() as Bundle;
  if (slot < agent.heldBy.length) {
    agent.heldBy[slot] = lastOwner;
    agent.heldBundles[slot] = lastBundle;
  }
}

/** Every holding entry on the agent (a framework may come twice), then none: the agent is leaving. */
export function drainHoldings(agent: AgentState, each: (fw: FrameworkState, held: Bundle) => void): void {
  if (agent.inlineHolder !== null) {
    each(agent.inlineHolder, { cpus: agent.inlineCpus, mem: agent.inlineMem, disk: agent.inlineDisk, gpus: agent.inlineGpus, ports: agent.inlinePorts });
    clearInline(agent);
  }
  for (let i = 0; i < agent.heldBy.length; i += 1) each(agent.heldBy[i] as FrameworkState, agent.heldBundles[i] as Bundle);
  agent.heldBy.length = 0;
  agent.heldBundles.length = 0;
}
