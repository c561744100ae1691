/**
 * The scenario runner's contract: what `runScenario` takes and returns. The
 * runner (src/chaos/runner), the reports, `faultline run`, the fuzzer and the
 * TUI's scenario panel all speak these types.
 */
import type { Milestone } from './milestones.js';
import type { HistoryRecord } from '../../core/events.js';
import type { Fault } from '../../core/faults.js';
import type { ServiceBugs } from '../../schedulers/workload.js';
import type { CheckContext, CheckResult, RecoveryMetric, RecoverySummary } from '../checkers/index.js';
import type { ExternalFrameworkSpec, Scenario } from '../scenario/index.js';
import type { Cluster } from '../../cluster/index.js';

/** Verdicts and their exit codes (README.md, Commands): pass 0, safety 1, liveness 2, inconclusive 3. */
export type Verdict = 'pass' | 'safety' | 'liveness' | 'inconclusive';

/** The phase a run is in. */
export type RunPhase = 'setup' | 'steady-before' | 'method' | 'rollbacks' | 'liveness' | 'steady-after' | 'checks' | 'done';

/** A phase the runner records a boundary of; `end` closes the last one (the checks read the history from there). */
export type PhaseBoundaryName = 'steady-before' | 'method' | 'rollbacks' | 'liveness' | 'steady-after' | 'end';

/**
 * Where a phase began, in virtual time and in the history: `position` is the
 * number of records before it (the state just after record `position - 1`),
 * so records that share a millisecond are still told apart.
 */
export interface PhaseBoundary {
  readonly phase: PhaseBoundaryName;
  readonly atMs: number;
  readonly position: number;
}

/** Options of one run. */
export interface RunOptions {
  /** Overrides the scenario's seed (`--seed`). */
  readonly seed?: string;
  /** Deliberately broken schedulers, by app name (the checkers' own tests). */
  readonly bugs?: Readonly<Record<string, ServiceBugs>>;
  /** Keep the whole history in the result (for --history, `check`, the TUI). Default true. */
  readonly keepHistory?: boolean;
  /** Called at every phase change, step start and step end. */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Polled between chunks of simulated time: true stops the method, runs rollbacks and reports `interrupted`. */
  readonly shouldStop?: () => boolean;
  /** Awaited between chunks so signals (Ctrl-C) can be handled; default: resolves at once. */
  readonly yieldControl?: () => Promise<void>;
  /** Virtual time between yields (default 1 s); the TUI uses less so the screen follows the run. */
  readonly chunkMs?: number;
  /** Called once with the cluster the run built, before it starts (the TUI shows it). */
  readonly onCluster?: (cluster: Cluster) => void;
  /** Starts the scenario's external frameworks against the cluster; required when the scenario has any (the CLI injects it). */
  readonly externals?: ExternalFrameworksHost;
}

/** What serves a cluster's API and runs a scenario's external framework processes (src/cli/external-frameworks.ts). */
export interface ExternalFrameworksHost {
  /** Serves the cluster's Mesos API and starts every framework's process; resolves once they are started. */
  start(cluster: Cluster, frameworks: readonly ExternalFrameworkSpec[]): Promise<ExternalFrameworksRun>;
}

/** The running external frameworks of one run. */
export interface ExternalFrameworksRun {
  /** One line per framework for the report: where its output is, how it ended. */
  notes(): readonly string[];
  /** Stops every process (SIGTERM, then SIGKILL after a grace) and the API servers. */
  stop(): Promise<void>;
}

/** Live progress of a run. */
export interface RunProgress {
  readonly phase: RunPhase;
  readonly simulatedMs: number;
  /** The step being run, as a one-line label with its location (`kill-agent one (agent-loss.yaml:14:7)`). */
  readonly step: string | null;
  /** Faults injected so far. */
  readonly faults: readonly FaultRecord[];
}

/** A fault as reports show it. */
export interface FaultRecord {
  readonly atMs: number;
  readonly kind: Fault['kind'];
  /** The concrete target(s), one line (`agent-3`, `[agent-1] | [master-1,master-2,master-3]`). */
  readonly target: string;
  /** The concrete fault, to replay it. */
  readonly fault: Fault;
  /** The phase that injected it: `method`, `rollbacks`, or `liveness` (the heal); absent = method. */
  readonly phase?: RunPhase;
}

/** Why the liveness phase did not converge, when it did not. */
export interface ConvergenceResult {
  readonly converged: boolean;
  /** Time from the heal to convergence, or null. */
  readonly convergedAfterMs: number | null;
  /** Human reasons when not converged: `no leader`, `no offers for 12 s`, `web: 8 of 10 running, 2 stuck in STAGING`. */
  readonly reasons: readonly string[];
}

/** The result of one run: everything the reports print. */
export interface RunResult {
  readonly scenario: string;
  readonly file: string | null;
  readonly seed: string;
  readonly verdict: Verdict;
  readonly exitCode: 0 | 1 | 2 | 3;
  /** Set when Ctrl-C (shouldStop) cut the run short; rollbacks still ran. */
  readonly interrupted: boolean;
  readonly historyHash: string;
  readonly simulatedMs: number;
  readonly wallMs: number;
  readonly checks: readonly CheckResult[];
  readonly faults: readonly FaultRecord[];
  readonly recovery: readonly RecoveryMetric[];
  readonly recoverySummary: RecoverySummary;
  readonly convergence: ConvergenceResult | null;
  /** One-line reasons a step failed (an `until` past its deadline, a target that resolved to nothing). */
  readonly stepFailures: readonly string[];
  readonly history: readonly HistoryRecord[] | null;
  /** The command that reproduces this run. */
  readonly reproduce: string;
  /** Virtual time the method started (after steady-before); a fault's time into the method is `atMs - methodStartMs`. */
  readonly methodStartMs?: number;
  /** Virtual time of the liveness heal (the checkers' `livenessStartMs`); null when the run had no liveness phase. */
  readonly livenessStartMs?: number | null;
  /** Every phase the run entered, in order, then `end` (the sidecar's `phases`; the replay's timeline bar). */
  readonly phases?: readonly PhaseBoundary[];
  /** What the history checkers were given (timing, services, liveness start, end): `check` re-runs them offline with it. */
  readonly checkContext?: CheckContext;
  /** Notes about the external frameworks (their output files, how they exited); empty without any. */
  readonly externalNotes?: readonly string[];
  /** Elections, launch-timeout kills and replacements, for the report's timeline. */
  readonly milestones?: readonly Milestone[];
  /** Set by a live run (`faultline run --live`): how network faults were applied, faults not carried out as asked, where the logs are kept. */
  readonly live?: LiveRunInfo;
}

/** What a live run adds to its result. */
export interface LiveRunInfo {
  /** One line: iptables in a namespace, or the transport, and why. */
  readonly network: string;
  /** Faults that could not be carried out as asked, and other problems of the runtime. */
  readonly notes: readonly string[];
  /** The run's directory (daemon logs, event logs) when it was kept; null when removed. */
  readonly dir: string | null;
}

/** Runs a parsed scenario on the runtime the runner was made with (`createScenarioRunner`). */
export type RunScenario = (scenario: Scenario, file: string | null, options?: RunOptions) => Promise<RunResult>;
