/**
 * The scenario runner: `runScenario` runs a parsed scenario in the simulator
 * (steady state, method, rollbacks, liveness, checks) and returns a RunResult
 * for the reports, `faultline run`, the fuzzer and the TUI. Import from here.
 */
export type * from './types.js';
export { runScenario, reproduceCommand, FAULT_STREAM } from './run.js';
export { verdictOf, worstVerdict, EXIT_OF_VERDICT } from './verdict.js';
export { stepLabel, stepText, faultTarget } from './label.js';
export { buildCluster, serviceExpectationsOf } from './build.js';
export { convergenceReasons, type ConvergenceSpec } from './convergence.js';
