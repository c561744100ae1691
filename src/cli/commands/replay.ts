/**
 * `faultline replay <file>`: the TUI over a saved run, read-only, with a
 * movable position. The file is a history (`run --history`, `sim --history`;
 * its `<file>.meta.json` gives the checkers their context) or a scenario file
 * (`fuzz --out`'s shrunk reproducer, `w` in the TUI), which is run in the
 * simulator first: the same seed gives the same history. Every checker runs
 * over the history and its findings are marked on the timeline. A bad file is
 * one `file:line` line and exit 64. Its options and yargs declaration are in
 * replay-cli.ts, which imports this module only when the command runs.
 */
import { runCheckers, type CheckContext, type CheckResult } from '../../chaos/checkers/index.js';
import { checkHistoryComplete, readHistory } from '../../chaos/history/index.js';
import { inferCheckContext, readHistoryMeta } from '../../chaos/report/index.js';
import { replayInfoOf, positionAtMs, type ReplayInfoData } from '../../chaos/replay/info.js';
import type { PhaseBoundary } from '../../chaos/runner/index.js';
import { parseScenarioFile } from '../../chaos/scenario/index.js';
import { parseDuration } from '../../core/duration.js';
import { err, ok, type Result } from '../../core/errors.js';
import type { HistoryRecord } from '../../core/events.js';
import { EXIT } from '../../core/exit-codes.js';
import { formatClock } from '../../tui/format.js';
import type { ServiceBugs } from '../../schedulers/workload.js';
import { fail, println, type CliIo } from '../io.js';
import { createReplayFeed } from '../replay-feed.js';
import { launchTui, noTuiReason } from '../tui-launch.js';

/** Flags of `faultline replay`. */
export interface ReplayFlags {
  readonly file: string;
  /** A virtual time to open at (`12.5s`). */
  readonly at?: string;
  /** Open at the N-th finding (1-based) with its pane. */
  readonly violation?: number;
  /** For a scenario file: the seed to run it with (default: its own). */
  readonly seed?: string;
  readonly color: boolean;
}

/** What tests inject. */
export interface ReplayDeps {
  /** Deliberately broken service schedulers when a scenario file is run first (the checkers' own tests). */
  readonly bugs?: Readonly<Record<string, ServiceBugs>>;
}

/** A run loaded for replay. */
export interface LoadedReplay {
  readonly records: readonly HistoryRecord[];
  readonly info: ReplayInfoData;
  readonly checks: readonly CheckResult[];
  readonly seed: string;
  readonly timingProfile: string;
}

function isScenarioFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** Loads a history (checked with its sidecar's context) or runs a scenario file for its history. */
export async function loadReplay(file: string, options: { seed?: string; bugs?: Readonly<Record<string, ServiceBugs>> } = {}): Promise<Result<LoadedReplay>> {
  let records: readonly HistoryRecord[];
  let context: CheckContext;
  let checks: readonly CheckResult[];
  // The runner's phase boundaries: the run's own, or its sidecar's (null: guessed from the history).
  let phases: readonly PhaseBoundary[] | null = null;
  if (isScenarioFile(file)) {
    const parsed = await parseScenarioFile(file);
    if (!parsed.ok) return parsed;
    const { runScenario } = await import('../sim-runtime.js');
    const result = await runScenario(parsed.value, file, { keepHistory: true, ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.bugs ? { bugs: options.bugs } : {}) });
    if (result.history === null || result.checkContext === undefined) return err('IO', 'the scenario ran but gave no history to replay', file);
    records = result.history;
    context = result.checkContext;
    checks = result.checks;
    phases = result.phases ?? null;
  } else {
    const read = readHistory(file);
    if (!read.ok) return read;
    const whole = checkHistoryComplete(read.value, file);
    if (!whole.ok) return whole;
    const meta = readHistoryMeta(file);
    if (!meta.ok) return meta;
    records = read.value;
    context = meta.value?.context ?? inferCheckContext(records);
    phases = meta.value?.phases ?? null;
    checks = runCheckers(records, context);
  }
  const started = records[0];
  const seed = started?.type === 'cluster.started' ? started.seed : '?';
  const timingProfile = started?.type === 'cluster.started' ? started.timing : context.timing.profile;
  const info = replayInfoOf({ source: file, records, checks, context, phases });
  return ok({ records, info, checks, seed, timingProfile });
}

