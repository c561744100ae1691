/**
 * Swarm-style fault schedules (FoundationDB, TigerBeetle's VOPR): each seed
 * enables a random subset of the allowed kinds with random weights and a random
 * rate, then draws concrete faults at concrete times over the method. A fault
 * that needs undoing is usually followed by its undo (pause by resume, partition
 * by heal, kill-agent by restart-agent), but sometimes left for the runner's
 * liveness phase to heal. Everything is drawn from one PRNG seeded by the fuzz
 * seed, so a seed always gives the same schedule.
 */
import { assertNever } from '../../core/errors.js';
import type { Fault, LinkFaultSpec, NodeGroup } from '../../core/faults.js';
import type { NodeId } from '../../core/ids.js';
import { detectionMs } from '../../core/timing.js';
import { Prng } from '../../core/prng.js';
import { faultStepOf, timingOfSpec, type FaultStep, type LeaderSide, type Scenario, type TargetSpec } from '../scenario/index.js';
import { targetsOf, type FuzzTargets } from './base.js';
import { FUZZ_KINDS, type FuzzKind } from './kinds.js';
import type { FuzzFault, FuzzSchedule } from './types.js';

/** The method of a fuzz run when not told otherwise: ten simulated minutes. */
export const DEFAULT_METHOD_MS = 10 * 60_000;
/** More faults than this in one schedule make shrinking slow and teach nothing new. */
export const MAX_PRIMARY_FAULTS = 30;
/** Primary faults per simulated minute: drawn log-uniformly between these per seed. */
const RATE_MIN_PER_MIN = 0.3;
const RATE_MAX_PER_MIN = 3;
/** Chance that a fault's undo is scheduled (the rest wait for the liveness phase). */
const UNDO_CHANCE = 0.85;
/** Times are rounded to this, so files read well and stay exact through YAML. */
const TIME_GRAIN_MS = 100;

/** Options of `generateSchedule`. */
export interface GenerateOptions {
  readonly seed: string;
  readonly base: Scenario;
  /** The enabled kinds (`--faults`); the swarm picks a subset per seed. */
  readonly kinds: readonly FuzzKind[];
  readonly methodMs?: number;
}

/** The schedule of one fuzz seed. Deterministic: same options, same schedule. */
export function generateSchedule(options: GenerateOptions): FuzzSchedule {
  const methodMs = options.methodMs ?? DEFAULT_METHOD_MS;
  const prng = Prng.from(`fuzz\u0000${options.seed}`);
  const targets = targetsOf(options.base);
  const usable = FUZZ_KINDS.filter((kind) => options.kinds.includes(kind) && applicable(kind, targets));
  const kinds = usable.filter(() => prng.chance(0.5));
  const fallback = prng.pick(usable);
  if (kinds.length === 0 && fallback !== undefined) kinds.push(fallback);
  const weights: Partial<Record<FuzzKind, number>> = {};
  for (const kind of kinds) weights[kind] = round2(prng.between(0.1, 1));
  const ratePerMin = round2(Math.exp(prng.between(Math.log(RATE_MIN_PER_MIN), Math.log(RATE_MAX_PER_MIN))));
  const drawer = new Drawer(prng, targets, methodMs, detectionMs(timingOfSpec(options.base.timing)));
  for (const atMs of arrivals(prng, ratePerMin, methodMs)) {
    const kind = weighted(prng, kinds, weights);
    if (kind !== undefined) drawer.draw(kind, atMs);
  }
  const faults = drawer.faults.map((f, index) => ({ f, index })).sort((a, b) => a.f.atMs - b.f.atMs || a.index - b.index);
  return { seed: options.seed, kinds, weights, ratePerMin, methodMs, faults: faults.map(({ f }) => f) };
}

