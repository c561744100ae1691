/**
 * `faultline run <scenario...>`: parses every file first (a broken one stops
 * everything with its one-line `file:line:column` error and exit 64), runs
 * each in the simulator, prints the text report (the JSON report with --json,
 * only the verdict line with --quiet), writes --junit and --history, and exits
 * with the worst verdict. Ctrl-C stops the method, runs the rollbacks, writes
 * the reports marked interrupted and exits 130; a second Ctrl-C quits at once.
 * Its options and yargs declaration are in run-cli.ts, which imports this
 * module only when the command runs.
 */
import { writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { err, ok, type Result } from '../../core/errors.js';
import { writeHistory } from '../../chaos/history/index.js';
import { shellWord } from '../../chaos/fuzz/reproduce.js';
import { historyMetaOf, jsonReport, junitReport, textReport, verdictLine, writeHistoryMeta } from '../../chaos/report/index.js';
import { worstVerdict, EXIT_OF_VERDICT, type RunResult, type RunScenario } from '../../chaos/runner/index.js';
import { runScenario } from '../sim-runtime.js';
import type { Cluster } from '../../cluster/index.js';
import { parseScenarioFile, type Scenario } from '../../chaos/scenario/index.js';
import type { ServiceBugs } from '../../schedulers/workload.js';
import { EXIT } from '../../core/exit-codes.js';
import { fail, println, type CliIo } from '../io.js';
import { version } from '../version.js';

/** The exit code of a run cut short by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = EXIT.interrupted;

/** Flags of `faultline run`. */
export interface RunFlags {
  readonly scenarios: readonly string[];
  readonly seed?: string;
  readonly json: boolean;
  readonly junit?: string;
  readonly history?: string;
  readonly quiet: boolean;
}

/** What `run` takes from its surroundings besides the streams; tests replace these. */
export interface RunHooks {
  /** Calls `handler` on Ctrl-C; returns the unsubscribe. Default: the process's SIGINT, once. */
  readonly onInterrupt?: (handler: () => void) => () => void;
  /** Awaited between chunks of simulated time. Default: one turn of the event loop, so a signal can arrive. */
  readonly yieldControl?: () => Promise<void>;
  /** Deliberately broken schedulers, by app name (the checkers' own tests). */
  readonly bugs?: Readonly<Record<string, ServiceBugs>>;
  /** The runner (default: the simulator's); `faultline run --live` gives the live runtime's. */
  readonly runScenario?: RunScenario;
  /** Real processes on the wall clock: no replay command (a replay cannot rerun them). */
  readonly live?: boolean;
}

/** One SIGINT, then the handler is gone: a second Ctrl-C gets the default (the process ends). */
function processInterrupt(handler: () => void): () => void {
  process.once('SIGINT', handler);
  return () => {
    process.off('SIGINT', handler);
  };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The history file of each scenario: the path itself for one, `<base>.<scenario><ext>` for several. */
export function historyPathsOf(path: string, names: readonly string[]): string[] {
  if (names.length === 1) return [path];
  const ext = extname(path);
  const stem = ext === '' ? path : path.slice(0, -ext.length);
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return `${stem}.${name}${n > 1 ? `-${n}` : ''}${ext}`;
  });
}

async function parseAll(files: readonly string[]): Promise<Result<Scenario[]>> {
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const parsed = await parseScenarioFile(file);
    if (!parsed.ok) return parsed;
    scenarios.push(parsed.value);
  }
  return ok(scenarios);
}

function writeOutputs(flags: RunFlags, results: readonly RunResult[], io: CliIo): Result<true> {
  if (flags.junit !== undefined) {
    try {
      writeFileSync(flags.junit, junitReport(results));
    } catch (e) {
      return err('IO', `cannot write: ${(e as Error).message}`, flags.junit);
    }
  }
  if (flags.history !== undefined) {
    const paths = historyPathsOf(
      flags.history,
      results.map((r) => r.scenario),
    );
    for (const [i, result] of results.entries()) {
      const path = paths[i];
      if (path === undefined || result.history === null) continue;
      const written = writeHistory(path, result.history);
      if (!written.ok) return written;
      const meta = historyMetaOf(result, version);
      if (meta !== null) {
        const wroteMeta = writeHistoryMeta(path, meta);
        if (!wroteMeta.ok) return wroteMeta;
      }
      if (!flags.json && !flags.quiet) io.stderr.write(`history of ${result.scenario}: ${path} (${written.value} records; check it with faultline check ${path})\n`);
    }
  }
  return ok(true);
}

/** The last line of a run of several scenarios: `13 passed, 0 failed, 0 inconclusive` (and how many an interrupt left out). */
export function runSummaryLine(results: readonly RunResult[], total: number): string {
  const count = (verdicts: readonly string[]): number => results.filter((r) => verdicts.includes(r.verdict)).length;
  const failed = count(['safety', 'liveness']);
  const kinds = [count(['safety']) > 0 ? `${count(['safety'])} safety` : '', count(['liveness']) > 0 ? `${count(['liveness'])} liveness` : ''].filter((k) => k !== '');
  const notRun = total - results.length;
  return `${count(['pass'])} passed, ${failed} failed${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}, ${count(['inconclusive'])} inconclusive${notRun > 0 ? `, ${notRun} not run (interrupted)` : ''}`;
}

