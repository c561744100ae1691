/**
 * Faults with concrete targets, as the runtime (simulated or live) applies them.
 * Target specs like `random`, `leader` or `minority` are resolved to these by the
 * chaos layer (or the TUI's selection) before injection.
 */
import type { FrameworkId, NodeId, TaskId } from './ids.js';

/** A set of nodes on one side of a partition. */
export type NodeGroup = readonly NodeId[];

/** Link fault parameters (each optional; unset keeps the current value). */
export interface LinkFaultSpec {
  /** Extra one-way delay added to every message. */
  readonly delayMs?: number;
  /** Uniform jitter added on top of the delay: [0, jitterMs). */
  readonly jitterMs?: number;
  /** Probability (0..1) that a message is lost. */
  readonly loss?: number;
  /** Probability (0..1) that a message is delivered twice. */
  readonly duplicate?: number;
}

/** A fault with concrete targets. */
export type Fault =
  | { readonly kind: 'kill-agent'; readonly node: NodeId }
  | { readonly kind: 'restart-agent'; readonly node: NodeId }
  | { readonly kind: 'pause-agent'; readonly node: NodeId }
  | { readonly kind: 'resume-agent'; readonly node: NodeId }
  /** Messages between any node of one group and any node of another are dropped (one-way: only from groups[0] to the rest). */
  | { readonly kind: 'partition'; readonly groups: readonly NodeGroup[]; readonly oneWay: boolean }
  | { readonly kind: 'heal' }
  /** Link faults between `from` and `to` (both directions unless oneWay). Empty lists mean every node. */
  | { readonly kind: 'link'; readonly from: NodeGroup; readonly to: NodeGroup; readonly oneWay: boolean; readonly spec: LinkFaultSpec }
  /** Messages to and from these nodes are held (not lost) until unclogged. */
  | { readonly kind: 'clog'; readonly nodes: NodeGroup }
  | { readonly kind: 'unclog'; readonly nodes: NodeGroup }
  /** FoundationDB's swizzle-clog: clog the nodes one by one, then unclog them in a random order. */
  | { readonly kind: 'swizzle-clog'; readonly nodes: NodeGroup; readonly stepMs: number }
  | { readonly kind: 'kill-master'; readonly node: NodeId }
  | { readonly kind: 'restart-master'; readonly node: NodeId }
  | { readonly kind: 'pause-master'; readonly node: NodeId }
  | { readonly kind: 'resume-master'; readonly node: NodeId }
  /** Make the leader give up leadership (its coordinator session is expired). */
  | { readonly kind: 'failover'; readonly node: NodeId }
  | { readonly kind: 'kill-task'; readonly taskId: TaskId; readonly frameworkId: FrameworkId }
  | { readonly kind: 'crash-framework'; readonly node: NodeId }
  | { readonly kind: 'restart-framework'; readonly node: NodeId };

/** The `kind` strings of all faults. */
export type FaultKind = Fault['kind'];

/** The concrete target(s) of a fault in one line: `agent-3`, `[agent-1] | [master-1,master-2]`. */
export function faultTarget(fault: Fault): string {
  switch (fault.kind) {
    case 'kill-agent':
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent':
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'resume-master':
    case 'failover':
    case 'crash-framework':
    case 'restart-framework':
      return fault.node;
    case 'kill-task':
      return fault.taskId;
    case 'partition':
      return fault.groups.map((g) => `[${g.join(',')}]`).join(fault.oneWay ? ' -> ' : ' | ');
    case 'heal':
      return 'all';
    case 'link':
      return `${fault.from.join(',') || '*'} ${fault.oneWay ? '->' : '<->'} ${fault.to.join(',') || '*'}`;
    case 'clog':
    case 'unclog':
    case 'swizzle-clog':
      return fault.nodes.join(',');
  }
}

/** One-line description of a fault for status lines, events and reports: its kind and target. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'heal':
      return 'heal';
    case 'partition':
      return `partition${fault.oneWay ? ' (one-way)' : ''} ${fault.groups.map((g) => `[${g.join(',')}]`).join(' | ')}`;
    case 'link':
      return `link ${faultTarget(fault)} ${Object.entries(fault.spec)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`;
    case 'swizzle-clog':
      return `swizzle-clog ${faultTarget(fault)} every ${fault.stepMs}ms`;
    default:
      return `${fault.kind} ${faultTarget(fault)}`;
  }
}
