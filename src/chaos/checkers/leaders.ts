/**
 * Safety: at most one leader per epoch, and epochs strictly increase. Every
 * master.elected must carry an epoch above every earlier one; a repeat of an
 * epoch (by another master or the same) is a split brain or a reused epoch.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import { Findings, resultOf, type Checker, type CheckResult } from './types.js';

/** Builds the one-leader-per-epoch checker. */
export function oneLeaderPerEpoch(): Checker {
  const leaders = new Map<number, NodeId>();
  const findings = new Findings();
  let newest: number | null = null;

  const checker: Checker = {
    name: 'one-leader-per-epoch',
    kind: 'safety',
    observe(r: HistoryRecord): void {
      if (r.type !== 'master.elected') return;
      const holder = leaders.get(r.epoch);
      if (holder !== undefined && holder !== r.node) findings.add(`epoch ${r.epoch} has two leaders: ${holder} and ${r.node} (at ${r.atMs} ms)`);
      else if (newest !== null && r.epoch <= newest) findings.add(`${r.node} elected at ${r.atMs} ms with epoch ${r.epoch}, not above ${newest}`);
      if (holder === undefined) leaders.set(r.epoch, r.node);
      newest = newest === null ? r.epoch : Math.max(newest, r.epoch);
    },
    finish(): CheckResult {
      if (findings.count > 0) return resultOf(checker, 'fail', `${findings.count} leadership violation(s): ${findings.text()}`);
      if (leaders.size === 0) return resultOf(checker, 'pass', 'no master was elected');
      return resultOf(checker, 'pass', `${leaders.size} election(s), epochs rising to ${newest ?? '?'}, one leader each`);
    },
  };
  return checker;
}
