/**
 * `runFuzz`: seeds start..start+N-1 through an executor (worker threads), a
 * determinism re-check of a share of them, then for every failing seed a
 * shrunk scenario file. Everything the command prints comes through
 * `onEvent`, so the CLI decides how to show it (live line, plain lines, JSON).
 */
import type { Verdict } from '../runner/types.js';
import type { Scenario } from '../scenario/index.js';
import { generateSchedule } from './generate.js';
import { FuzzPoolError } from './pool.js';
import type { FuzzKind } from './kinds.js';
import { recheckSeeds } from './recheck.js';
import { reproduceCommand, type ReproduceFlags } from './reproduce.js';
import { scheduleScenario } from './schedule.js';
import { shrinkFailure, type ShrinkOutcome } from './shrink.js';
import { exitCodeOf, type FuzzEvent, type FuzzFailure, type FuzzSummary, type SeedOutcome } from './summary.js';
import type { FuzzSchedule, RunSummary, ScenarioExecutor } from './types.js';

/** What to fuzz. */
export interface FuzzConfig extends ReproduceFlags {
  readonly start: number;
  readonly seeds: number;
  readonly base: Scenario;
  readonly kinds: readonly FuzzKind[];
  readonly methodMs: number;
  /** Where shrunk scenario files go. */
  readonly outDir: string;
  /** Share of seeds re-run for the determinism check; default 5%. */
  readonly recheckRatio?: number;
  /** Stop starting new seeds after this many failing seeds (the lowest are kept); default unlimited. */
  readonly maxFailures?: number;
  /** Treat inconclusive seeds as failures (shrunk and listed); default false. */
  readonly strict?: boolean;
  /** Shrink failing schedules; default true. */
  readonly shrink?: boolean;
  /** Runs one shrink may spend; default 300. */
  readonly maxShrinkRuns?: number;
}

