/**
 * `faultline fuzz`: random fault schedules per seed on worker threads, a
 * determinism re-check of a share of the seeds, and a shrunk scenario file for
 * every failing seed. Exit code: the worst verdict over the seeds.
 * Its options and yargs declaration are in fuzz-cli.ts, which imports this
 * module only when the command runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { ServiceBugs } from '../../schedulers/workload.js';
import {
  defaultBaseScenario,
  FuzzProgress,
  inProcessExecutor,
  parseFaultKinds,
  runFuzz,
  WorkerPool,
  type FuzzConfig,
  type ScenarioExecutor,
} from '../../chaos/fuzz/index.js';
import { fuzzWorkerUrl, runScenario } from '../sim-runtime.js';
import { formatDuration, parseScenarioFile, type Scenario } from '../../chaos/scenario/index.js';
import { EXIT } from '../../core/exit-codes.js';
import { fail, println, type CliIo } from '../io.js';
import { durationFlag, wholeNumberFlag } from '../flag-values.js';
import { seedOf } from '../seed.js';

/** The most seeds one fuzz run takes: every seed's outcome is kept for the summary. */
export const MAX_FUZZ_SEEDS = 100_000;

/** Flags of `faultline fuzz`. */
export interface FuzzFlags {
  readonly seeds: number;
  readonly start?: string | number;
  readonly base?: string;
  readonly faults?: string;
  readonly json: boolean;
  readonly out: string;
  /** Worker threads; 0 runs in this thread; default min(cores, seeds). */
  readonly workers?: number;
  readonly duration: string;
  readonly maxFailures: number;
  readonly strict: boolean;
  readonly shrink: boolean;
}

/** What tests inject. */
export interface FuzzCommandDeps {
  /** Builds the executor for `workers` threads (0: this thread). */
  readonly executor?: (workers: number) => ScenarioExecutor;
  /** Deliberately broken service schedulers, by app (the checkers' own tests; no flag). */
  readonly bugs?: Readonly<Record<string, ServiceBugs>>;
  readonly clock?: () => number;
  /** The machine's cores (the cap of --workers); default availableParallelism(). */
  readonly cores?: number;
}

/** Runs `faultline fuzz` and returns its exit code. */
export async function fuzzCommand(flags: FuzzFlags, io: CliIo, deps: FuzzCommandDeps = {}): Promise<number> {
  const seeds = wholeNumberFlag(flags.seeds, '--seeds', 1, MAX_FUZZ_SEEDS);
  if (!seeds.ok) return fail(io, seeds.error);
  const startText = seedOf(flags.start);
  if (!/^\d{1,15}$/.test(startText)) return fail(io, { code: 'USAGE', message: `must be a whole number, got "${startText}"`, where: '--start' });
  const start = Number(startText);
  const cores = deps.cores ?? availableParallelism();
  const workersFlag = wholeNumberFlag(flags.workers ?? Math.min(cores, flags.seeds), '--workers', 0, cores);
  if (!workersFlag.ok) return fail(io, { ...workersFlag.error, message: `${workersFlag.error.message} (0 runs in this thread; at most one per core)` });
  const workers = workersFlag.value;
  if (!Number.isSafeInteger(flags.maxFailures) || flags.maxFailures < 0) return fail(io, { code: 'USAGE', message: 'must be a whole number (0: no limit)', where: '--max-failures' });
  const methodMs = durationFlag(flags.duration, '--duration');
  if (!methodMs.ok) return fail(io, methodMs.error);
  if (methodMs.value < 1_000) return fail(io, { code: 'USAGE', message: 'the method must last at least 1s', where: '--duration' });
  const kinds = parseFaultKinds(flags.faults);
  if (!kinds.ok) return fail(io, kinds.error);
  let base: Scenario;
  if (flags.base === undefined) base = defaultBaseScenario();
  else {
    const parsed = await parseScenarioFile(flags.base);
    if (!parsed.ok) return fail(io, parsed.error);
    base = parsed.value;
  }

  const config: FuzzConfig = {
    start,
    seeds: flags.seeds,
    base,
    baseFile: flags.base ?? null,
    kinds: kinds.value,
    kindsFlag: flags.faults === undefined || flags.faults.trim() === '' ? null : kinds.value.join(','),
    methodMs: methodMs.value,
    outDir: flags.out,
    maxFailures: flags.maxFailures,
    strict: flags.strict,
    shrink: flags.shrink,
  };
  const clock = deps.clock ?? (() => performance.now());
  // With --json stdout carries only the summary; live progress may still go to a terminal on stderr.
  const progressOut = flags.json ? io.stderr : io.stdout;
  const live = isTerminal(progressOut, io.env);
  const progress = !flags.json || live ? new FuzzProgress({ out: progressOut, live, clock }) : null;
  const seedsText = flags.seeds === 1 ? `seed ${start}` : `seeds ${start}..${start + flags.seeds - 1} (${flags.seeds})`;
  progress?.line(
    `fuzz: ${seedsText} · ${workers === 0 ? 'this thread' : `${workers} worker(s)`} · base: ${describeBase(base, flags.base)} · ` +
      `faults: ${config.kindsFlag ?? 'every kind'} · method ${formatDuration(methodMs.value)}`,
  );

  const executor = (deps.executor ?? ((n: number) => defaultExecutor(n, deps.bugs)))(workers);
  let stopRequested = false;
  const onSigint = (): void => {
    if (stopRequested) {
      // A second Ctrl-C: stop now.
      process.off('SIGINT', onSigint);
      process.kill(process.pid, 'SIGINT');
      return;
    }
    stopRequested = true;
    progress?.line('stopping: no new seeds; the seeds running finish, shrinking is cut short (Ctrl-C again to quit at once)');
  };
  process.on('SIGINT', onSigint);
  try {
    const summary = await runFuzz(config, {
      executor,
      clock,
      shouldStop: () => stopRequested,
      ...(progress ? { onEvent: (event) => progress.onEvent(event) } : {}),
      writeFile: async (path, text) => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, text, 'utf8');
      },
    });
    if (flags.json) println(io, JSON.stringify(summary, null, 2));
    else progress?.finish(summary);
    // Cut short by Ctrl-C: the seeds not run say nothing, so the verdict is not the answer.
    return stopRequested ? EXIT.interrupted : summary.exitCode;
  } catch (error) {
    // A failing seed never lands here: only a fuzzer that cannot run at all (no worker starts).
    io.stderr.write(`faultline: internal error: ${(error as Error).message.split('\n')[0] ?? ''}\n`);
    return EXIT.internal;
  } finally {
    process.off('SIGINT', onSigint);
    await executor.close();
  }
}

/** Worker threads, or this thread for --workers 0. */
function defaultExecutor(workers: number, bugs: Readonly<Record<string, ServiceBugs>> | undefined): ScenarioExecutor {
  if (workers === 0) return inProcessExecutor(runScenario, bugs ? { bugs } : {});
  return new WorkerPool({ workers, workerUrl: fuzzWorkerUrl(), ...(bugs ? { bugs } : {}) });
}

/** A terminal that may be redrawn: a TTY, not CI, not TERM=dumb. */
function isTerminal(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return (stream as { isTTY?: boolean }).isTTY === true && !ci && env.TERM !== 'dumb';
}

function describeBase(base: Scenario, file: string | undefined): string {
  const apps = base.workload.services.length + base.workload.batch.length + base.workload.execute.length;
  const shape = `${base.cluster.masters} master(s), ${base.cluster.agents.length} agent(s), ${apps} app(s)`;
  return file === undefined ? `default (${shape})` : `${file} (${shape}; its method is replaced)`;
}
