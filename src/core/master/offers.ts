/**
 * Offers: the allocation cycle turns the allocator's grants into offers (one per
 * framework and agent, one `master.offers` per framework per cycle); decline,
 * rescind and removal give the resources back to the allocator.
 */
import type { FrameworkId, OfferId } from '../ids.js';
import { offerIdOf } from '../ids.js';
import type { Offer } from '../messages.js';
import type { Timing } from '../timing.js';
import type { MasterCore } from './core.js';
import type { FrameworkRecord, OfferRecord } from './types.js';

/** Mesos caps refuse_seconds at one year (MESOS-7660). */
const MAX_REFUSE_MS = 365 * 24 * 3600 * 1000;

/**
 * The refuse filter for a decline or the unused part of an accept: default when
 * unset or negative, capped at a year, and never shorter than one allocation
 * interval (Mesos MESOS-4302: a filter must hold for the next cycle of its agent).
 * Mesos expires such a filter after the cycle that falls on the same instant;
 * here a filter ending at that instant would already be expired for that cycle,
 * so the floor is one interval plus 1 ms. Zero means no filter.
 */
export function refuseFilterMs(timing: Timing, refuseMs: number | undefined): number {
  const asked = refuseMs === undefined || !Number.isFinite(refuseMs) || refuseMs < 0 ? timing.defaultRefuseMs : Math.min(refuseMs, MAX_REFUSE_MS);
  return asked === 0 ? 0 : Math.max(asked, timing.allocationIntervalMs + 1);
}

/**
 * Rescinds every offer outstanding for offerTimeoutMs or longer (Mesos `--offer_timeout`): an
 * offer the framework never answered was lost on its way or dropped by the framework, and its
 * resources must come back. Checked at each allocation cycle, before the allocator runs, so they
 * are offered again in that cycle; offers are kept oldest first, so the sweep stops at the first
 * young one.
 */
export function expireOffers(core: MasterCore): void {
  const timeoutMs = core.timing.offerTimeoutMs;
  if (timeoutMs <= 0) return;
  const nowMs = core.ctx.now();
  for (const [offerId, madeAtMs] of core.mem.offerMadeAtMs) {
    if (nowMs - madeAtMs < timeoutMs) return;
    const offer = core.mem.offers.get(offerId);
    if (offer) rescindOffer(core, offer, `unanswered for ${timeoutMs} ms (offer timeout)`);
    else core.mem.offerMadeAtMs.delete(offerId);
  }
}

/** One allocation cycle: expired offers come back, every grant becomes an offer; each framework gets one `master.offers`. */
export function runAllocation(core: MasterCore): void {
  const { ctx, mem } = core;
  expireOffers(core);
  const nowMs = ctx.now();
  const allocations = core.allocator.allocate(nowMs, () => ctx.random());
  const byFramework = new Map<FrameworkId, Offer[]>();
  for (const grant of allocations) {
    const agent = mem.agents.get(grant.agentId);
    const framework = mem.frameworks.get(grant.frameworkId);
    if (!agent || agent.state !== 'registered' || agent.busy || !framework || framework.state !== 'active') {
      // The master cannot offer this (agent leaving, framework gone quiet): hand it straight back.
      core.allocator.recoverResources(grant.frameworkId, grant.agentId, grant.resources, 0, nowMs);
      continue;
    }
    const offer: OfferRecord = {
      offerId: offerIdOf(core.masterId, mem.nextOffer++),
      frameworkId: framework.frameworkId,
      agentId: agent.agentId,
      host: agent.host,
      role: grant.role,
      resources: grant.resources,
      attributes: agent.attributes,
    };
    mem.offers.set(offer.offerId, offer);
    mem.offerMadeAtMs.set(offer.offerId, nowMs);
    agent.offers.add(offer.offerId);
    framework.offers.add(offer.offerId);
    ctx.emit({ type: 'offer.created', offerId: offer.offerId, frameworkId: offer.frameworkId, agentId: offer.agentId, resources: offer.resources });
    const batch = byFramework.get(framework.frameworkId);
    if (batch) batch.push(offer);
    else byFramework.set(framework.frameworkId, [offer]);
  }
  for (const [frameworkId, offers] of byFramework) {
    const framework = mem.frameworks.get(frameworkId);
    if (framework) ctx.send(framework.node, { type: 'master.offers', epoch: core.epoch, offers });
  }
}

/** Removes an offer from the tables; its resources are the caller's to recover. */
export function removeOffer(core: MasterCore, offer: OfferRecord): void {
  core.mem.offers.delete(offer.offerId);
  core.mem.offerMadeAtMs.delete(offer.offerId);
  core.mem.agents.get(offer.agentId)?.offers.delete(offer.offerId);
  core.mem.frameworks.get(offer.frameworkId)?.offers.delete(offer.offerId);
}

/** Rescinds an offer: resources back unfiltered, `offer.rescinded`, and (with `notify`) `master.rescind` to the scheduler. */
export function rescindOffer(core: MasterCore, offer: OfferRecord, reason: string, notify = true): void {
  removeOffer(core, offer);
  core.allocator.recoverResources(offer.frameworkId, offer.agentId, offer.resources, 0, core.ctx.now());
  core.ctx.emit({ type: 'offer.rescinded', offerId: offer.offerId, frameworkId: offer.frameworkId, reason });
  const framework = core.mem.frameworks.get(offer.frameworkId);
  // Sent even to a disconnected scheduler: if it is only partitioned away, it must drop the offer when it hears this.
  if (framework && notify) core.ctx.send(framework.node, { type: 'master.rescind', epoch: core.epoch, offerId: offer.offerId });
}

/** Rescinds every offer in the set (an agent's or a framework's). */
export function rescindAll(core: MasterCore, offerIds: ReadonlySet<OfferId>, reason: string, notify = true): void {
  for (const offerId of [...offerIds]) {
    const offer = core.mem.offers.get(offerId);
    if (offer) rescindOffer(core, offer, reason, notify);
  }
}

/** DECLINE: each outstanding offer of the framework goes back with the refuse filter; unknown ids are ignored. */
export function declineOffers(core: MasterCore, framework: FrameworkRecord, offerIds: readonly OfferId[], refuseMs: number | undefined): void {
  const filterMs = refuseFilterMs(core.timing, refuseMs);
  for (const offerId of offerIds) {
    const offer = core.mem.offers.get(offerId);
    if (!offer || offer.frameworkId !== framework.frameworkId) continue;
    removeOffer(core, offer);
    core.allocator.recoverResources(offer.frameworkId, offer.agentId, offer.resources, filterMs, core.ctx.now());
    core.ctx.emit({ type: 'offer.declined', offerId, frameworkId: offer.frameworkId, refuseMs: filterMs });
    if (filterMs > 0) core.ctx.emit({ type: 'offer.filtered', frameworkId: offer.frameworkId, agentId: offer.agentId, resources: offer.resources, refuseMs: filterMs });
  }
}
