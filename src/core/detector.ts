/**
 * Master detection and epoch fencing, shared by agents and schedulers.
 * With one master the leader is static. With master HA the leader is learned from
 * the coordinator (`coordinator.leader` pushes, answering a watch). Either way
 * the detector remembers the newest epoch seen, and messages from an older
 * epoch must be dropped: that is how a deposed leader is fenced off.
 */
import type { ActorContext } from './actor.js';
import type { NodeId } from './ids.js';
import type { Message } from './messages.js';

/** Where an agent or scheduler learns who leads. */
export type LeaderSource =
  | { readonly kind: 'static'; readonly master: NodeId }
  | { readonly kind: 'coordinator'; readonly coordinator: NodeId };

/** What an agent or scheduler asks of its detector. */
export interface MasterDetector {
  /** The leader as last detected, or null while unknown. */
  leader(): NodeId | null;
  /** The newest master epoch seen. */
  epoch(): number;
  /** Starts detection (watch the coordinator); call from the actor's start(). */
  start(): void;
  /** Offers a message to the detector; true when it was a detector message (consumed). */
  receive(from: NodeId, message: Message): boolean;
  /** Asks again after losing contact with the leader. */
  redetect(): void;
  /**
   * Notes the epoch of a message from a master. Returns false when it is older
   * than the newest seen: the caller must ignore that message.
   */
  accept(epoch: number): boolean;
}

/** Called when the detected leader changes (null: no leader known). */
export type LeaderListener = (leader: NodeId | null, epoch: number) => void;

/** Builds the detector for a leader source. */
export function createDetector(ctx: ActorContext, source: LeaderSource, onChange: LeaderListener): MasterDetector {
  return new Detector(ctx, source, onChange);
}

/**
 * A class rather than closures: every agent checks an epoch on every ping, and
 * with thousands of agents one object with shared methods is far fewer cache
 * misses than a closure context and a function object per method.
 */
class Detector implements MasterDetector {
  private leaderNode: NodeId | null;
  private newestEpoch = 0;

  constructor(
    private readonly ctx: ActorContext,
    private readonly source: LeaderSource,
    private readonly onChange: LeaderListener,
  ) {
    this.leaderNode = source.kind === 'static' ? source.master : null;
  }

  leader(): NodeId | null {
    return this.leaderNode;
  }

  epoch(): number {
    return this.newestEpoch;
  }

  start(): void {
    this.redetect();
  }

  receive(_from: NodeId, message: Message): boolean {
    if (message.type !== 'coordinator.leader') return false;
    if (message.epoch < this.newestEpoch) return true;
    this.newestEpoch = message.epoch;
    if (message.leader !== this.leaderNode) {
      this.leaderNode = message.leader;
      this.onChange(this.leaderNode, this.newestEpoch);
    }
    return true;
  }

  redetect(): void {
    if (this.source.kind === 'static') this.onChange(this.leaderNode, this.newestEpoch);
    else this.ctx.send(this.source.coordinator, { type: 'coordinator.watch_leader' });
  }

  accept(epoch: number): boolean {
    if (epoch < this.newestEpoch) return false;
    this.newestEpoch = epoch;
    return true;
  }
}
