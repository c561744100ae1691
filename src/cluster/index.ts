/**
 * The cluster independent of any runtime: its topology (spec), assembly,
 * fault meaning over node control, lifecycle events, the one history log, and
 * the `Cluster` interface that the runner, the TUI feed and the commands use.
 */
export { ClusterCore, type Cluster, type ClusterClock, type ClusterFactory, type ClusterRuntime, type RuntimeOptions } from './cluster.js';
export { HistoryLog, type HistoryLogOptions, type RecordListener } from './history-log.js';
export { Lifecycle } from './lifecycle.js';
export { applyFault, validateFault, type FaultContext } from './fault-meaning.js';
export { assembleCluster, type AssembledCluster, type AssemblyHost } from './assemble.js';
export type { NodeControl, NodeStatus } from './node-control.js';
export { COORDINATOR_NODE, leaderSourceOf, masterNodes, uniformAgents, type AgentSpec, type ClusterSpec, type FrameworkNodeSpec } from './spec.js';