/** Virtual time per runner chunk while external frameworks run: they see the cluster move at ~20 Hz. */
const EXTERNAL_CHUNK_MS = 50;

/**
 * With external frameworks (real processes on the wall clock) the run is paced
 * to the wall clock at x1 and the cluster's Mesos API is served to them.
 */
async function externalRunOptions() {
  const [{ externalFrameworksHost }, { serveClusterApi }, { createPaceGate }, { realWallClock }] = await Promise.all([
    import('../external-frameworks.js'),
    import('../served-cluster.js'),
    import('../pace-gate.js'),
    import('../pacer.js'),
  ]);
  let cluster: Cluster | null = null;
  const gate = createPaceGate(0, { clock: realWallClock, speed: 1, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
  return {
    externals: externalFrameworksHost({ serve: serveClusterApi }),
    onCluster: (built: Cluster) => {
      cluster = built;
    },
    yieldControl: async () => {
      if (cluster !== null) await gate.wait(cluster.now());
    },
  };
}

/**
 * The `faultline replay` command that opens a failed run at its first finding:
 * over its history when one was written, else over the scenario file and seed
 * (the same seed replays the same run; not with external frameworks, which a
 * replay cannot start).
 */
export function openCommandOf(run: { history: string | null; file: string | null; seed: string; external: boolean }): string | null {
  if (run.history !== null) return `faultline replay ${shellWord(run.history)} --violation 1`;
  if (run.file === null || run.external) return null;
  return `faultline replay ${shellWord(run.file)} --seed ${shellWord(run.seed)} --violation 1`;
}

/** Runs the scenarios and returns the exit code. */
export async function runCommand(flags: RunFlags, io: CliIo, hooks: RunHooks = {}): Promise<number> {
  if (flags.scenarios.length === 0) return fail(io, { code: 'USAGE', message: 'name at least one scenario file' });
  if (flags.seed !== undefined && flags.seed.trim() === '') return fail(io, { code: 'USAGE', message: 'needs a value (any text; the same seed replays the same run)', where: '--seed' });
  const parsed = await parseAll(flags.scenarios);
  if (!parsed.ok) return fail(io, parsed.error);

  let interrupted = false;
  const unsubscribe = (hooks.onInterrupt ?? processInterrupt)(() => {
    if (interrupted) return;
    interrupted = true;
    io.stderr.write('faultline: interrupted: running the rollbacks, then writing the report (Ctrl-C again to quit at once)\n');
  });
  const results: RunResult[] = [];
  try {
    for (const [i, scenario] of parsed.value.entries()) {
      const file = flags.scenarios[i] ?? null;
      const external = scenario.frameworks.length > 0 ? await externalRunOptions() : null;
      const result = await (hooks.runScenario ?? runScenario)(scenario, file, {
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        ...(hooks.bugs ? { bugs: hooks.bugs } : {}),
        keepHistory: flags.history !== undefined,
        shouldStop: () => interrupted,
        yieldControl: hooks.yieldControl ?? external?.yieldControl ?? nextTurn,
        ...(external ? { externals: external.externals, onCluster: external.onCluster, chunkMs: EXTERNAL_CHUNK_MS } : {}),
      });
      results.push(result);
      if (flags.json) {
        // Printed once at the end: one JSON document.
      } else if (flags.quiet) println(io, verdictLine(result));
      else println(io, `${results.length > 1 ? '\n' : ''}${textReport(result, { description: scenario.description })}`);
      if (interrupted) break;
    }
  } catch (e) {
    io.stderr.write(`faultline: internal error while running ${basename(flags.scenarios[results.length] ?? '')}: ${(e as Error).message}\n`);
    return EXIT.internal;
  } finally {
    unsubscribe();
  }

  if (!flags.json && flags.scenarios.length > 1) println(io, `${flags.quiet ? '' : '\n'}${runSummaryLine(results, flags.scenarios.length)}`);
  if (flags.json) println(io, JSON.stringify(results.length === 1 && flags.scenarios.length === 1 ? jsonReport(results[0] as RunResult) : results.map(jsonReport), null, 2));
  const written = writeOutputs(flags, results, io);
  if (!written.ok) return fail(io, written.error);
  if (interrupted) return EXIT_INTERRUPTED;
  const histories = flags.history === undefined ? null : historyPathsOf(flags.history, results.map((r) => r.scenario));
  for (const [i, result] of results.entries()) {
    if (result.verdict !== 'safety' && result.verdict !== 'liveness') continue;
    const open = openCommandOf({ history: histories?.[i] ?? null, file: flags.scenarios[i] ?? null, seed: result.seed, external: hooks.live === true || (parsed.value[i]?.frameworks.length ?? 0) > 0 });
    if (open !== null) io.stderr.write(`faultline: ${result.scenario} failed; step through it from its first finding: ${open}\n`);
  }
  return EXIT_OF_VERDICT[worstVerdict(results.map((r) => r.verdict))];
}
