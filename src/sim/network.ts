/**
 * The simulated network: per-link latency (uniform in [min, max]), FIFO per
 * (sender, receiver) like a TCP connection, partitions (symmetric or one-way,
 * between groups; nodes in no group are unaffected), link faults (delay,
 * jitter, loss, duplication) and clogging (messages held, not lost, until the
 * node is unclogged). It decides each message's fate; the runtime carries it out.
 */
import type { LinkFaultSpec, NodeGroup } from '../core/faults.js';
import type { NodeId } from '../core/ids.js';
import type { Prng } from '../core/prng.js';

/** Latency of a healthy link. */
export interface NetworkOptions {
  readonly latencyMinMs: number;
  readonly latencyMaxMs: number;
}

/** Default: 1-5 ms one way, a datacentre LAN. */
export const DEFAULT_NETWORK: NetworkOptions = { latencyMinMs: 1, latencyMaxMs: 5 };

/** What happens to one message. */
export type Fate =
  | { readonly kind: 'deliver'; readonly atMs: number; readonly duplicateAtMs: number | null }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'lost' }
  | { readonly kind: 'held' };

interface Partition {
  readonly groupOf: ReadonlyMap<NodeId, number>;
  readonly oneWay: boolean;
}

interface LinkFault {
  readonly from: ReadonlySet<NodeId> | null;
  readonly to: ReadonlySet<NodeId> | null;
  readonly oneWay: boolean;
  readonly spec: LinkFaultSpec;
}

/** A message held by a clog, released on unclog. */
export interface HeldMessage<M> {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: M;
}

/** Network state and fate decisions. */
export class SimNetwork<M> {
  private partitions: Partition[] = [];
  private links: LinkFault[] = [];
  private readonly clogged = new Set<NodeId>();
  private held: Array<HeldMessage<M>> = [];
  /** Last delivery time per directed link (sender, then receiver), for FIFO order; nested maps so no key string is built per message. */
  private readonly lastDeliveryMs = new Map<NodeId, Map<NodeId, number>>();
  /** The latest delivery time ever given: when it is past, no message is in flight anywhere. */
  private latestDeliveryMs = 0;

  constructor(
    private readonly options: NetworkOptions,
    private readonly prng: Prng,
  ) {}

  /** Whether any partition, link fault or clog is active. */
  get faulty(): boolean {
    return this.partitions.length > 0 || this.links.length > 0 || this.clogged.size > 0;
  }

  /** Cuts the groups from each other (one-way: only messages from groups[0] to the others are dropped). */
  partition(groups: readonly NodeGroup[], oneWay: boolean): void {
    const groupOf = new Map<NodeId, number>();
    groups.forEach((group, index) => group.forEach((node) => groupOf.set(node, index)));
    this.partitions.push({ groupOf, oneWay });
  }

  /** Adds a link fault (empty lists mean every node). */
  link(from: NodeGroup, to: NodeGroup, oneWay: boolean, spec: LinkFaultSpec): void {
    this.links.push({ from: from.length > 0 ? new Set(from) : null, to: to.length > 0 ? new Set(to) : null, oneWay, spec });
  }

  /** Holds every message to or from these nodes. */
  clog(nodes: NodeGroup): void {
    nodes.forEach((n) => this.clogged.add(n));
  }

  /** Releases the nodes; returns the held messages that may now travel, in the order they were sent. */
  unclog(nodes: NodeGroup): Array<HeldMessage<M>> {
    nodes.forEach((n) => this.clogged.delete(n));
    return this.releaseHeld();
  }

  /** Heals everything: partitions, link faults and clogs. Returns released messages. */
  heal(): Array<HeldMessage<M>> {
    this.partitions = [];
    this.links = [];
    this.clogged.clear();
    return this.releaseHeld();
  }

  /** Forgets the held messages from or to a node (it stopped: they die with its connections). */
  dropHeldOf(node: NodeId): void {
    if (this.held.length > 0) this.held = this.held.filter((h) => h.from !== node && h.to !== node);
  }