/** Where the replay opens: the N-th finding, a time, or the start. */
function openingOf(loaded: LoadedReplay, flags: ReplayFlags): Result<{ position: number; atMs?: number; finding: number | null }> {
  if (flags.violation !== undefined) {
    const n = flags.violation;
    const count = loaded.info.findings.length;
    if (!Number.isSafeInteger(n) || n < 1) return err('USAGE', 'must be a whole number from 1', '--violation');
    if (n > count) return err('USAGE', count === 0 ? 'the checkers found nothing in this run' : `the run has ${count} finding(s)`, '--violation');
    const finding = loaded.info.findings[n - 1];
    return ok({ position: finding?.position ?? 0, finding: n - 1 });
  }
  if (flags.at !== undefined) {
    const atMs = parseDuration(flags.at, '--at');
    if (!atMs.ok) return atMs;
    return ok({ position: positionAtMs(loaded.records, atMs.value), atMs: atMs.value, finding: null });
  }
  return ok({ position: 0, finding: null });
}

/** The replay without a terminal: what it would open on, and every finding. */
function printSummary(io: CliIo, loaded: LoadedReplay, opening: { position: number; finding: number | null }): void {
  const { info } = loaded;
  println(io, `replay ${info.source} · seed ${loaded.seed} · ${info.total} records · ${formatClock(info.endMs)} · ${info.faults.length} fault(s) · ${info.findings.length} finding(s)`);
  const phases = info.phases.map((p) => `${p.phase} ${formatClock(p.fromMs)} #${p.fromPosition}`).join(', ');
  if (phases !== '') println(io, `  phases${info.phasesKnown ? '' : ' (guessed from the history: its sidecar has none)'}: ${phases}`);
  info.findings.forEach((f, i) => println(io, `  ${i + 1}. ${f.checker} at ${formatClock(f.atMs)} (record #${f.position}): ${f.detail}`));
  println(io, `opens at record #${opening.position}${opening.finding === null ? '' : ` (finding ${opening.finding + 1})`}; on a terminal the TUI opens there`);
}

/** Runs `faultline replay`. */
export async function replayCommand(flags: ReplayFlags, io: CliIo, deps: ReplayDeps = {}): Promise<number> {
  const loaded = await loadReplay(flags.file, { ...(flags.seed !== undefined ? { seed: flags.seed } : {}), ...(deps.bugs ? { bugs: deps.bugs } : {}) });
  if (!loaded.ok) return fail(io, loaded.error);
  const opening = openingOf(loaded.value, flags);
  if (!opening.ok) return fail(io, opening.error);
  const noTui = noTuiReason(io);
  if (noTui !== null) {
    printSummary(io, loaded.value, opening.value);
    io.stderr.write(`faultline: ${noTui}, so the TUI does not draw\n`);
    return EXIT.pass;
  }
  const feed = createReplayFeed({ records: loaded.value.records, info: loaded.value.info, seed: loaded.value.seed, timingProfile: loaded.value.timingProfile, position: opening.value.position, ...(opening.value.atMs === undefined ? {} : { atMs: opening.value.atMs }) });
  const finding = opening.value.finding;
  return launchTui(
    {
      feed,
      readonly: true,
      noColor: !flags.color || io.env.FORCE_COLOR === '0',
      scenario: null,
      onStart: (session) => {
        if (finding !== null) session.controller.openFinding(finding);
      },
      // The replay feed plays only when asked (space): nothing to start.
      start: () => {},
      stop: () => feed.stop(),
      closingLines: () => [`replayed ${flags.file} (${loaded.value.info.total} records)`],
    },
    io,
  );
}
