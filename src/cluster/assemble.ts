/**
 * Assembly: which actor is built for each node of a spec. One master, or HA
 * masters that elect through a coordinator; agents with their disks and the
 * runtime's executor; the frameworks with their disks. The nodes are added to
 * the runtime stopped and started in the same order by the caller, so both
 * runtimes build the same cluster for the same spec.
 */
import type { TaskExecutor } from '../core/actor.js';
import { createAgent, newAgentDisk, type AgentDisk } from '../core/agent/index.js';
import { createDrfAllocator } from '../core/allocator/drf.js';
import { createCoordinator } from '../core/coordinator/coordinator.js';
import type { NodeId } from '../core/ids.js';
import { createHaMaster, createMaster } from '../core/master/index.js';
import type { NodeControl } from './node-control.js';
import { COORDINATOR_NODE, leaderSourceOf, masterNodes, type ClusterSpec, type FrameworkNodeSpec } from './spec.js';

/** What a runtime lends the assembly besides node control. */
export interface AssemblyHost {
  readonly control: NodeControl;
  /** The executor the agent on `host` runs its tasks with. */
  executorFor(host: NodeId): TaskExecutor;
  /** Whether the coordinator is an actor on the network (the simulator) rather than an outside service (ZooKeeper). */
  readonly coordinatorActor: boolean;
  /** The disk of the agent on `host`: a live runtime recovers it from the work directory; default an empty one. */
  agentDisk?(host: NodeId): AgentDisk;
}

/** The nodes of an assembled cluster, in start order, and their disks. */
export interface AssembledCluster {
  readonly masters: readonly NodeId[];
  readonly agents: readonly NodeId[];
  /** Every node, in the order it must be started. */
  readonly startOrder: readonly NodeId[];
  readonly agentDisks: ReadonlyMap<NodeId, AgentDisk>;
  readonly frameworks: ReadonlyMap<NodeId, FrameworkNodeSpec>;
}

/** Adds every node of the spec to the runtime (stopped) and returns them in start order. */
export function assembleCluster(spec: ClusterSpec, host: AssemblyHost): AssembledCluster {
  const { control } = host;
  const masters = masterNodes(spec.masters);
  const leader = leaderSourceOf(spec.masters);
  const startOrder: NodeId[] = [];
  const add = (...args: Parameters<NodeControl['add']>): void => {
    control.add(...args);
    startOrder.push(args[0]);
  };
  const newAllocator = () => createDrfAllocator({ weights: spec.weights ?? {} });
  if (masters.length === 1) {
    add(masters[0] as NodeId, 'master', (ctx) => createMaster(ctx, { timing: spec.timing, allocator: newAllocator(), weights: spec.weights }));
  } else {
    if (host.coordinatorActor) add(COORDINATOR_NODE, 'coordinator', (ctx) => createCoordinator(ctx));
    for (const node of masters) {
      add(node, 'master', (ctx) => createHaMaster(ctx, { timing: spec.timing, coordinator: COORDINATOR_NODE, newAllocator, weights: spec.weights }));
    }
  }
  const agentDisks = new Map<NodeId, AgentDisk>();
  for (const agent of spec.agents) {
    const disk = host.agentDisk?.(agent.host) ?? newAgentDisk();
    agentDisks.set(agent.host, disk);
    const executor = host.executorFor(agent.host);
    add(agent.host, 'agent', (ctx) => createAgent(ctx, { resources: agent.resources, attributes: agent.attributes, timing: spec.timing, leader, executor, disk }));
  }
  const frameworks = new Map<NodeId, FrameworkNodeSpec>();
  for (const framework of spec.frameworks?.(leader) ?? []) {
    frameworks.set(framework.node, framework);
    const disk = framework.newDisk();
    add(framework.node, 'scheduler', (ctx) => framework.build(ctx, disk));
  }
  return { masters, agents: spec.agents.map((a) => a.host), startOrder, agentDisks, frameworks };
}