/** Whether the cluster has something this kind can hit. */
function applicable(kind: FuzzKind, t: FuzzTargets): boolean {
  switch (kind) {
    case 'kill-agent':
    case 'restart-agent':
    case 'pause-agent':
      return t.agents.length > 0;
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'failover':
      return t.masters.length > 0;
    case 'kill-task':
      return t.services.length > 0;
    case 'crash-framework':
    case 'restart-framework':
      return t.schedulers.length > 0;
    case 'partition':
    case 'link':
    case 'clog':
    case 'swizzle-clog':
      return t.nodes.length > 1;
    default:
      return assertNever(kind, 'fuzz kind');
  }
}

/** Poisson arrivals over the method (at least one, at most MAX_PRIMARY_FAULTS), leaving the last tenth quiet. */
function arrivals(prng: Prng, ratePerMin: number, methodMs: number): number[] {
  const endMs = methodMs * 0.9;
  const meanGapMs = 60_000 / ratePerMin;
  const times: number[] = [];
  for (let t = -Math.log(1 - prng.next()) * meanGapMs; t < endMs && times.length < MAX_PRIMARY_FAULTS; t += -Math.log(1 - prng.next()) * meanGapMs) {
    times.push(grain(t));
  }
  if (times.length === 0) times.push(grain(prng.between(0, endMs)));
  return times;
}

function weighted(prng: Prng, kinds: readonly FuzzKind[], weights: Partial<Record<FuzzKind, number>>): FuzzKind | undefined {
  const total = kinds.reduce((sum, kind) => sum + (weights[kind] ?? 0), 0);
  let x = prng.next() * total;
  for (const kind of kinds) {
    x -= weights[kind] ?? 0;
    if (x < 0) return kind;
  }
  return kinds[kinds.length - 1];
}

