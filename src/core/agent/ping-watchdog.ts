/**
 * The agent's side of health checking: the master is lost when no ping has
 * come for agentPingTimeoutMs x maxAgentPingTimeouts.
 *
 * Lazy: a ping only records when it came, and the timer, when it fires
 * before the window has passed since the last ping, re-arms for what is left.
 * Re-arming on every ping would cost a timer per agent per ping interval for
 * nothing. A class (one small object per agent) because every ping touches it.
 */
import type { ActorContext } from '../actor.js';

export class PingWatchdog {
  private lastPingMs = 0;
  private armed = false;

  constructor(
    private readonly ctx: ActorContext,
    private readonly timerKey: string,
    private readonly windowMs: number,
  ) {}

  /** A ping came (or the agent just registered): the window starts again. */
  ping(): void {
    this.lastPingMs = this.ctx.now();
    if (this.armed) return;
    this.armed = true;
    this.ctx.setTimer(this.timerKey, this.windowMs);
  }

  /** Stops watching (the agent is (re)registering or shutting down). */
  disarm(): void {
    if (!this.armed) return;
    this.armed = false;
    this.ctx.cancelTimer(this.timerKey);
  }

  /** The timer fired: true when the window has passed with no ping (the master is lost), else it re-arms. */
  fired(): boolean {
    this.armed = false;
    const leftMs = this.lastPingMs + this.windowMs - this.ctx.now();
    if (leftMs <= 0) return true;
    this.armed = true;
    this.ctx.setTimer(this.timerKey, leftMs);
    return false;
  }
}
