/**
 * One history from many processes. Every daemon of a live run appends its
 * core events to an event log of its own; this process (the runner, its
 * schedulers, the cluster layer's lifecycle and fault records) emits its own.
 * Entries from different processes arrive out of order, so they pass through
 * a merger that holds each for a short window and releases them in time
 * order (all processes share the machine's clock). The released stream is an
 * ordinary HistoryLog: sequence numbers, the projection, the checkers and the
 * JSONL file see what a simulation gives them.
 */
import type { ClusterEvent } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import { HistoryLog } from '../../cluster/history-log.js';
import { createEpochClock, EventMerger, type EventLogEntry } from '../history/index.js';

/** The source name of this process's own events. */
export const RUNNER_SOURCE = 'runner';

/** The wall clock in epoch ms with sub-ms precision: the daemons' event logs use the same clock. */
export const epochNowMs = createEpochClock();

/** A history log fed by a time-ordering merger. */
export class MergedHistoryLog extends HistoryLog {
  private readonly stamp: { ms: number };
  private readonly merger: EventMerger;
  private lastAtMs = 0;

  constructor(
    private readonly startEpochMs: number,
    holdMs = 150,
  ) {
    const stamp = { ms: 0 };
    super({ now: () => stamp.ms });
    this.stamp = stamp;
    this.merger = new EventMerger({ holdMs });
  }

  /** This process's event (the cluster layer, the schedulers): stamped now, merged with the daemons'. */
  override emit(event: ClusterEvent, node: NodeId = RUNNER_SOURCE): void {
    this.merger.push(RUNNER_SOURCE, { atEpochMs: epochNowMs(), node, event });
  }

  /**
   * A daemon's entry. Its own lifecycle records (`node.*`) and the faults it
   * carried out for the runner (`fault.injected`) are dropped: the runner
   * records those itself, when it causes them.
   */
  pushDaemon(source: string, entry: EventLogEntry): void {
    if (entry.event.type.startsWith('node.') || entry.event.type === 'fault.injected') return;
    this.merger.push(source, entry);
  }

  /** Releases what is older than the hold window (all of it with `all`). */
  flush(all = false): void {
    const entries = all ? this.merger.drainAll() : this.merger.drain(epochNowMs());
    for (const entry of entries) {
      // A late entry keeps its place after what was released already: record times never go back.
      this.lastAtMs = Math.max(this.lastAtMs, entry.atEpochMs - this.startEpochMs);
      this.stamp.ms = Math.round(this.lastAtMs);
      super.emit(entry.event as ClusterEvent);
    }
  }
}
