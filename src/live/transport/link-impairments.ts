/**
 * Faults on the links between a live master and its clients, applied to
 * frames in the master's transport: a cut (drop everything), loss (drop each
 * frame with a probability), duplication (deliver it twice), and delay with jitter (hold each frame, never
 * letting it overtake the one before it in the same direction). This is how a
 * live run without iptables partitions and degrades links, and how any live
 * run delays them: this kernel has no netem, and the only links of a live
 * cluster that carry core messages end at a master. Each direction is its own:
 * `in` is what the master receives from a node, `out` what it sends.
 */
import type { NodeId } from '../../core/ids.js';

/** One direction of a link as seen from the master. */
export type LinkDirection = 'in' | 'out';

/** What happens to a direction's frames. */
export interface Impairment {
  readonly cut: boolean;
  /** Probability in [0, 1] that a frame is dropped. */
  readonly loss: number;
  readonly delayMs: number;
  /** Uniform extra delay in [0, jitterMs). */
  readonly jitterMs: number;
  /** Probability in [0, 1] that a frame is delivered twice (the core message, as the simulation duplicates it). */
  readonly duplicate: number;
}

const NONE: Impairment = { cut: false, loss: 0, delayMs: 0, jitterMs: 0, duplicate: 0 };

/** Timers and randomness, injectable for tests. */
export interface ImpairmentClock {
  readonly now: () => number;
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
  readonly random: () => number;
}

const REAL_CLOCK: ImpairmentClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: Math.random,
};

interface Queue {
  /** Held frames in arrival order; each due no earlier than the one before it. */
  readonly held: Array<{ readonly dueMs: number; readonly deliver: () => void }>;
  /** The one timer, for the head. */
  timer: unknown;
}

/** The impairments of every link of one master. */
export class LinkImpairments {
  private readonly impairments = new Map<string, Impairment>();
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly clock: ImpairmentClock = REAL_CLOCK) {}

  /** Adds to a direction's impairment (a cut stays cut; loss, delay and jitter are replaced when given). */
  impair(node: NodeId, direction: LinkDirection, change: Partial<Impairment>): void {
    const key = keyOf(node, direction);
    const now = this.impairments.get(key) ?? NONE;
    this.impairments.set(key, { ...now, ...change, cut: now.cut || change.cut === true });
  }

  /** Whether frames in that direction are all dropped. */
  isCut(node: NodeId, direction: LinkDirection): boolean {
    return this.impairments.get(keyOf(node, direction))?.cut === true;
  }

  /** The nodes with any impairment, each once. */
  impaired(): NodeId[] {
    return [...new Set([...this.impairments.keys()].map((key) => key.slice(0, key.lastIndexOf('\u0000'))))];
  }

  /** Ends every impairment; frames already held are still delivered in order. Returns the nodes healed. */
  clear(): NodeId[] {
    const healed = this.impaired();
    this.impairments.clear();
    return healed;
  }

  /** Drops every held frame (the master closes). */
  close(): void {
    for (const queue of this.queues.values()) if (queue.timer !== null) this.clock.clearTimeout(queue.timer);
    this.queues.clear();
  }

  /**
   * Passes one frame: `deliver` runs now, later, or never, by the
   * direction's impairment; `report` hears of a loss or a duplicate (the
   * history's message.dropped / message.duplicated, which prove the fault bit). A frame behind a held one is held too, so the
   * order of a direction is kept (TCP's, which the transport rides on).
   */
  pass(node: NodeId, direction: LinkDirection, deliver: () => void, report?: (effect: 'lost' | 'duplicated') => void): void {
    const key = keyOf(node, direction);
    const impairment = this.impairments.get(key) ?? NONE;
    if (impairment.cut) return;
    if (impairment.loss > 0 && this.clock.random() < impairment.loss) {
      report?.('lost');
      return;
    }
    if (impairment.duplicate > 0 && this.clock.random() < impairment.duplicate) {
      report?.('duplicated');
      const once = deliver;
      deliver = () => {
        once();
        once();
      };
    }
    const now = this.clock.now();
    const wantedMs = impairment.delayMs + (impairment.jitterMs > 0 ? this.clock.random() * impairment.jitterMs : 0);
    const queue = this.queues.get(key);
    const last = queue?.held.at(-1);
    if (wantedMs <= 0 && last === undefined) {
      deliver();
      return;
    }
    const held = queue ?? { held: [], timer: null };
    this.queues.set(key, held);
    held.held.push({ dueMs: Math.max(now + wantedMs, last?.dueMs ?? 0), deliver });
    if (held.timer === null) this.arm(key, held);
  }

  /** One timer per direction, for its head; when it fires, everything due goes, in order. */
  private arm(key: string, queue: Queue): void {
    const head = queue.held[0];
    if (head === undefined) {
      queue.timer = null;
      this.queues.delete(key);
      return;
    }
    queue.timer = this.clock.setTimeout(() => {
      const now = this.clock.now();
      while (queue.held.length > 0 && (queue.held[0]?.dueMs ?? Infinity) <= now + 1) queue.held.shift()?.deliver();
      this.arm(key, queue);
    }, Math.max(0, head.dueMs - this.clock.now()));
  }
}

function keyOf(node: NodeId, direction: LinkDirection): string {
  return `${node}\u0000${direction}`;
}
