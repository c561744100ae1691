/**
 * Sometimes: every injected fault must be seen to bite (see fault-watch.ts for
 * the signal of each kind). A fault that never bit makes the verdict
 * inconclusive: the run did not test what it meant to test.
 */
import type { HistoryRecord } from '../../core/events.js';
import { bit, bitAtMs, FaultWatcher, type FaultWatch } from './fault-watch.js';
import { listFindings, ms, resultOf, type Checker, type CheckResult } from './types.js';

/** Builds the faults-bite checker. */
export function faultsBite(): Checker {
  const watcher = new FaultWatcher();
  const checker: Checker = {
    name: 'faults-bite',
    kind: 'sometimes',
    observe(r: HistoryRecord): void {
      watcher.observe(r);
    },
    finish(): CheckResult {
      const watches = watcher.watches;
      if (watches.length === 0) return resultOf(checker, 'pass', 'no faults were injected');
      const missed = watches.filter((w) => w.exempt === null && !bit(w));
      const lines = [...missed, ...watches.filter((w) => !missed.includes(w))].map(describeOutcome);
      if (missed.length > 0) return resultOf(checker, 'inconclusive', `${missed.length} of ${watches.length} fault(s) never bit: ${listFindings(lines)}`);
      return resultOf(checker, 'pass', `all ${watches.length} fault(s) bit or needed no proof: ${listFindings(lines)}`);
    },
  };
  return checker;
}

/** One fault's outcome in words. */
export function describeOutcome(w: FaultWatch): string {
  const head = `${w.description} at ${ms(w.atMs)}`;
  const note = w.note ? ` [${w.note}]` : '';
  if (w.exempt !== null) return `${head}: passed unproven, ${w.exempt}`;
  const at = bitAtMs(w);
  if (at !== null) return `${head}: bit at +${ms(at - w.atMs)} (${w.needs.map((n) => n.metBy ?? '?').join(', ')})${note}`;
  const unmet = w.needs.filter((n) => n.metAtMs === null).map((n) => n.label);
  return `${head}: never bit (no ${unmet.join(', no ')})${note}`;
}
