/**
 * What the report's timeline shows besides the faults: leader elections, the
 * schedulers' launch-timeout kills and their replacements of lost tasks, read
 * from the history (scheduler notes and master elections). Bounded: a run that
 * loses hundreds of tasks lists the first few of each kind and counts the rest.
 */
import type { HistoryRecord } from '../../core/events.js';

/** One line of the timeline that is not a fault. */
export interface Milestone {
  readonly atMs: number;
  readonly kind: 'election' | 'launch-timeout' | 'replacement';
  readonly text: string;
}

/** At most this many of each kind are listed; the rest are counted in one line. */
export const MILESTONES_PER_KIND = 8;

const LAUNCH_TIMEOUT = /not running after .*: killing it|killing \S+ on \S+: .*(launch|not running|stuck)/;
const REPLACEMENT = /replacing \S+|starting a replacement/;

function classify(record: HistoryRecord): Milestone | null {
  switch (record.type) {
    case 'master.elected':
      return { atMs: record.atMs, kind: 'election', text: `leader elected: ${record.node} (epoch ${record.epoch})` };
    case 'scheduler.note':
      if (LAUNCH_TIMEOUT.test(record.note)) return { atMs: record.atMs, kind: 'launch-timeout', text: `${record.app}: ${record.note}` };
      if (REPLACEMENT.test(record.note)) return { atMs: record.atMs, kind: 'replacement', text: `${record.app}: ${record.note}` };
      return null;
    default:
      return null;
  }
}

/** The milestones of a history, in time order, at most MILESTONES_PER_KIND of each kind plus a count of the rest. */
export function milestonesOf(history: readonly HistoryRecord[]): Milestone[] {
  const out: Milestone[] = [];
  const seen = new Map<Milestone['kind'], number>();
  const last = new Map<Milestone['kind'], number>();
  for (const record of history) {
    const milestone = classify(record);
    if (milestone === null) continue;
    const n = (seen.get(milestone.kind) ?? 0) + 1;
    seen.set(milestone.kind, n);
    last.set(milestone.kind, milestone.atMs);
    if (n <= MILESTONES_PER_KIND) out.push(milestone);
  }
  for (const [kind, n] of seen) {
    if (n <= MILESTONES_PER_KIND) continue;
    const words = kind === 'election' ? 'elections' : kind === 'launch-timeout' ? 'launch-timeout kills' : 'replacements';
    out.push({ atMs: last.get(kind) ?? 0, kind, text: `... and ${n - MILESTONES_PER_KIND} more ${words}` });
  }
  return out;
}