/** What the fuzzer runs on and talks to. */
export interface FuzzDeps {
  readonly executor: ScenarioExecutor;
  readonly onEvent?: (event: FuzzEvent) => void;
  /** Wall clock in ms; default performance.now. */
  readonly clock?: () => number;
  /** Writes a shrunk scenario file (creating its directory). */
  readonly writeFile: (path: string, text: string) => Promise<void>;
  /** Polled before each new seed: true stops starting seeds (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

/** Runs the seeds, re-checks a share, shrinks every failure; never throws for a failing seed. */
export async function runFuzz(config: FuzzConfig, deps: FuzzDeps): Promise<FuzzSummary> {
  const clock = deps.clock ?? (() => performance.now());
  const emit = deps.onEvent ?? (() => {});
  const startedMs = clock();
  const total = Math.max(0, Math.floor(config.seeds));
  const recheck = new Set(recheckSeeds({ start: config.start, count: total, ...(config.recheckRatio === undefined ? {} : { ratio: config.recheckRatio }) }));
  const outcomes = new Map<number, SeedOutcome>();
  const isFailure = (outcome: SeedOutcome): boolean => failureVerdictOf(outcome, config.strict ?? false) !== null;
  let failing = 0;
  let done = 0;

  const scheduleOf = (seed: number): FuzzSchedule => generateSchedule({ seed: String(seed), base: config.base, kinds: config.kinds, methodMs: config.methodMs });
  const scenarioOf = (schedule: FuzzSchedule): Scenario => scheduleScenario({ base: config.base, seed: schedule.seed, faults: schedule.faults, methodMs: schedule.methodMs });

  const runSeed = async (seed: number): Promise<void> => {
    const schedule = scheduleOf(seed);
    const outcome: SeedOutcome = { seed, schedule, summary: null, error: null, rerunHash: null };
    outcomes.set(seed, outcome);
    try {
      outcome.summary = await deps.executor.run(scenarioOf(schedule));
    } catch (error) {
      // No worker can start: every seed would fail the same way, so stop here.
      if (error instanceof FuzzPoolError) throw error;
      outcome.error = (error as Error).message;
    }
    done += 1;
    if (isFailure(outcome)) failing += 1;
    emit({ kind: 'seed', outcome, done, total, failing, elapsedMs: clock() - startedMs });
  };

  const runRecheck = async (seed: number): Promise<void> => {
    const outcome = outcomes.get(seed);
    if (outcome?.summary == null) return;
    let second: RunSummary;
    try {
      second = await deps.executor.run(scenarioOf(outcome.schedule));
    } catch (error) {
      outcome.error ??= `the determinism re-run threw: ${(error as Error).message}`;
      return;
    }
    outcome.rerunHash = second.historyHash;
    const first = outcome.summary.historyHash;
    if (first !== second.historyHash) failing += 1;
    emit({ kind: 'recheck', seed, firstHash: first, secondHash: second.historyHash });
  };

  const stopping = (): boolean => (deps.shouldStop?.() ?? false) || (config.maxFailures !== undefined && config.maxFailures > 0 && failing >= config.maxFailures);
  await pump({
    capacity: deps.executor.parallelism * 2,
    next: (() => {
      let offset = 0;
      const rechecks: number[] = [];
      return (): (() => Promise<void>) | null => {
        const seed = rechecks.shift();
        if (seed !== undefined) return () => runRecheck(seed);
        if (offset >= total || stopping()) return null;
        const fresh = config.start + offset;
        offset += 1;
        return async () => {
          await runSeed(fresh);
          if (recheck.has(fresh) && !stopping()) rechecks.push(fresh);
        };
      };
    })(),
  });
  const seedPhaseMs = clock() - startedMs;

  const ordered = [...outcomes.values()].sort((a, b) => a.seed - b.seed);
  let toReport = ordered.filter(isFailure);
  if (config.maxFailures !== undefined && config.maxFailures > 0) toReport = toReport.slice(0, config.maxFailures);
  const failures: FuzzFailure[] = [];
  for (const outcome of toReport) {
    const verdict = failureVerdictOf(outcome, config.strict ?? false) ?? 'error';
    const failure = await reportFailure(outcome, verdict);
    failures.push(failure);
    emit({ kind: 'failure', failure });
  }

  async function reportFailure(outcome: SeedOutcome, verdict: FuzzFailure['verdict']): Promise<FuzzFailure> {
    const reproduce = reproduceCommand(outcome.seed, config);
    const faultsBefore = outcome.schedule.faults.length;
    const basic = { seed: outcome.seed, verdict, reproduce, faultsBefore };
    if (verdict === 'error') return { ...basic, detail: outcome.error ?? 'the run failed', shrunkFile: null, replay: null, open: null, faultsAfter: null, shrinkRuns: 0, shrunkFaults: [], reproduces: null };
    if (verdict === 'nondeterministic') {
      const detail = `history hash ${outcome.summary?.historyHash ?? '?'} on the first run, ${outcome.rerunHash ?? '?'} on the re-run`;
      return { ...basic, detail, shrunkFile: null, replay: null, open: null, faultsAfter: null, shrinkRuns: 0, shrunkFaults: [], reproduces: null };
    }
    const detail = outcome.summary?.detail ?? '';
    if (config.shrink === false) return { ...basic, detail, shrunkFile: null, replay: null, open: null, faultsAfter: null, shrinkRuns: 0, shrunkFaults: [], reproduces: null };
    emit({ kind: 'shrink-start', seed: outcome.seed, verdict, faults: faultsBefore, reproduce });
    const shrunk: ShrinkOutcome = await shrinkFailure({
      base: config.base,
      schedule: outcome.schedule,
      verdict,
      reproduce,
      executor: deps.executor,
      outDir: config.outDir,
      writeFile: deps.writeFile,
      maxRuns: config.maxShrinkRuns ?? 300,
      onProgress: (size, runs) => emit({ kind: 'shrink-progress', seed: outcome.seed, faults: size, runs }),
      ...(deps.shouldStop ? { shouldStop: deps.shouldStop } : {}),
    });
    return { ...basic, detail, ...shrunk };
  }

  const wallMs = Math.round(clock() - startedMs);
  const count = (verdict: Verdict): number => ordered.filter((o) => o.error === null && o.summary?.verdict === verdict && !mismatched(o)).length;
  const rechecked = ordered.filter((o) => o.rerunHash !== null);
  const summary: Omit<FuzzSummary, 'exitCode'> = {
    start: config.start,
    seeds: ordered.length,
    requested: total,
    passed: count('pass'),
    failed: count('safety') + count('liveness') + ordered.filter((o) => o.error !== null || mismatched(o)).length,
    inconclusive: count('inconclusive'),
    byVerdict: { safety: count('safety'), liveness: count('liveness'), inconclusive: count('inconclusive'), nondeterministic: ordered.filter(mismatched).length, error: ordered.filter((o) => o.error !== null).length },
    determinismChecks: {
      checked: rechecked.length,
      matched: rechecked.filter((o) => !mismatched(o)).length,
      mismatched: rechecked.filter(mismatched).map((o) => ({ seed: o.seed, firstHash: o.summary?.historyHash ?? '', secondHash: o.rerunHash ?? '' })),
    },
    failures,
    inconclusiveSeeds: ordered.filter((o) => o.error === null && o.summary?.verdict === 'inconclusive' && !mismatched(o)).map((o) => o.seed),
    seedsPerMin: seedPhaseMs > 0 ? Math.round((ordered.length / seedPhaseMs) * 60_000 * 10) / 10 : 0,
    wallMs,
    stopped: ordered.length < total,
  };
  return { ...summary, exitCode: exitCodeOf(ordered) };
}

function mismatched(outcome: SeedOutcome): boolean {
  return outcome.rerunHash !== null && outcome.summary !== null && outcome.rerunHash !== outcome.summary.historyHash;
}

/** Why a seed counts as a failure, or null when it does not. */
function failureVerdictOf(outcome: SeedOutcome, strict: boolean): FuzzFailure['verdict'] | null {
  if (outcome.error !== null) return 'error';
  if (mismatched(outcome)) return 'nondeterministic';
  const verdict = outcome.summary?.verdict;
  if (verdict === 'safety' || verdict === 'liveness') return verdict;
  if (verdict === 'inconclusive' && strict) return verdict;
  return null;
}

/** Runs tasks from `next` with at most `capacity` in flight, until `next` has none and none is running. */
async function pump(options: { capacity: number; next: () => (() => Promise<void>) | null }): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let inflight = 0;
    const fill = (): void => {
      while (inflight < options.capacity) {
        const task = options.next();
        if (task === null) break;
        inflight += 1;
        task().then(() => {
          inflight -= 1;
          // A finished seed may have queued its re-check: ask `next` again.
          fill();
        }, reject);
      }
      if (inflight === 0) resolve();
    };
    fill();
  });
}
