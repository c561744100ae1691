/**
 * `faultline fuzz`: swarm-style random fault schedules per seed, run on worker
 * threads, with determinism re-checks and ddmin shrinking of every failure to
 * a scenario file. Import from here.
 */
export type * from './types.js';
export { FUZZ_KINDS, isFuzzKind, parseFaultKinds, type FuzzKind } from './kinds.js';
export { DEFAULT_BASE_YAML, defaultBaseScenario, targetsOf, type FuzzTargets } from './base.js';
export { generateSchedule, DEFAULT_METHOD_MS, MAX_PRIMARY_FAULTS, type GenerateOptions } from './generate.js';
export { scheduleScenario, describeFuzzFault, type FuzzScenarioSpec } from './schedule.js';
export { ddmin, type DdminOptions, type DdminProgress, type DdminResult } from './ddmin.js';
export { recheckSeeds, DEFAULT_RECHECK_RATIO, RECHECK_MIN_SEEDS, type RecheckOptions } from './recheck.js';
export { openCommand, reproduceCommand, replayCommand, shellWord, type ReproduceFlags } from './reproduce.js';
export { shrinkTwoMinimal, shrinkFailure, shrunkFileName, type ShrinkOptions, type ShrinkOutcome } from './shrink.js';
export { summarizeRun, inProcessExecutor, type ExecutorOptions } from './executor.js';
export { WorkerPool, FuzzPoolError, startWorker, type PoolOptions } from './pool.js';
export { runFuzz, type FuzzConfig, type FuzzDeps } from './fuzz.js';
export { exitCodeOf, EXIT_INTERNAL, type SeedOutcome, type FuzzFailure, type FailureVerdict, type FuzzSummary, type FuzzEvent } from './summary.js';
export { FuzzProgress, failureLines, summaryLines, type ProgressOptions } from './progress.js';
