/**
 * Fuzz throughput (BENCHMARKS.md, issue 4): seeds per minute of wall
 * time for the default fuzz scenario (3 masters, 10 agents, 3 services, a
 * 10-minute simulated method, every fault kind), on worker threads, one per
 * core, with the determinism re-check as a real run does it. Shrinking is left
 * out: it is per failure, not per seed. The pool is warmed up first (a worker
 * loads the whole cluster code once), then a fixed range of seeds is timed and
 * scaled to a minute.
 */
import { fuzzWorkerUrl } from '../src/cli/sim-runtime.js';
import { availableParallelism } from 'node:os';
import { defaultBaseScenario, DEFAULT_METHOD_MS, FUZZ_KINDS, runFuzz, scheduleScenario, WorkerPool } from '../src/chaos/fuzz/index.js';
import type { Bench } from './types.js';

/** Seeds timed: enough to average over fault mixes, few enough for a quick bench. */
const SEEDS = 40;
/** The goal: 1,000 seeds in 5 minutes. */
const GOAL_PER_MIN = 200;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function seedsPerMinute(): Promise<number> {
  const workers = availableParallelism();
  const base = defaultBaseScenario();
  const pool = new WorkerPool({ workers, workerUrl: fuzzWorkerUrl() });
  try {
    const warmStart = performance.now();
    const idle = scheduleScenario({ base, seed: 'warm-up', faults: [], methodMs: 60_000 });
    await Promise.all(Array.from({ length: workers }, () => pool.run(idle)));
    log(`  ${workers} worker(s) ready in ${Math.round(performance.now() - warmStart)} ms`);
    const summary = await runFuzz(
      { start: 1, seeds: SEEDS, base, baseFile: null, kinds: FUZZ_KINDS, kindsFlag: null, methodMs: DEFAULT_METHOD_MS, outDir: 'fuzz-out', shrink: false },
      { executor: pool, writeFile: async () => {} },
    );
    const { byVerdict } = summary;
    log(
      `  ${summary.seeds} seeds (+${summary.determinismChecks.checked} re-run) in ${summary.wallMs} ms: ${summary.passed} passed, ` +
        `${byVerdict.safety} safety, ${byVerdict.liveness} liveness, ${byVerdict.inconclusive} inconclusive, ${byVerdict.nondeterministic} not deterministic, ${byVerdict.error} errors; ` +
        `${summary.seedsPerMin.toFixed(1)} seeds/min, so 1,000 seeds in ${((1000 / summary.seedsPerMin) * 60).toFixed(0)} s`,
    );
    return summary.seedsPerMin;
  } finally {
    await pool.close();
  }
}

/** The fuzz throughput figure. */
export const benches: Bench[] = [
  {
    name: 'fuzz-seeds-per-min',
    unit: 'seeds/min',
    anchor: 'goal: 1,000 seeds in 5 min',
    anchorValue: GOAL_PER_MIN,
    goal: '>= 200 seeds/min',
    goalCheck: (value) => value >= GOAL_PER_MIN,
    run: seedsPerMinute,
  },
];
