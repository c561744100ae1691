/**
 * Packing tasks into offers and answering the rest, shared by the built-in
 * frameworks. Offers are answered at once (never hoarded), grouped so one
 * framework sends at most one ACCEPT per used offer and one DECLINE per refuse
 * duration.
 */
import type { OfferId } from '../core/ids.js';
import type { Offer, TaskInfo } from '../core/messages.js';
import { fits, isEmpty, subtract, type Resources } from '../core/resources.js';
import type { SchedulerDriver } from './driver.js';

/** How many tasks of size `each` fit in `available`, up to `max`. */
export function fitCount(available: Resources, each: Resources, max: number): number {
  if (isEmpty(each)) return 0; // the master rejects empty tasks: never launch one
  let remaining = available;
  let n = 0;
  while (n < max && fits(each, remaining)) {
    remaining = subtract(remaining, each);
    n += 1;
  }
  return n;
}

/** What the framework wants from one offer. */
export interface OfferPlan {
  /** Tasks to launch on it (empty: decline). */
  readonly tasks: readonly TaskInfo[];
  /** How long its unused part (or all of it) should stay away. */
  readonly refuseMs: number;
}

/** Answers a batch of offers: `plan` is asked per offer, in order. */
export function answerOffers(driver: SchedulerDriver, offers: readonly Offer[], plan: (offer: Offer) => OfferPlan): void {
  const declines = new Map<number, OfferId[]>();
  for (const offer of offers) {
    const { tasks, refuseMs } = plan(offer);
    if (tasks.length > 0) {
      driver.accept(offer.offerId, tasks, refuseMs);
      continue;
    }
    const list = declines.get(refuseMs);
    if (list) list.push(offer.offerId);
    else declines.set(refuseMs, [offer.offerId]);
  }
  for (const [refuseMs, offerIds] of declines) driver.decline(offerIds, refuseMs);
}
