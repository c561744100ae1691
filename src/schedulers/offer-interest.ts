/**
 * SUPPRESS when a framework needs nothing, REVIVE the moment it needs something
 * (which also clears its decline filters, so a replacement can launch in the next
 * allocation cycle), and repeat REVIVE while offers are needed and none come, so
 * a REVIVE lost on the network cannot stall it (Marathon's revive repetitions).
 */
import type { ActorContext } from '../core/actor.js';
import type { Timing } from '../core/timing.js';
import { reviveRepeatMsOf } from './defaults.js';
import type { SchedulerDriver } from './driver.js';

/** Tracks what the master was last told and tells it again only on a change. */
export class OfferInterest {
  /** What we last told the master (null: nothing since the last subscribe). */
  private told: 'revived' | 'suppressed' | null = null;
  private offersSinceRevive = 0;

  constructor(
    private readonly ctx: ActorContext,
    private readonly driver: SchedulerDriver,
    private readonly timing: Timing,
    /** The timer key of the revive repetition (unique within the actor). */
    readonly timerKey: string,
  ) {}

  /** Forgets what the master was told: after a (re)subscribe the new connection knows nothing. */
  reset(): void {
    this.told = null;
    this.ctx.cancelTimer(this.timerKey);
  }

  /** Offers arrived (REVIVE evidently worked). */
  offersReceived(): void {
    this.offersSinceRevive += 1;
  }

  /** Tells the master whether offers are wanted, if that changed. No-op while not subscribed. */
  sync(wanted: boolean): void {
    if (this.driver.phase() !== 'subscribed') return;
    if (wanted) {
      if (this.told === 'revived') return;
      this.told = 'revived';
      this.offersSinceRevive = 0;
      this.driver.revive();
      this.ctx.setTimer(this.timerKey, reviveRepeatMsOf(this.timing));
      return;
    }
    if (this.told === 'suppressed') return;
    this.told = 'suppressed';
    this.ctx.cancelTimer(this.timerKey);
    this.driver.suppress();
  }

  /** The revive repetition timer fired: `wanted` says whether offers are still needed. */
  timer(wanted: boolean): void {
    if (!wanted || this.told !== 'revived') return;
    if (this.offersSinceRevive === 0 && this.driver.phase() === 'subscribed') this.driver.revive();
    this.offersSinceRevive = 0;
    this.ctx.setTimer(this.timerKey, reviveRepeatMsOf(this.timing));
  }
}
