/**
 * The checkers over a history: safety (nothing bad happened), liveness
 * (something good did) and sometimes (each fault really bit), plus the
 * recovery metrics. `runCheckers` runs them all over a finished history; a
 * runner that streams can call `allCheckers()` and feed each record itself.
 */
import type { HistoryRecord } from '../../core/events.js';
import { agentUpdatesDelivered } from './agent-updates.js';
import { batchRunsOnce } from './batch-once.js';
import { noStaleEpoch } from './epochs.js';
import { offersHonourFilters } from './offer-filters.js';
import { registryWriteFirst } from './registry-first.js';
import { servicesConverge } from './convergence.js';
import { updatesDeliveredInOrder } from './delivery.js';
import { faultsBite } from './faults-bite.js';
import { noServiceOverlap } from './instances.js';
import { oneLeaderPerEpoch } from './leaders.js';
import { offersNeverOversubscribe } from './oversubscription.js';
import { lostTasksReplaced } from './reschedule.js';
import { legalTaskTransitions } from './transitions.js';
import type { CheckContext, Checker, CheckResult } from './types.js';

export type { Checker, CheckContext, CheckFinding, CheckKind, CheckResult, CheckVerdict, ServiceExpectation } from './types.js';
export { DEFAULT_SLACK_MS } from './types.js';
export { recoveryMetrics, summariseRecovery, percentile, type RecoveryMetric, type RecoverySummary } from './recovery.js';
export { rescheduleBoundMs } from './reschedule.js';
export {
  servicesConverge,
  updatesDeliveredInOrder,
  faultsBite,
  noServiceOverlap,
  oneLeaderPerEpoch,
  offersNeverOversubscribe,
  lostTasksReplaced,
  legalTaskTransitions,
  noStaleEpoch,
  registryWriteFirst,
  offersHonourFilters,
  batchRunsOnce,
  agentUpdatesDelivered,
};

/** A fresh set of every checker: safety first, then liveness, then sometimes. */
export function allCheckers(): Checker[] {
  return [
    offersNeverOversubscribe(),
    noServiceOverlap(),
    legalTaskTransitions(),
    updatesDeliveredInOrder(),
    oneLeaderPerEpoch(),
    noStaleEpoch(),
    registryWriteFirst(),
    offersHonourFilters(),
    batchRunsOnce(),
    lostTasksReplaced(),
    servicesConverge(),
    agentUpdatesDelivered(),
    faultsBite(),
  ];
}

/** Runs every checker over a history. */
export function runCheckers(records: Iterable<HistoryRecord>, ctx: CheckContext): CheckResult[] {
  const checkers = allCheckers();
  for (const record of records) for (const checker of checkers) checker.observe(record);
  return checkers.map((checker) => checker.finish(ctx));
}
