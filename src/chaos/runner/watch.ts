/**
 * What the runner learns from the history as it streams: the hash, which
 * framework id each app has, when schedulers (re)subscribed, and when the last
 * offer was made (for "no offers for 12 s").
 */
import type { HistoryRecord } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import { HistoryHasher } from '../history/index.js';
import { AppNameBook } from './build.js';

/** Folds history records for the runner. */
export class RunWatch {
  readonly hasher = new HistoryHasher();
  readonly names = new AppNameBook();
  /** Last subscription time per scheduler node. */
  private readonly subscribedAtMs = new Map<NodeId, number>();
  /** Last registration or reregistration time per agent host. */
  private readonly registeredAtMs = new Map<NodeId, number>();
  private lastOfferMs: number | null = null;
  private observed = 0;

  /** Records seen so far: the history position a phase boundary is at. */
  get count(): number {
    return this.observed;
  }

  /** Sees one record. */
  observe(r: HistoryRecord): void {
    this.observed += 1;
    this.hasher.add(r);
    switch (r.type) {
      case 'framework.subscribed':
      case 'framework.resubscribed':
        this.names.subscribed(r.name, r.frameworkId);
        this.subscribedAtMs.set(r.node, r.atMs);
        return;
      case 'agent.registered':
      case 'agent.reregistered':
        this.registeredAtMs.set(r.host, r.atMs);
        return;
      case 'offer.created':
        this.lastOfferMs = r.atMs;
        return;
      default:
        return;
    }
  }

  /** Whether the scheduler node subscribed at or after `sinceMs`. */
  subscribedSince(node: NodeId, sinceMs: number): boolean {
    return (this.subscribedAtMs.get(node) ?? -1) >= sinceMs;
  }

  /** Whether the agent host registered or reregistered at or after `sinceMs`. */
  agentRegisteredSince(host: NodeId, sinceMs: number): boolean {
    return (this.registeredAtMs.get(host) ?? -1) >= sinceMs;
  }

  /** When the last offer was made, or null. */
  lastOfferAtMs(): number | null {
    return this.lastOfferMs;
  }
}
