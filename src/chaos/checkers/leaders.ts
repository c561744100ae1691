/**
 * Safety: at most one leader per epoch, and epochs strictly increase. Every
 * master.elected must carry an epoch above every earlier one; a repeat of an
 * epoch by another master is a split brain, a lower epoch is a reused one.
 *
 * One exception: a lone master (no coordinator, epoch always 1, PROTOCOL.md)
 * that was stopped and is elected again with the newest epoch. Its epoch lived
 * in memory only and the old incarnation is dead, so two leaders can never hold
 * that epoch at once. The detail counts such re-elections.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import { Findings, pointOf, ms, resultOf, type Checker, type CheckResult } from './types.js';

/** Builds the one-leader-per-epoch checker. */
export function oneLeaderPerEpoch(): Checker {
  const leaders = new Map<number, NodeId>();
  const stopped = new Set<NodeId>();
  const findings = new Findings();
  let newest: number | null = null;
  let restarts = 0;

  const checker: Checker = {
    name: 'one-leader-per-epoch',
    kind: 'safety',
    observe(r: HistoryRecord): void {
      if (r.type === 'node.stopped' && r.role === 'master') stopped.add(r.node);
      if (r.type !== 'master.elected') return;
      const holder = leaders.get(r.epoch);
      const restartedLone = holder === r.node && r.epoch === newest && stopped.has(r.node);
      if (holder !== undefined && holder !== r.node) findings.add(`epoch ${r.epoch} has two leaders: ${holder} and ${r.node} (at ${ms(r.atMs)})`, pointOf(r));
      else if (restartedLone) restarts += 1;
      else if (newest !== null && r.epoch <= newest) findings.add(`${r.node} elected at ${ms(r.atMs)} with epoch ${r.epoch}, not above ${newest}`, pointOf(r));
      if (holder === undefined) leaders.set(r.epoch, r.node);
      stopped.delete(r.node);
      newest = newest === null ? r.epoch : Math.max(newest, r.epoch);
    },
    finish(): CheckResult {
      if (findings.count > 0) return resultOf(checker, 'fail', `${findings.count} leadership violation(s): ${findings.text()}`, findings.list());
      if (leaders.size === 0) return resultOf(checker, 'pass', 'no master was elected');
      const again = restarts > 0 ? `; ${restarts} re-election(s) of a restarted lone master in its epoch` : '';
      return resultOf(checker, 'pass', `${leaders.size} election(s), epochs rising to ${newest ?? '?'}, one leader each${again}`);
    },
  };
  return checker;
}