function grain(ms: number): number {
  return Math.max(0, Math.round(ms / TIME_GRAIN_MS) * TIME_GRAIN_MS);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

const id = (node: NodeId): TargetSpec => ({ kind: 'id', id: node });
const LEADER: TargetSpec = { kind: 'leader' };

/**
 * Draws concrete faults, keeping a small model of which nodes are down (killed,
 * paused, crashed) and until when, so a fault never hits a node that is already
 * down and at most a minority of masters and half the agents are down at once.
 */
class Drawer {
  readonly faults: FuzzFault[] = [];
  private readonly downUntil = new Map<NodeId, number>();

  constructor(
    private readonly prng: Prng,
    private readonly t: FuzzTargets,
    private readonly methodMs: number,
    private readonly detectMs: number,
  ) {}

  draw(kind: FuzzKind, atMs: number): void {
    switch (kind) {
      case 'kill-agent':
        return this.downFault(atMs, this.t.agents, Math.floor(this.t.agents.length / 2), (node) => ({ kind: 'kill-agent', node }), (node) => ({ kind: 'restart-agent', node }));
      case 'pause-agent':
        return this.downFault(atMs, this.t.agents, Math.floor(this.t.agents.length / 2), (node) => ({ kind: 'pause-agent', node }), (node) => ({ kind: 'resume-agent', node }));
      case 'kill-master':
        return this.downFault(atMs, this.t.masters, this.masterBudget(), (node) => ({ kind: 'kill-master', node }), (node) => ({ kind: 'restart-master', node }));
      case 'pause-master':
        return this.downFault(atMs, this.t.masters, this.masterBudget(), (node) => ({ kind: 'pause-master', node }), (node) => ({ kind: 'resume-master', node }));
      case 'crash-framework':
        return this.downFault(atMs, this.t.schedulers, this.t.schedulers.length, (node) => ({ kind: 'crash-framework', node }), (node) => ({ kind: 'restart-framework', node }));
      case 'restart-agent':
        return this.upFault(atMs, this.t.agents, (node) => ({ kind: 'restart-agent', node }));
      case 'restart-framework':
        return this.upFault(atMs, this.t.schedulers, (node) => ({ kind: 'restart-framework', node }));
      case 'failover':
        // Only the leader can give up leadership: a standby's failover never bites.
        return this.push(atMs, { kind: 'failover', master: LEADER });
      case 'restart-master':
        // The leader mostly (a new election); now and then a standby (it must rejoin quietly).
        if (this.prng.chance(0.7)) return this.push(atMs, { kind: 'restart-master', master: LEADER });
        return this.upFault(atMs, this.t.masters, (node) => ({ kind: 'restart-master', node }));
      case 'kill-task': {
        const app = this.prng.pick(this.t.services);
        if (app !== undefined) this.push(atMs, { kind: 'kill-task', task: { kind: 'of', app } });
        return;
      }
      case 'partition':
        return this.partition(atMs);
      case 'link':
        return this.link(atMs);
      case 'clog': {
        const nodes = this.someNodes(this.prng.int(1, 2));
        this.pushFault(atMs, { kind: 'clog', nodes });
        this.undo(atMs, () => ({ kind: 'unclog', nodes }));
        return;
      }
      case 'swizzle-clog': {
        const nodes = this.someNodes(this.prng.int(2, Math.min(6, this.t.nodes.length)));
        return this.pushFault(atMs, { kind: 'swizzle-clog', nodes, stepMs: grain(Math.max(TIME_GRAIN_MS, this.detectMs * this.prng.between(0.3, 2))) });
      }
      default:
        return assertNever(kind, 'fuzz kind');
    }
  }

  /** A minority of masters may be down at once (the only master, when there is one). */
  private masterBudget(): number {
    return Math.max(1, Math.floor((this.t.masters.length - 1) / 2));
  }

  /** How long a fault holds before its undo: past detection mostly, now and then minutes. */
  private holdMs(): number {
    const factor = this.prng.chance(0.2) ? this.prng.between(10, 40) : this.prng.between(1.5, 10);
    return grain(this.detectMs * factor);
  }

  private upNodes(candidates: readonly NodeId[], atMs: number): NodeId[] {
    return candidates.filter((node) => (this.downUntil.get(node) ?? -1) < atMs);
  }

  /** Takes a node down (if fewer than `budget` of its kind are down) and usually brings it back later. */
  private downFault(atMs: number, candidates: readonly NodeId[], budget: number, down: (node: NodeId) => Fault, up: (node: NodeId) => Fault): void {
    const upNow = this.upNodes(candidates, atMs);
    if (candidates.length - upNow.length >= budget) return;
    const node = this.prng.pick(upNow);
    if (node === undefined) return;
    this.pushFault(atMs, down(node));
    this.downUntil.set(node, this.undo(atMs, () => up(node)));
  }

  /** A fault on a node that is up (a process restart): it is busy for a moment. */
  private upFault(atMs: number, candidates: readonly NodeId[], fault: (node: NodeId) => Fault): void {
    const node = this.prng.pick(this.upNodes(candidates, atMs));
    if (node === undefined) return;
    this.pushFault(atMs, fault(node));
    this.downUntil.set(node, atMs + this.detectMs);
  }

  /** Schedules the undo after a hold, usually; returns when it happens (Infinity: left to the liveness phase). */
  private undo(atMs: number, fault: () => Fault): number {
    const untilMs = atMs + this.holdMs();
    if (!this.prng.chance(UNDO_CHANCE) || untilMs >= this.methodMs) return Infinity;
    this.pushFault(untilMs, fault());
    return untilMs;
  }

  private partition(atMs: number): void {
    const oneWay = this.prng.chance(0.25);
    const variant = this.prng.next();
    let step: FaultStep;
    if (variant < 0.35 || this.t.masters.length < 2) {
      step = { kind: 'partition', partition: { kind: 'isolate', node: id(this.pickFrom(this.t.agents.length > 0 ? this.t.agents : this.t.nodes)) }, oneWay };
    } else if (variant < 0.5) {
      step = { kind: 'partition', partition: { kind: 'isolate', node: LEADER }, oneWay };
    } else if (variant < 0.7) {
      const leader = this.prng.pick<LeaderSide>(['any', 'minority', 'majority']) ?? 'any';
      step = { kind: 'partition', partition: { kind: 'majority-minority', leader }, oneWay };
    } else if (variant < 0.78) {
      const others = [...this.t.masters, ...this.t.schedulers, ...(this.t.coordinator === null ? [] : [this.t.coordinator])];
      step = { kind: 'partition', partition: { kind: 'isolate', node: id(this.pickFrom(others)) }, oneWay };
    } else if (variant < 0.9 && this.t.schedulers.length > 0 && this.t.agents.length > 0 && this.t.masters.length > 0) {
      return this.schedulerCutWhileAgentLost(atMs);
    } else {
      const shuffled = this.prng.shuffle(this.t.nodes);
      const cut = this.prng.int(1, Math.max(1, Math.floor(shuffled.length / 2)));
      const groups: NodeGroup[] = [shuffled.slice(0, cut), shuffled.slice(cut, cut + this.prng.int(1, shuffled.length - cut))];
      return this.pushHealed(atMs, { kind: 'partition', groups, oneWay });
    }
    this.push(atMs, step);
    this.undo(atMs, () => ({ kind: 'heal' }));
  }

  /**
   * An agent is cut off, and before the master has declared it lost a
   * scheduler is cut from every master: the scheduler misses the agent's loss
   * (and its tasks' UNREACHABLE) and must learn it by reconciling when it gets
   * back. Both partitions hold together until one heal.
   */
  private schedulerCutWhileAgentLost(atMs: number): void {
    const agent = this.pickFrom(this.t.agents);
    const scheduler = this.pickFrom(this.t.schedulers);
    this.pushFault(atMs, { kind: 'partition', groups: [[agent], this.t.nodes.filter((n) => n !== agent)], oneWay: false });
    const cutAtMs = atMs + grain(this.detectMs * this.prng.between(0.2, 0.9));
    this.pushFault(cutAtMs, { kind: 'partition', groups: [[scheduler], [...this.t.masters]], oneWay: false });
    this.undo(cutAtMs, () => ({ kind: 'heal' }));
  }

  private link(atMs: number): void {
    const spec: { -readonly [K in keyof LinkFaultSpec]: LinkFaultSpec[K] } = {};
    // Loss or duplication (both now and then), often enough to be seen: each must show in the history to bite.
    const effect = this.prng.next();
    if (effect < 0.6) spec.loss = round2(this.prng.between(0.1, 0.5));
    else if (effect < 0.85) spec.duplicate = round2(this.prng.between(0.1, 0.4));
    else {
      spec.loss = round2(this.prng.between(0.1, 0.3));
      spec.duplicate = round2(this.prng.between(0.1, 0.3));
    }
    if (this.prng.chance(0.4)) spec.delayMs = this.prng.int(1, 50) * 10;
    if (this.prng.chance(0.3)) spec.jitterMs = this.prng.int(1, 30) * 10;
    // One node's links to everyone (or every link): a link between two nodes that never talk would never bite.
    const from = this.prng.chance(0.8) ? [this.pickFrom(this.t.nodes)] : [];
    this.pushHealed(atMs, { kind: 'link', from, to: [], oneWay: this.prng.chance(0.2), spec });
  }

  private pushHealed(atMs: number, fault: Fault): void {
    this.pushFault(atMs, fault);
    this.undo(atMs, () => ({ kind: 'heal' }));
  }

  /** 1..n distinct nodes, agents twice as likely as the rest (they carry the workload). */
  private someNodes(count: number): NodeId[] {
    const pool = this.prng.chance(0.6) && this.t.agents.length >= count ? this.t.agents : this.t.nodes;
    return this.prng.shuffle(pool).slice(0, count);
  }

  private pickFrom(nodes: readonly NodeId[]): NodeId {
    return this.prng.pick(nodes) ?? (this.t.nodes[0] as NodeId);
  }

  private pushFault(atMs: number, fault: Fault): void {
    this.push(atMs, faultStepOf(fault));
  }

  private push(atMs: number, step: FaultStep): void {
    this.faults.push({ atMs, step });
  }
}
