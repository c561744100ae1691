/**
 * Safety: offers respect the agent's reachability and the framework's filters.
 *
 * - When an agent is marked unreachable or removed, every offer outstanding on
 *   it is rescinded in the same instant (Mesos rescinds before telling anyone
 *   the agent is lost); none may be accepted after that.
 * - No offer breaks an active filter: none to a framework between SUPPRESS and
 *   REVIVE (or its next subscription), and none on an agent whose bundle a live
 *   refuse filter of the framework contains (offer.filtered, for refuseMs).
 *   REVIVE clears the framework's filters; an agent leaving the allocator
 *   (unreachable, removed) takes its filters with it; a new leader starts with
 *   none.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { AgentId, FrameworkId, OfferId } from '../../core/ids.js';
import { contains, formatResources, type Resources } from '../../core/resources.js';
import { Findings, pointOf, ms, resultOf, type Checker, type CheckResult } from './types.js';

interface OutstandingOffer {
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
}

interface Filter {
  readonly resources: Resources;
  readonly untilMs: number;
  readonly sinceMs: number;
}

/** Builds the offers-honour-filters checker. */
export function offersHonourFilters(): Checker {
  const findings = new Findings();
  const outstanding = new Map<OfferId, OutstandingOffer>();
  /** Offers that had to be rescinded when their agent was lost, and when. */
  const dueRescind = new Map<OfferId, number>();
  const suppressed = new Map<FrameworkId, number>();
  const filters = new Map<FrameworkId, Map<AgentId, Filter[]>>();
  let offers = 0;
  let filtersSeen = 0;

  const overdue = (nowMs: number): void => {
    for (const [offerId, dueMs] of dueRescind) {
      if (nowMs <= dueMs) continue;
      dueRescind.delete(offerId);
      if (outstanding.has(offerId)) findings.add(`offer ${offerId} still outstanding at ${ms(nowMs)} after its agent was lost at ${ms(dueMs)}`, { atMs: nowMs, seqs: [] });
    }
  };

  const agentLeft = (agentId: AgentId, atMs: number): void => {
    for (const [offerId, offer] of outstanding) if (offer.agentId === agentId) dueRescind.set(offerId, atMs);
    for (const byAgent of filters.values()) byAgent.delete(agentId);
  };

  const broken = (frameworkId: FrameworkId, agentId: AgentId, resources: Resources, atMs: number): Filter | undefined => {
    const list = filters.get(frameworkId)?.get(agentId);
    return list?.find((f) => atMs < f.untilMs && contains(f.resources, resources));
  };

  const checker: Checker = {
    name: 'offers-honour-filters',
    kind: 'safety',
    observe(r: HistoryRecord): void {
      overdue(r.atMs);
      switch (r.type) {
        case 'offer.created': {
          offers += 1;
          outstanding.set(r.offerId, { frameworkId: r.frameworkId, agentId: r.agentId });
          const since = suppressed.get(r.frameworkId);
          if (since !== undefined) findings.add(`offer ${r.offerId} to ${r.frameworkId} at ${ms(r.atMs)} while it is suppressed (since ${ms(since)})`, pointOf(r));
          const filter = broken(r.frameworkId, r.agentId, r.resources, r.atMs);
          if (filter) {
            findings.add(`offer ${r.offerId} of ${formatResources(r.resources)} on ${r.agentId} to ${r.frameworkId} at ${ms(r.atMs)} breaks its filter from ${ms(filter.sinceMs)} until ${ms(filter.untilMs)}`, pointOf(r));
          }
          return;
        }
        case 'offer.accepted':
          if (dueRescind.has(r.offerId)) findings.add(`offer ${r.offerId} accepted at ${ms(r.atMs)} after its agent was lost`, pointOf(r));
          outstanding.delete(r.offerId);
          dueRescind.delete(r.offerId);
          return;
        case 'offer.declined':
        case 'offer.rescinded':
          outstanding.delete(r.offerId);
          dueRescind.delete(r.offerId);
          return;
        case 'offer.filtered': {
          filtersSeen += 1;
          let byAgent = filters.get(r.frameworkId);
          if (byAgent === undefined) filters.set(r.frameworkId, (byAgent = new Map()));
          const list = (byAgent.get(r.agentId) ?? []).filter((f) => r.atMs < f.untilMs);
          list.push({ resources: r.resources, untilMs: r.atMs + r.refuseMs, sinceMs: r.atMs });
          byAgent.set(r.agentId, list);
          return;
        }
        case 'framework.suppressed':
          if (!suppressed.has(r.frameworkId)) suppressed.set(r.frameworkId, r.atMs);
          return;
        case 'framework.revived':
          suppressed.delete(r.frameworkId);
          filters.delete(r.frameworkId);
          return;
        case 'framework.subscribed':
        case 'framework.resubscribed':
          suppressed.delete(r.frameworkId);
          return;
        case 'framework.removed':
          suppressed.delete(r.frameworkId);
          filters.delete(r.frameworkId);
          return;
        case 'agent.unreachable':
        case 'agent.removed':
          agentLeft(r.agentId, r.atMs);
          return;
        case 'master.elected':
          // A new allocator: no filters, no suppression; the old leader's offers are void.
          suppressed.clear();
          filters.clear();
          outstanding.clear();
          dueRescind.clear();
          return;
        default:
          return;
      }
    },
    finish(): CheckResult {
      overdue(Infinity);
      if (findings.count > 0) return resultOf(checker, 'fail', `${findings.count} offer violation(s): ${findings.text()}`, findings.list());
      return resultOf(checker, 'pass', `${offers} offer(s), none breaking ${filtersSeen} refuse filter(s) or a suppression; offers on lost agents rescinded at once`);
    },
  };
  return checker;
}
