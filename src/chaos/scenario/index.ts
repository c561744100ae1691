/**
 * Scenario files: the format (FORMAT.md), the parser with file:line:column
 * errors, the condition language and its evaluator, target resolution to
 * concrete faults, and the serializer. Import from here.
 */
export type * from './types.js';
export { parseScenario, parseScenarioFile, defaultLivenessDeadlineMs, DEFAULT_SEED, DEFAULT_STEADY_WITHIN_MS, TOP_KEYS } from './parse.js';
export { parseCondition, formatCondition, shortState, type ConditionParse, type ConditionOptions } from './condition.js';
export { evaluate, compare, findFramework, type AppNames, type Evaluation } from './evaluate.js';
export {
  resolveTarget,
  splitMajorityMinority,
  universeOf,
  tasksOfApp,
  hostsOf,
  type ResolveOptions,
  type TargetRole,
  type TargetPick,
  type Split,
} from './resolve.js';
export { faultOf, type FaultOfOptions } from './fault-of.js';
export { scenarioToYaml, stepYaml, targetYaml } from './serialize.js';
export { scenarioFromFaults, faultStepOf, type TimedFault, type FaultSchedule } from './from-faults.js';
export { parseDuration, formatDuration } from './duration.js';
export { timingOfSpec, DEFAULT_MASTERS, DEFAULT_AGENT_COUNT, DEFAULT_AGENT_RESOURCES, DEFAULT_PROFILE } from './parse-cluster.js';
export { DEFAULT_APP_RESOURCES, DEFAULT_SERVICE_COMMAND, DEFAULT_FAILOVER_TIMEOUT_MS, DEFAULT_BATCH_DURATION_MS, DEFAULT_MAX_RETRIES } from './parse-workload.js';
export { FAULT_KINDS, DEFAULT_SWIZZLE_STEP_MS } from './parse-fault.js';
export { STEP_ACTIONS } from './parse-steps.js';
export { TARGET_KEYWORDS } from './parse-target.js';
export { schedulerWorkloadOf } from './to-workload.js';
export { formatLoc } from './loc.js';
