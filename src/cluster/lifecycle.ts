/**
 * Process lifecycle with its history: starting, stopping, pausing and resuming
 * a node through node control, each recorded as a `node.*` event that the
 * projection and the checkers read. The events are emitted here, once, for
 * every runtime. Order matters for the history hash: `node.started` and
 * `node.resumed` come before the node runs again (its first actions follow
 * them), `node.stopped` and `node.paused` after it stopped running.
 */
import type { ClusterEvent } from '../core/events.js';
import { assert } from '../core/errors.js';
import type { NodeId } from '../core/ids.js';
import type { NodeControl } from './node-control.js';

/** Lifecycle operations that record themselves; each does nothing when the node is already there. */
export class Lifecycle {
  constructor(
    private readonly control: NodeControl,
    private readonly emit: (event: ClusterEvent) => void,
  ) {}

  /** Starts a stopped node with fresh memory. */
  start(node: NodeId): void {
    if (this.control.status(node) !== 'stopped') return;
    this.emit({ type: 'node.started', node, role: this.roleOf(node) });
    this.control.start(node);
  }

  /** Kills a node (memory, timers and inbox gone). */
  stop(node: NodeId, reason: string): void {
    const status = this.control.status(node);
    if (status === undefined || status === 'stopped') return;
    this.control.stop(node);
    this.emit({ type: 'node.stopped', node, role: this.roleOf(node), reason });
  }

  /** Pauses a running node. */
  pause(node: NodeId): void {
    if (this.control.status(node) !== 'running') return;
    this.control.pause(node);
    this.emit({ type: 'node.paused', node });
  }

  /** Resumes a paused node. */
  resume(node: NodeId): void {
    if (this.control.status(node) !== 'paused') return;
    this.emit({ type: 'node.resumed', node });
    this.control.resume(node);
  }

  private roleOf(node: NodeId) {
    const role = this.control.role(node);
    assert(role !== undefined, `unknown node ${node}`);
    return role;
  }
}
