/**
 * A slow, obviously-correct model of the DRF allocator for property tests:
 * everything is recomputed from scratch (free = total - sum of holdings, shares
 * by summing), filters are a plain list. Shares use the same thousandths
 * arithmetic as the allocator so ties compare equal on both sides.
 */
import { add, contains, resources, subtract, type Resources } from '../../../src/core/resources.js';

interface ModelAgent {
  readonly total: Resources;
  readonly held: Map<string, Resources>;
}

interface ModelFramework {
  role: string | null;
  active: boolean;
  suppressed: boolean;
}

interface ModelFilter {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly resources: Resources;
  readonly untilMs: number;
}

const milli = (x: number): number => Math.round(x * 1000);

/** The model's view of the cluster. */
export class AllocatorModel {
  readonly agents = new Map<string, ModelAgent>();
  readonly frameworks = new Map<string, ModelFramework>();
  readonly weights = new Map<string, number>();
  filters: ModelFilter[] = [];
  /** Offers each framework has been granted: the first tie-break between equal shares (Mesos's sorter). */
  readonly allocations = new Map<string, number>();

  constructor(private readonly min = { cpus: 0.01, mem: 32 }) {}

  addAgent(id: string, total: Resources, used: ReadonlyMap<string, Resources>): void {
    this.agents.set(id, { total, held: new Map(used) });
  }
  removeAgent(id: string): void {
    this.agents.delete(id);
    this.filters = this.filters.filter((f) => f.agentId !== id);
  }
  addFramework(id: string, role: string): void {
    this.frameworks.set(id, { role, active: true, suppressed: false });
  }
  removeFramework(id: string): void {
    const fw = this.frameworks.get(id);
    if (fw) fw.role = null;
    this.filters = this.filters.filter((f) => f.frameworkId !== id);
  }
  revive(id: string): void {
    const fw = this.frameworks.get(id);
    if (!fw || fw.role === null) return;
    fw.suppressed = false;
    this.filters = this.filters.filter((f) => f.frameworkId !== id);
  }
  hold(frameworkId: string, agentId: string, r: Resources): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    const before = agent.held.get(frameworkId);
    agent.held.set(frameworkId, before ? add(before, r) : r);
  }
  /** `r` must be within what the framework holds there. */
  recover(frameworkId: string, agentId: string, r: Resources, refuseMs: number, nowMs: number): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    const before = agent.held.get(frameworkId);
    if (before) agent.held.set(frameworkId, subtract(before, r));
    if (refuseMs > 0 && this.frameworks.get(frameworkId)?.role != null) this.filters.push({ frameworkId, agentId, resources: r, untilMs: nowMs + refuseMs });
  }

  free(agentId: string): Resources {
    const agent = this.agents.get(agentId);
    if (!agent) throw new Error(`model: no agent ${agentId}`);
    let free = agent.total;
    for (const r of agent.held.values()) free = subtract(free, r);
    return free;
  }
  allocatable(r: Resources): boolean {
    const cpus = milli(r.cpus);
    const mem = milli(r.mem);
    return (cpus > 0 && cpus >= milli(this.min.cpus)) || (mem > 0 && mem >= milli(this.min.mem));
  }

  private totalMilli(): number[] {
    const t = [0, 0, 0, 0];
    for (const a of this.agents.values()) addInto(t, a.total);
    return t;
  }
  private heldMilli(frameworkIds: ReadonlySet<string>): number[] {
    const t = [0, 0, 0, 0];
    for (const a of this.agents.values()) for (const [fw, r] of a.held) if (frameworkIds.has(fw)) addInto(t, r);
    return t;
  }
  share(frameworkId: string): number {
    return shareOf(this.heldMilli(new Set([frameworkId])), this.totalMilli());
  }
  roleShare(role: string): number {
    const members = new Set([...this.frameworks].filter(([, f]) => f.role === role).map(([id]) => id));
    return shareOf(this.heldMilli(members), this.totalMilli()) / (this.weights.get(role) ?? 1);
  }

  /** A grant the allocator made: counts towards the framework's allocations. */
  granted(frameworkId: string): void {
    this.allocations.set(frameworkId, (this.allocations.get(frameworkId) ?? 0) + 1);
  }

  /** Who DRF offers `agentId`'s free resources to now, or null. */
  taker(agentId: string, nowMs: number): string | null {
    const free = this.free(agentId);
    if (!this.allocatable(free)) return null;
    const eligible = [...this.frameworks]
      .filter(([, f]) => f.role !== null && f.active && !f.suppressed)
      .filter(([id]) => !this.filters.some((x) => x.frameworkId === id && x.agentId === agentId && nowMs < x.untilMs && contains(x.resources, free)))
      .map(([id, f]) => ({ id, role: f.role as string, share: this.share(id), roleShare: this.roleShare(f.role as string), count: this.allocations.get(id) ?? 0 }));
    eligible.sort((a, b) => a.roleShare - b.roleShare || cmp(a.role, b.role) || a.share - b.share || a.count - b.count || cmp(a.id, b.id));
    return eligible[0]?.id ?? null;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addInto(t: number[], r: Resources): void {
  t[0] = (t[0] as number) + milli(r.cpus);
  t[1] = (t[1] as number) + milli(r.mem);
  t[2] = (t[2] as number) + milli(r.disk);
  t[3] = (t[3] as number) + milli(r.gpus);
}

function shareOf(used: number[], total: number[]): number {
  let share = 0;
  for (let i = 0; i < 4; i += 1) if ((total[i] as number) > 0) share = Math.max(share, (used[i] as number) / (total[i] as number));
  return share;
}

/** Half of a bundle's scalars and its first port range: always within it. */
export function partOf(r: Resources): Resources {
  return resources({ cpus: Math.floor(r.cpus * 500) / 1000, mem: Math.floor(r.mem * 500) / 1000, disk: Math.floor(r.disk * 500) / 1000, ports: r.ports.slice(0, 1) });
}
