/**
 * The fuzzer's plain-data types: a seed's fault schedule, the small summary of
 * one run that a worker posts back, and what runs scenarios (a worker pool, or
 * the current thread under test).
 */
import type { Verdict } from '../runner/types.js';
import type { FaultStep, Scenario } from '../scenario/index.js';
import type { FuzzKind } from './kinds.js';

/** One fault of a schedule: a fault step at a time since the method started. */
export interface FuzzFault {
  readonly atMs: number;
  readonly step: FaultStep;
}

/** What the swarm chose for one seed, and the faults it drew. */
export interface FuzzSchedule {
  readonly seed: string;
  /** This seed's subset of the enabled kinds (swarm testing). */
  readonly kinds: readonly FuzzKind[];
  /** Relative weight of each chosen kind. */
  readonly weights: Readonly<Partial<Record<FuzzKind, number>>>;
  /** Mean primary faults per simulated minute. */
  readonly ratePerMin: number;
  readonly methodMs: number;
  /** Primary faults and their undos, by time. */
  readonly faults: readonly FuzzFault[];
}

/** The parts of a RunResult the fuzzer needs: small enough to post from a worker. */
export interface RunSummary {
  readonly verdict: Verdict;
  readonly historyHash: string;
  readonly simulatedMs: number;
  readonly wallMs: number;
  readonly faultsInjected: number;
  /** One line: the checks that did not pass, step failures, convergence reasons; '' when it passed. */
  readonly detail: string;
}

/** Runs scenarios: a pool of worker threads, or the current thread. */
export interface ScenarioExecutor {
  /** How many runs can go at once. */
  readonly parallelism: number;
  run(scenario: Scenario): Promise<RunSummary>;
  close(): Promise<void>;
}
