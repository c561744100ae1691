/**
 * The human report of one run: a header with the scenario, seed and history
 * hash; a timeline of faults and recoveries; every check with its verdict; the
 * recovery metrics per fault with p50 and max; the verdict line; and, when the
 * run did not pass, the command that reproduces it.
 */
import type { RecoveryMetric } from '../checkers/index.js';
import type { FaultRecord, RunResult } from '../runner/index.js';
import { maybeSeconds, seconds, verdictLine } from './format.js';

/** Options of the text report. */
export interface TextReportOptions {
  /** The scenario's description, printed under the header. */
  readonly description?: string;
}

interface TimelineEntry {
  readonly atMs: number;
  readonly text: string;
}

/** Faults that only undo others: no recovery to measure. */
const RESTORATIVE = new Set<FaultRecord['kind']>(['heal', 'unclog', 'resume-agent', 'resume-master']);

/** Each fault's recovery metric, matched by position and time (both come from the same injections, in order). */
export function pairRecovery(result: RunResult): Array<{ fault: FaultRecord; metric: RecoveryMetric | null }> {
  return result.faults.map((fault, i) => {
    const metric = result.recovery[i];
    return { fault, metric: metric !== undefined && metric.atMs === fault.atMs ? metric : null };
  });
}

/** Fault labels in the timeline are cut here (a partition of 50 nodes names every one). */
const LABEL_MAX = 80;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function timeline(result: RunResult): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  if (result.methodStartMs !== undefined) entries.push({ atMs: result.methodStartMs, text: 'method starts' });
  for (const { fault, metric } of pairRecovery(result)) {
    const phase = fault.phase !== undefined && fault.phase !== 'method' ? ` [${fault.phase}]` : '';
    entries.push({ atMs: fault.atMs, text: `${clip(`${fault.kind} ${fault.target}`, LABEL_MAX)}${phase}` });
    if (metric === null) continue;
    if (metric.detectedMs !== null) entries.push({ atMs: fault.atMs + metric.detectedMs, text: `  detected: ${clip(`${fault.kind} ${fault.target}`, LABEL_MAX)} (+${seconds(metric.detectedMs)})` });
    if (metric.rescheduledMs !== null) entries.push({ atMs: fault.atMs + metric.rescheduledMs, text: `  recovered: every task it cost running again (+${seconds(metric.rescheduledMs)})` });
  }
  for (const milestone of result.milestones ?? []) entries.push({ atMs: milestone.atMs, text: `  ${clip(milestone.text, LABEL_MAX + 40)}` });
  const convergence = result.convergence;
  if (convergence?.converged === true && convergence.convergedAfterMs !== null && result.livenessStartMs != null) {
    entries.push({ atMs: result.livenessStartMs + convergence.convergedAfterMs, text: `converged (+${seconds(convergence.convergedAfterMs)} after the heal)` });
  }
  entries.push({ atMs: result.simulatedMs, text: result.interrupted ? 'interrupted' : 'end' });
  // Stable: entries at the same time keep their order above.
  return entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i).map(({ e }) => e);
}

/** The whole text report, lines joined with `\n` (no trailing newline). */
export function textReport(result: RunResult, options: TextReportOptions = {}): string {
  const lines: string[] = [];
  lines.push(`scenario ${result.scenario} · seed ${result.seed}${result.file ? ` · ${result.file}` : ''}`);
  if (options.description) lines.push(`  ${options.description}`);
  lines.push(`history ${result.historyHash}`);
  const ran = result.live === undefined ? `${seconds(result.simulatedMs)} simulated in ${result.wallMs} ms wall` : `${seconds(result.simulatedMs)} live on real processes`;
  lines.push(`${ran}${result.interrupted ? ' · INTERRUPTED (rollbacks ran)' : ''}`);
  if (result.live !== undefined) {
    lines.push(`network faults: ${result.live.network}`);
    for (const note of result.live.notes) lines.push(`  note: ${note}`);
  }

  lines.push('', 'timeline');
  const times = timeline(result);
  const width = Math.max(...times.map((t) => seconds(t.atMs).length));
  for (const t of times) lines.push(`  ${seconds(t.atMs).padStart(width)}  ${t.text}`);

  lines.push('', 'checks');
  const nameWidth = Math.max(0, ...result.checks.map((c) => c.name.length));
  for (const check of result.checks) {
    const mark = check.verdict === 'pass' ? 'pass' : check.verdict === 'fail' ? 'FAIL' : 'INCONCLUSIVE';
    lines.push(`  ${mark.padEnd(12)} ${check.name.padEnd(nameWidth)}  ${check.detail}`);
  }

  const measured = pairRecovery(result).filter(({ fault, metric }) => metric !== null && !RESTORATIVE.has(fault.kind) && fault.phase !== 'liveness');
  lines.push('', 'recovery (time to detect; time until every task it cost ran again)');
  if (measured.length === 0) lines.push('  no faults to measure');
  const label = (fault: FaultRecord): string => clip(`${fault.kind} ${fault.target}`, 48);
  const faultWidth = Math.max(0, ...measured.map(({ fault }) => label(fault).length));
  for (const { fault, metric } of measured) {
    lines.push(`  ${label(fault).padEnd(faultWidth)}  at ${seconds(fault.atMs)}  detect ${maybeSeconds(metric?.detectedMs ?? null)}  reschedule ${maybeSeconds(metric?.rescheduledMs ?? null)}`);
  }
  const s = result.recoverySummary;
  lines.push(`  detect p50 ${maybeSeconds(s.p50DetectedMs)}, max ${maybeSeconds(s.maxDetectedMs)} · reschedule p50 ${maybeSeconds(s.p50RescheduledMs)}, max ${maybeSeconds(s.maxRescheduledMs)}`);

  if (result.convergence !== null && !result.convergence.converged) {
    lines.push('', 'not converged:');
    for (const reason of result.convergence.reasons) lines.push(`  - ${reason}`);
  }
  lines.push('', verdictLine(result));
  if (result.verdict !== 'pass' || result.interrupted) lines.push(`reproduce: ${result.reproduce}`);
  return lines.join('\n');
}
