/**
 * `faultOf`: a fault step with target specs becomes the concrete `Fault` of
 * core/faults.ts, resolved against the state at the moment it runs.
 */
import { assertNever, err, ok, type Result } from '../../core/errors.js';
import { FAULT_KIND_TABLE } from '../../core/fault-kinds.js';
import type { Fault, NodeGroup } from '../../core/faults.js';
import type { NodeId } from '../../core/ids.js';
import type { ClusterState } from '../../core/state.js';
import { formatLoc } from './loc.js';
import { resolveTarget, splitMajorityMinority, universeOf, type ResolveOptions, type TargetRole } from './resolve.js';
import type { FaultStep, Loc, PartitionSpec, TargetSpec } from './types.js';

/** Context for `faultOf`: app names, the network's nodes, and the step's location for messages. */
export interface FaultOfOptions {
  readonly names?: ResolveOptions['names'];
  readonly nodes?: readonly NodeId[];
  /** Added to errors as `where` (`file:line:column`). */
  readonly loc?: Loc;
}



/** Resolves a fault step to a concrete Fault (typed error UNKNOWN_TARGET / FAULT_INVALID when it cannot). */
export function faultOf(step: FaultStep, state: ClusterState, random: () => number, options: FaultOfOptions = {}): Result<Fault> {
  const result = resolveFault(step, state, random, options);
  if (result.ok || options.loc === undefined) return result;
  return err(result.error.code, `${step.kind}: ${result.error.message}`, formatLoc(options.loc));
}

function resolveFault(step: FaultStep, state: ClusterState, random: () => number, options: FaultOfOptions): Result<Fault> {
  const base: ResolveOptions = { pick: FAULT_KIND_TABLE[step.kind].pick, ...(options.names ? { names: options.names } : {}), ...(options.nodes ? { nodes: options.nodes } : {}) };
  const one = (spec: TargetSpec, role: TargetRole): Result<string> => {
    const resolved = resolveTarget(spec, state, random, { ...base, role });
    if (!resolved.ok) return resolved;
    const first = resolved.value[0];
    if (first === undefined || resolved.value.length !== 1) return err('FAULT_INVALID', `${step.kind} takes exactly one ${role}, the target gave ${resolved.value.length}`);
    return ok(first);
  };
  const many = (spec: TargetSpec): Result<readonly NodeId[]> => resolveTarget(spec, state, random, { ...base, role: 'nodes' });
  switch (step.kind) {
    case 'kill-agent':
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent': {
      const node = one(step.agent, 'agent');
      return node.ok ? ok({ kind: step.kind, node: node.value }) : node;
    }
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'resume-master':
    case 'failover': {
      const node = one(step.master, 'master');
      return node.ok ? ok({ kind: step.kind, node: node.value }) : node;
    }
    case 'crash-framework':
    case 'restart-framework': {
      const node = one(step.framework, 'framework');
      return node.ok ? ok({ kind: step.kind, node: node.value }) : node;
    }
    case 'kill-task': {
      const taskId = one(step.task, 'task');
      if (!taskId.ok) return taskId;
      const task = state.tasks.get(taskId.value);
      return task === undefined ? err('UNKNOWN_TARGET', `unknown task "${taskId.value}"`) : ok({ kind: 'kill-task', taskId: task.taskId, frameworkId: task.frameworkId });
    }
    case 'heal':
      return ok({ kind: 'heal' });
    case 'partition': {
      const groups = partitionGroups(step.partition, state, random, base, many);
      return groups.ok ? ok({ kind: 'partition', groups: groups.value, oneWay: step.oneWay }) : groups;
    }
    case 'link': {
      // `all` stays an empty list: the link fault's own spelling of "every node".
      const from = step.from.kind === 'all' ? ok<readonly NodeId[]>([]) : many(step.from);
      if (!from.ok) return from;
      const to = step.to.kind === 'all' ? ok<readonly NodeId[]>([]) : many(step.to);
      if (!to.ok) return to;
      return ok({ kind: 'link', from: from.value, to: to.value, oneWay: step.oneWay, spec: step.spec });
    }
    case 'clog':
    case 'unclog': {
      const nodes = many(step.nodes);
      return nodes.ok ? ok({ kind: step.kind, nodes: nodes.value }) : nodes;
    }
    case 'swizzle-clog': {
      const nodes = many(step.nodes);
      return nodes.ok ? ok({ kind: 'swizzle-clog', nodes: nodes.value, stepMs: step.stepMs }) : nodes;
    }
    default:
      return assertNever(step, 'fault step');
  }
}

function partitionGroups(
  partition: PartitionSpec,
  state: ClusterState,
  random: () => number,
  base: ResolveOptions,
  many: (spec: TargetSpec) => Result<readonly NodeId[]>,
): Result<readonly NodeGroup[]> {
  switch (partition.kind) {
    case 'majority-minority': {
      const split = splitMajorityMinority(state, random, partition.leader, base);
      if (!split.ok) return split;
      if (split.value.minority.length === 0) return err('FAULT_INVALID', 'the cluster is too small to have a minority');
      return ok([split.value.minority, split.value.rest]);
    }
    case 'isolate': {
      const isolated = many(partition.node);
      if (!isolated.ok) return isolated;
      const inside = new Set(isolated.value);
      const rest = universeOf(state, base).filter((node) => !inside.has(node));
      if (rest.length === 0) return err('FAULT_INVALID', 'isolating every node leaves nobody on the other side');
      return ok([isolated.value, rest]);
    }
    case 'groups': {
      const groups: NodeGroup[] = [];
      const seen = new Set<NodeId>();
      for (const spec of partition.groups) {
        const group = many(spec);
        if (!group.ok) return group;
        for (const node of group.value) {
          if (seen.has(node)) return err('FAULT_INVALID', `node ${node} is in two partition groups`);
          seen.add(node);
        }
        groups.push(group.value);
      }
      return ok(groups);
    }
    default:
      return assertNever(partition, 'partition');
  }
}
