/** The Mesos master actor: `createMaster`, its options and inspection types, and the registry seam. */
export { createMaster } from './master.js';
export { createInMemoryRegistry } from './registry.js';
export type { Registry, RegistryCallback, RegistryOutcome } from './registry.js';
export type {
  AgentSummary,
  FrameworkSummary,
  LeadershipMode,
  MasterActor,
  MasterInspection,
  MasterOptions,
  TaskSummary,
} from './types.js';
export { createHaMaster } from './ha.js';
export type { HaMasterActor, HaMasterOptions } from './ha.js';
