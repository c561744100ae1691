/**
 * The scenario runner: `createScenarioRunner(newCluster)` gives a function that
 * runs a parsed scenario (steady state, method, rollbacks, liveness, checks) on
 * the runtime the CLI injects, and returns a RunResult for the reports,
 * `faultline run`, the fuzzer and the TUI. Import from here.
 */
export type * from './types.js';
export { createScenarioRunner, reproduceCommand, FAULT_STREAM } from './run.js';
export { verdictOf, worstVerdict, EXIT_OF_VERDICT } from './verdict.js';
export { stepLabel, stepText, faultTarget } from './label.js';
export { buildCluster, serviceExpectationsOf } from './build.js';
export { convergenceReasons, type ConvergenceSpec } from './convergence.js';
