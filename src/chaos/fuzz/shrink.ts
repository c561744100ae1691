/**
 * Shrinking a failing seed: ddmin over its faults, each candidate run with the
 * same seed (so the cluster's own randomness is unchanged) and counted as
 * failing when it gives the same verdict class. The smallest schedule is
 * written as a scenario file, read back and run once more to prove that the
 * file itself reproduces the failure.
 */
import { join } from 'node:path';
import type { Verdict } from '../runner/index.js';
import { formatDuration, parseScenario, scenarioToYaml, type Scenario } from '../scenario/index.js';
import { ddmin } from './ddmin.js';
import { openCommand, replayCommand } from './reproduce.js';
import { describeFuzzFault, scheduleScenario } from './schedule.js';
import type { FuzzFailure } from './summary.js';
import type { FuzzFault, FuzzSchedule, ScenarioExecutor } from './types.js';

/** What shrinking a failure adds to its report. */
export type ShrinkOutcome = Pick<FuzzFailure, 'shrunkFile' | 'replay' | 'open' | 'faultsAfter' | 'shrinkRuns' | 'shrunkFaults' | 'reproduces'>;

/** Options of `shrinkFailure`. */
export interface ShrinkOptions {
  readonly base: Scenario;
  readonly schedule: FuzzSchedule;
  /** The verdict class a candidate must give to count as still failing. */
  readonly verdict: Exclude<Verdict, 'pass'>;
  /** The command that runs the unshrunk seed (kept in the file's description). */
  readonly reproduce: string;
  readonly executor: ScenarioExecutor;
  readonly outDir: string;
  readonly writeFile: (path: string, text: string) => Promise<void>;
  /** Runs the search may spend (the best schedule so far is kept when they run out). */
  readonly maxRuns: number;
  readonly onProgress?: (faults: number, runs: number) => void;
  /** Ends the search early, keeping the best so far (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

/** The file name of a seed's shrunk scenario. */
export function shrunkFileName(seed: string): string {
  return `fuzz-${seed}.yaml`;
}

/** Shrinks, writes the file, and checks that the file reproduces the failure. */
export async function shrinkFailure(options: ShrinkOptions): Promise<ShrinkOutcome> {
  const { base, schedule, verdict, executor } = options;
  const scenarioOf = (faults: readonly FuzzFault[], description?: string): Scenario =>
    scheduleScenario({ base, seed: schedule.seed, faults, methodMs: schedule.methodMs, ...(description === undefined ? {} : { description }) });
  const fails = async (faults: readonly FuzzFault[]): Promise<boolean> => (await executor.run(scenarioOf(faults))).verdict === verdict;
  const found = await shrinkTwoMinimal(schedule.faults, fails, {
    parallelism: executor.parallelism,
    maxRuns: options.maxRuns,
    ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const shrunkFaults = found.items.map((f) => `${describeFuzzFault(f)} at ${formatDuration(f.atMs)}`);
  const description =
    `Shrunk by faultline fuzz from seed ${schedule.seed}: ${found.items.length} of ${schedule.faults.length} fault(s) ` +
    `still give a ${verdict} failure${found.complete ? '' : ' (the search was cut short; it may shrink further)'}. ` +
    `The unshrunk run: ${options.reproduce}`;
  const file = join(options.outDir, shrunkFileName(schedule.seed));
  const text = scenarioToYaml(scenarioOf(found.items, description));
  await options.writeFile(file, text);
  const reproduces = await fileReproduces(text, file, verdict, executor);
  return { shrunkFile: file, replay: replayCommand(file), open: openCommand(file), faultsAfter: found.items.length, shrinkRuns: found.tests + 1, shrunkFaults, reproduces };
}

/** Reads the written text back as `faultline run` would and runs it once. */
async function fileReproduces(text: string, file: string, verdict: Verdict, executor: ScenarioExecutor): Promise<boolean> {
  const parsed = parseScenario(text, file);
  if (!parsed.ok) return false;
  return (await executor.run(parsed.value)).verdict === verdict;
}

/**
 * ddmin gives a 1-minimal schedule (no single fault can go). Faults come in
 * pairs (a pause and its resume, a kill and its restart) and concrete targets
 * make one fault matter only through another, so after ddmin every pair is
 * tried too, and ddmin runs again whenever a pair could go: the result is
 * 2-minimal within the run budget.
 */
export async function shrinkTwoMinimal<T>(
  faults: readonly T[],
  fails: (faults: readonly T[]) => Promise<boolean>,
  options: { readonly parallelism: number; readonly maxRuns: number; readonly shouldStop?: () => boolean; readonly onProgress?: (size: number, runs: number) => void },
): Promise<{ items: readonly T[]; tests: number; complete: boolean }> {
  const stopped = (): boolean => options.shouldStop?.() ?? false;
  let tests = 0;
  let items = faults;
  for (;;) {
    const found = await ddmin(items, {
      fails,
      parallelism: options.parallelism,
      maxTests: Math.max(1, options.maxRuns - tests),
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
      onProgress: (p) => options.onProgress?.(p.size, tests + p.tests),
    });
    tests += found.tests;
    items = found.items;
    if (!found.complete) return { items, tests, complete: false };
    let smaller: readonly T[] | null = null;
    search: for (let i = 0; i < items.length; i += 1) {
      for (let j = i + 1; j < items.length; j += 1) {
        if (tests >= options.maxRuns || stopped()) return { items, tests, complete: false };
        const candidate = items.filter((_, k) => k !== i && k !== j);
        tests += 1;
        if (await fails(candidate)) {
          smaller = candidate;
          break search;
        }
      }
    }
    if (smaller === null) return { items, tests, complete: true };
    items = smaller;
    options.onProgress?.(items.length, tests);
  }
}

