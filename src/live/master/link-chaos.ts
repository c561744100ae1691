/**
 * What a partition or a degraded link means for one live master: which
 * directions of its links to connected clients are cut or degraded. Only
 * links that end at this master exist in a live cluster's transport (agents
 * and schedulers talk to masters, never to each other), so every other pair a
 * fault names has nothing to act on here. Pure: the transport applies it.
 */
import type { Fault, LinkFaultSpec, NodeGroup } from '../../core/faults.js';
import type { NodeId } from '../../core/ids.js';
import type { Impairment, LinkDirection } from '../transport/link-impairments.js';

/** One direction of one link to impair. */
export interface LinkChange {
  readonly node: NodeId;
  readonly direction: LinkDirection;
  readonly change: Partial<Impairment>;
}

/** Whether `node` is in `group` (an empty group, as in a link fault's `all`, holds every node). */
function holds(group: NodeGroup, node: NodeId): boolean {
  return group.length === 0 || group.includes(node);
}

/** The changes a partition or link fault makes on master `self`'s links to `clients`. */
export function linkChangesOf(self: NodeId, fault: Extract<Fault, { kind: 'partition' | 'link' }>, clients: readonly NodeId[]): LinkChange[] {
  const changes: LinkChange[] = [];
  const add = (node: NodeId, direction: LinkDirection, change: Partial<Impairment>): void => {
    if (!changes.some((c) => c.node === node && c.direction === direction)) changes.push({ node, direction, change });
  };
  if (fault.kind === 'partition') {
    const groupOf = (node: NodeId): number => fault.groups.findIndex((group) => group.includes(node));
    const mine = groupOf(self);
    for (const client of clients) {
      const theirs = groupOf(client);
      // A node in no group is not part of the split; two nodes in one group keep their link.
      if (mine === -1 || theirs === -1 || mine === theirs) continue;
      // One-way: only what leaves groups[0] for the others is dropped.
      if (!fault.oneWay || mine === 0) add(client, 'out', { cut: true });
      if (!fault.oneWay || theirs === 0) add(client, 'in', { cut: true });
    }
    return changes;
  }
  const degrade = impairmentOf(fault.spec);
  for (const client of clients) {
    if (holds(fault.from, self) && holds(fault.to, client)) add(client, 'out', degrade);
    if (holds(fault.from, client) && holds(fault.to, self)) add(client, 'in', degrade);
    if (!fault.oneWay) {
      if (holds(fault.to, self) && holds(fault.from, client)) add(client, 'out', degrade);
      if (holds(fault.to, client) && holds(fault.from, self)) add(client, 'in', degrade);
    }
  }
  return changes;
}

function impairmentOf(spec: LinkFaultSpec): Partial<Impairment> {
  return {
    ...(spec.loss === undefined ? {} : { loss: spec.loss }),
    ...(spec.delayMs === undefined ? {} : { delayMs: spec.delayMs }),
    ...(spec.jitterMs === undefined ? {} : { jitterMs: spec.jitterMs }),
    ...(spec.duplicate === undefined ? {} : { duplicate: spec.duplicate }),
  };
}
