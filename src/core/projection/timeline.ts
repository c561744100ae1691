/**
 * Seeking a projection over a loaded history: the state as it was after any
 * number of records. The fold keeps a snapshot (a deep copy of the projection)
 * every `snapshotEvery` records as it first passes them; a seek backwards, or
 * far forwards, restores the snapshot at or before the position and folds on
 * from there, so no seek folds more than `snapshotEvery` records (plus the
 * first pass over records never reached). A seek a little forward folds on
 * from where it is. Pure and deterministic: the same history and position give
 * the same state.
 */
import type { HistoryRecord } from '../events.js';
import type { ClusterState } from '../state.js';
import { ClusterProjection, type ProjectionOptions } from '../projection.js';
import { deepClone } from './clone.js';

/** Options of a timeline. */
export interface TimelineOptions {
  /** Records between snapshots (default 5,000: a seek folds at most that many). */
  readonly snapshotEvery?: number;
  readonly projection?: ProjectionOptions;
}

/** A history with a movable position: `position` records folded (0 = before the first). */
export class ProjectionTimeline {
  readonly snapshotEvery: number;
  private readonly options: ProjectionOptions;
  /** snapshots[k] is the projection after k * snapshotEvery records. */
  private readonly snapshots: ClusterProjection[] = [];
  private current: ClusterProjection;
  private at = 0;

  constructor(
    private readonly records: readonly HistoryRecord[],
    options: TimelineOptions = {},
  ) {
    this.snapshotEvery = Math.max(1, Math.floor(options.snapshotEvery ?? 5_000));
    this.options = options.projection ?? {};
    this.current = new ClusterProjection(this.options);
    this.snapshots.push(deepClone(this.current));
  }

  /** Records in the history. */
  get length(): number {
    return this.records.length;
  }

  /** Records folded into the current state. */
  get position(): number {
    return this.at;
  }

  /** The last record folded, or null at position 0. */
  get lastRecord(): HistoryRecord | null {
    return this.at === 0 ? null : (this.records[this.at - 1] ?? null);
  }

  /** Moves to `position` (clamped to 0..length) and returns the state there. */
  seek(position: number): ClusterState {
    const target = Math.max(0, Math.min(this.records.length, Math.floor(position)));
    const every = this.snapshotEvery;
    const slot = Math.floor(target / every);
    const known = this.snapshots.length - 1;
    // Restore a snapshot when going back, or when one lies ahead of us and nearer the target.
    if (target < this.at || (Math.min(slot, known) * every > this.at)) {
      const from = Math.min(slot, known);
      this.current = deepClone(this.snapshots[from] as ClusterProjection);
      this.at = from * every;
    }
    this.foldTo(target);
    return this.current.snapshot();
  }

  /** The state at the current position. */
  state(): ClusterState {
    return this.current.snapshot();
  }

  private foldTo(target: number): void {
    const every = this.snapshotEvery;
    while (this.at < target) {
      this.current.apply(this.records[this.at] as HistoryRecord);
      this.at += 1;
      if (this.at % every === 0 && this.at / every === this.snapshots.length) this.snapshots.push(deepClone(this.current));
    }
  }
}