  /** Nodes currently clogged. */
  cloggedNodes(): NodeId[] {
    return [...this.clogged];
  }

  /** Decides the fate of a message sent now. Held messages are kept here. */
  route(from: NodeId, to: NodeId, message: M, nowMs: number): Fate {
    if (this.partitions.length > 0 && this.blocked(from, to)) return { kind: 'blocked' };
    if (this.clogged.size > 0 && (this.clogged.has(from) || this.clogged.has(to))) {
      this.held.push({ from, to, message });
      return { kind: 'held' };
    }
    let extraMs = 0;
    let duplicate = false;
    if (this.links.length > 0) {
      for (const link of this.links) {
        if (!matches(link, from, to)) continue;
        const spec = link.spec;
        if (spec.loss !== undefined && this.prng.chance(spec.loss)) return { kind: 'lost' };
        if (spec.delayMs !== undefined) extraMs += spec.delayMs;
        if (spec.jitterMs !== undefined && spec.jitterMs > 0) extraMs += this.prng.next() * spec.jitterMs;
        if (spec.duplicate !== undefined && this.prng.chance(spec.duplicate)) duplicate = true;
      }
    }
    const latency = this.options.latencyMinMs + this.prng.next() * (this.options.latencyMaxMs - this.options.latencyMinMs);
    let fromLinks = this.lastDeliveryMs.get(from);
    if (fromLinks === undefined) {
      fromLinks = new Map();
      this.lastDeliveryMs.set(from, fromLinks);
    }
    const last = fromLinks.get(to) ?? 0;
    const atMs = Math.max(nowMs + latency + extraMs, last);
    fromLinks.set(to, atMs);
    const lastAtMs = duplicate ? atMs + this.options.latencyMinMs : atMs;
    if (lastAtMs > this.latestDeliveryMs) this.latestDeliveryMs = lastAtMs;
    return { kind: 'deliver', atMs, duplicateAtMs: duplicate ? lastAtMs : null };
  }

  /**
   * Whether a message from `from` to `to` sent now would meet no fault (no
   * partition, clog or link fault on that link) and find nothing in flight
   * before it (so delivering it at once keeps the link FIFO).
   */
  clearAndIdle(from: NodeId, to: NodeId, nowMs: number): boolean {
    if (this.partitions.length > 0 && this.blocked(from, to)) return false;
    if (this.clogged.size > 0 && (this.clogged.has(from) || this.clogged.has(to))) return false;
    if (this.links.length > 0) {
      for (const link of this.links) if (matches(link, from, to)) return false;
    }
    if (this.latestDeliveryMs < nowMs) return true;
    const last = this.lastDeliveryMs.get(from)?.get(to);
    // Strictly before now: a message due exactly now is still queued and must arrive first.
    return last === undefined || last < nowMs;
  }

  private blocked(from: NodeId, to: NodeId): boolean {
    for (const p of this.partitions) {
      const a = p.groupOf.get(from);
      const b = p.groupOf.get(to);
      if (a === undefined || b === undefined || a === b) continue;
      if (!p.oneWay || a === 0) return true;
    }
    return false;
  }

  private releaseHeld(): Array<HeldMessage<M>> {
    const stillHeld: Array<HeldMessage<M>> = [];
    const released: Array<HeldMessage<M>> = [];
    for (const h of this.held) {
      if (this.clogged.has(h.from) || this.clogged.has(h.to)) stillHeld.push(h);
      else released.push(h);
    }
    this.held = stillHeld;
    return released;
  }
}

function matches(link: LinkFault, from: NodeId, to: NodeId): boolean {
  const forward = (link.from === null || link.from.has(from)) && (link.to === null || link.to.has(to));
  if (forward || link.oneWay) return forward;
  return (link.from === null || link.from.has(to)) && (link.to === null || link.to.has(from));
}
