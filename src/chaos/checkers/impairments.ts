/**
 * Periods in which no reschedule bound can hold, so the liveness checkers
 * judge a loss from the end of them: messages being lost or held (a lossy
 * link or a clog, until healed), a one-way partition (until healed: an agent
 * or scheduler that hears the master but cannot answer, or the reverse, sees
 * its messages vanish with no partition it could detect), no leader (between losing one and electing
 * the next), and a framework disconnected from the master (until it
 * resubscribes; only that framework's losses wait for it). A new leader knows
 * no framework until it resubscribes, so an election opens that period for
 * every framework seen so far.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { FrameworkId, NodeId } from '../../core/ids.js';

interface Interval {
  readonly fromMs: number;
  readonly toMs: number;
  /** Set when only that framework's losses are excused. */
  readonly frameworkId: FrameworkId | null;
}

/** Collects impaired periods from a history. */
export class Impairments {
  private readonly closed: Interval[] = [];
  private readonly open = new Map<string, { fromMs: number; frameworkId: FrameworkId | null }>();
  private leader: NodeId | null = null;
  private readonly frameworks = new Set<FrameworkId>();

  /** Sees the next record. */
  observe(r: HistoryRecord): void {
    switch (r.type) {
      case 'fault.injected': {
        const f = r.fault;
        if (f.kind === 'link' && (f.spec.loss ?? 0) > 0) this.start('loss', r.atMs);
        else if (f.kind === 'clog') this.start('clog', r.atMs);
        else if (f.kind === 'partition' && f.oneWay) this.start('one-way', r.atMs);
        else if (f.kind === 'unclog') this.end('clog', r.atMs);
        else if (f.kind === 'swizzle-clog') this.closed.push({ fromMs: r.atMs, toMs: r.atMs + 2 * f.nodes.length * f.stepMs, frameworkId: null });
        else if (f.kind === 'heal') {
          this.end('loss', r.atMs);
          this.end('clog', r.atMs);
          this.end('one-way', r.atMs);
        }
        return;
      }
      case 'master.elected':
        this.leader = r.node;
        this.end('leader', r.atMs);
        for (const frameworkId of this.frameworks) this.start(`fw:${frameworkId}`, r.atMs, frameworkId);
        return;
      case 'master.deposed':
      case 'node.stopped':
      case 'node.paused':
        if (r.node === this.leader) {
          this.leader = null;
          this.start('leader', r.atMs);
        }
        return;
      case 'framework.disconnected':
        this.start(`fw:${r.frameworkId}`, r.atMs, r.frameworkId);
        return;
      case 'framework.subscribed':
      case 'framework.resubscribed':
        this.frameworks.add(r.frameworkId);
        this.end(`fw:${r.frameworkId}`, r.atMs);
        return;
      default:
        return;
    }
  }

  /**
   * When a loss at `lostAtMs` of `frameworkId` starts to count: pushed past every
   * impaired period that begins before its bound runs out (`untilMs` closes any
   * period still open when the run ended).
   */
  judgedFrom(lostAtMs: number, boundMs: number, frameworkId: FrameworkId | null, untilMs: number): number {
    const intervals = [
      ...this.closed,
      ...[...this.open.values()].map((o) => ({ fromMs: o.fromMs, toMs: untilMs, frameworkId: o.frameworkId })),
    ]
      // With no framework named, every framework's disconnection counts.
      .filter((i) => i.frameworkId === null || frameworkId === null || i.frameworkId === frameworkId)
      .sort((a, b) => a.fromMs - b.fromMs);
    let startMs = lostAtMs;
    for (const i of intervals) {
      if (i.fromMs > startMs + boundMs) break;
      if (i.toMs >= startMs) startMs = Math.max(startMs, i.toMs);
    }
    return startMs;
  }

  private start(key: string, atMs: number, frameworkId: FrameworkId | null = null): void {
    if (!this.open.has(key)) this.open.set(key, { fromMs: atMs, frameworkId });
  }

  private end(key: string, atMs: number): void {
    const o = this.open.get(key);
    if (!o) return;
    this.open.delete(key);
    this.closed.push({ fromMs: o.fromMs, toMs: atMs, frameworkId: o.frameworkId });
  }
}
