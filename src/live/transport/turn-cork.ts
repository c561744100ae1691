/**
 * Corks sockets until the event loop's next check phase, so every frame
 * written to one socket in this turn leaves in one writev instead of a system
 * call each (a master relays a burst of acks to an agent, a stream of updates
 * to a scheduler). The live NodeHost runs each delivered message in its own
 * setImmediate callback, so uncorking on process.nextTick would flush after
 * every message; an immediate queued now runs after this turn's callbacks.
 */
import type { Writable } from 'node:stream';

/** The sockets corked in this turn, uncorked together. */
export class TurnCork {
  private readonly corked = new Set<Writable>();
  private scheduled = false;

  /** Corks `socket` (once per turn) until the flush. */
  cork(socket: Writable): void {
    if (this.corked.has(socket)) return;
    socket.cork();
    this.corked.add(socket);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const sockets = [...this.corked];
    this.corked.clear();
    // A destroyed socket takes the uncork as a no-op.
    for (const socket of sockets) socket.uncork();
  }
}
