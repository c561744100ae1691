/**
 * `faultline check <history.jsonl>`: re-runs every checker offline on a saved
 * history and prints the verdicts. The services' expectations and the liveness
 * start come from the sidecar `run --history` wrote (`<file>.meta.json`), or,
 * without one, are read from the history itself (see `inferCheckContext`).
 * Exit codes as for `run`; a malformed line is a one-line `file:line` error and 64.
 * Its options and yargs declaration are in check-cli.ts, which imports this
 * module only when the command runs.
 */
import { runCheckers, type CheckContext } from '../../chaos/checkers/index.js';
import { checkHistoryComplete, hashHistory, readHistory } from '../../chaos/history/index.js';
import { inferCheckContext, metaPathOf, readHistoryMeta, verdictWords, type HistoryMeta } from '../../chaos/report/index.js';
import { verdictOf, EXIT_OF_VERDICT } from '../../chaos/runner/index.js';
import { fail, println, type CliIo } from '../io.js';
import { version } from '../version.js';

/** Flags of `faultline check`. */
export interface CheckFlags {
  readonly history: string;
  readonly json: boolean;
}

function describeContext(ctx: CheckContext): string {
  const services = ctx.services.map((s) => `${s.name} x${s.instances}`).join(', ') || 'no services';
  const liveness = ctx.livenessStartMs === null ? 'no liveness phase' : `liveness from ${Math.round(ctx.livenessStartMs)} ms`;
  return `${ctx.timing.profile} timing; ${services}; ${liveness}; end ${Math.round(ctx.endMs)} ms`;
}

/** Says so when another faultline wrote the history: its events may mean other things to these checkers. */
function versionWarning(meta: HistoryMeta | null): string | null {
  if (meta === null || meta.faultline === version) return null;
  const writer = meta.faultline === null ? 'a faultline that did not record its version' : `faultline ${meta.faultline}`;
  return `the history was written by ${writer}; this is faultline ${version}: the checkers may judge it differently`;
}

/** Checks a history file and returns the exit code. */
export async function checkCommand(flags: CheckFlags, io: CliIo): Promise<number> {
  const records = readHistory(flags.history);
  if (!records.ok) return fail(io, records.error);
  const whole = checkHistoryComplete(records.value, flags.history);
  if (!whole.ok) return fail(io, whole.error);
  const meta = readHistoryMeta(flags.history);
  if (!meta.ok) return fail(io, meta.error);
  const context = meta.value?.context ?? inferCheckContext(records.value);
  const source = meta.value === null ? 'inferred from the history (no sidecar)' : metaPathOf(flags.history);
  const checks = runCheckers(records.value, context);
  const verdict = verdictOf(checks);
  const exitCode = EXIT_OF_VERDICT[verdict];
  const historyHash = hashHistory(records.value);
  if (flags.json) {
    const warning = versionWarning(meta.value);
    if (warning !== null) io.stderr.write(`faultline: warning: ${warning}\n`);
    const report = {
      history: flags.history,
      records: records.value.length,
      historyHash,
      hashMatchesRun: meta.value === null ? null : meta.value.historyHash === historyHash,
      expectations: source,
      verdict,
      exitCode,
      checks: checks.map((c) => ({ name: c.name, kind: c.kind ?? null, verdict: c.verdict, detail: c.detail, findings: c.findings ?? [] })),
    };
    println(io, JSON.stringify(report, null, 2));
    return exitCode;
  }
  println(io, `history ${flags.history} · ${records.value.length} records · ${historyHash}`);
  if (meta.value !== null && meta.value.historyHash !== historyHash) println(io, `warning: the sidecar was written for history ${meta.value.historyHash}: the file changed since`);
  const otherVersion = versionWarning(meta.value);
  if (otherVersion !== null) println(io, `warning: ${otherVersion}`);
  println(io, `expectations ${source}: ${describeContext(context)}`);
  println(io);
  println(io, 'checks');
  const width = Math.max(0, ...checks.map((c) => c.name.length));
  for (const c of checks) println(io, `  ${(c.verdict === 'pass' ? 'pass' : c.verdict === 'fail' ? 'FAIL' : 'INCONCLUSIVE').padEnd(12)} ${c.name.padEnd(width)}  ${c.detail}`);
  println(io);
  println(io, `${meta.value?.scenario ?? flags.history}: ${verdictWords(verdict)} (exit ${exitCode}${meta.value ? `, seed ${meta.value.seed}` : ''})`);
  return exitCode;
}
