/**
 * What `faultline fuzz` prints while it runs. On a terminal, one status line
 * (seeds done, seeds/s, failures) is redrawn in place at most ten times a
 * second, with failures printed above it; otherwise (CI, a pipe) plain lines:
 * one per failure and one per tenth of the seeds.
 */
import { assertNever } from '../../core/errors.js';
import { formatDuration } from '../scenario/index.js';
import type { FuzzEvent, FuzzFailure, FuzzSummary } from './summary.js';

/** Where and how to print. */
export interface ProgressOptions {
  readonly out: NodeJS.WritableStream;
  /** Redraw a status line in place (a terminal); false prints plain lines. */
  readonly live: boolean;
  /** Wall clock in ms. */
  readonly clock: () => number;
}

/** The least time between two redraws of the live line. */
const REDRAW_EVERY_MS = 100;
/** How many inconclusive seeds the summary names. */
const NAMED_SEEDS = 10;
const CLEAR_LINE = '\r\x1b[2K';
/** A failing seed's line is a headline: the full detail comes with the failure block. */
const SEED_DETAIL_CHARS = 160;

/** Follows a fuzz run's events and prints them. */
export class FuzzProgress {
  private status = '';
  private lastDrawMs = -Infinity;
  private nextPlainAt = 0;

  constructor(private readonly options: ProgressOptions) {}

  /** A line above the live status (or just a line). */
  line(text: string): void {
    if (this.options.live && this.status !== '') this.options.out.write(CLEAR_LINE);
    this.options.out.write(`${text}\n`);
    if (this.options.live && this.status !== '') this.options.out.write(this.status);
  }

  /** Follows one event. */
  onEvent(event: FuzzEvent): void {
    switch (event.kind) {
      case 'seed': {
        const { outcome, done, total, failing, elapsedMs } = event;
        const summary = outcome.summary;
        if (outcome.error !== null) this.line(`seed ${outcome.seed}: internal error: ${firstLine(outcome.error)}`);
        else if (summary !== null && (summary.verdict === 'safety' || summary.verdict === 'liveness')) {
          this.line(`seed ${outcome.seed}: ${summary.verdict} failure · ${outcome.schedule.faults.length} fault(s) · ${clip(summary.detail, SEED_DETAIL_CHARS)}`);
        }
        const perSecond = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
        const text = `fuzz ${done}/${total} seeds · ${perSecond.toFixed(1)} seeds/s · ${failing} failing · ${formatDuration(Math.round(elapsedMs / 1000) * 1000)}`;
        if (this.options.live) this.draw(text, done === total);
        else if (done >= this.nextPlainAt || done === total) {
          this.line(text);
          this.nextPlainAt = done + Math.max(1, Math.ceil(total / 10));
        }
        return;
      }
      case 'recheck':
        if (event.firstHash !== event.secondHash) this.line(`seed ${event.seed}: NOT DETERMINISTIC: history hash ${event.firstHash} on the first run, ${event.secondHash} on the re-run`);
        return;
      case 'shrink-start':
        this.line(`seed ${event.seed}: shrinking ${event.faults} fault(s) (a candidate still fails when it gives a ${event.verdict} verdict)`);
        if (this.options.live) this.draw(`shrinking seed ${event.seed}: ${event.faults} fault(s)`, true);
        return;
      case 'shrink-progress':
        if (this.options.live) this.draw(`shrinking seed ${event.seed}: ${event.faults} fault(s) left after ${event.runs} run(s)`, false);
        return;
      case 'failure':
        for (const text of failureLines(event.failure)) this.line(text);
        return;
      default:
        assertNever(event, 'fuzz event');
    }
  }

  /** Clears the live line and prints the summary. */
  finish(summary: FuzzSummary): void {
    if (this.options.live && this.status !== '') this.options.out.write(CLEAR_LINE);
    this.status = '';
    for (const text of summaryLines(summary)) this.options.out.write(`${text}\n`);
  }

  private draw(text: string, force: boolean): void {
    const now = this.options.clock();
    this.status = text;
    if (!force && now - this.lastDrawMs < REDRAW_EVERY_MS) return;
    this.lastDrawMs = now;
    this.options.out.write(`${CLEAR_LINE}${text}`);
  }
}

/** A failure as printed: what failed, how to reproduce it, what it shrank to, how to replay that. */
export function failureLines(failure: FuzzFailure): string[] {
  const lines = [`FAIL seed ${failure.seed} (${failure.verdict}): ${failure.detail}`, `  reproduce: ${failure.reproduce}`];
  if (failure.faultsAfter !== null) {
    lines.push(`  shrunk:    ${failure.faultsBefore} -> ${failure.faultsAfter} fault(s) in ${failure.shrinkRuns} run(s)`);
    for (const fault of failure.shrunkFaults) lines.push(`             ${fault}`);
  }
  if (failure.replay !== null) lines.push(`  replay:    ${failure.replay}`);
  if (failure.open !== null) lines.push(`  open:      ${failure.open}`);
  if (failure.reproduces === false) lines.push('  warning:   the shrunk file, run again, did not give the same verdict');
  return lines;
}

/** The closing lines. */
export function summaryLines(summary: FuzzSummary): string[] {
  const rate = `${summary.seedsPerMin.toFixed(0)} seeds/min`;
  const { byVerdict } = summary;
  const kinds = [
    byVerdict.safety > 0 ? `${byVerdict.safety} safety` : '',
    byVerdict.liveness > 0 ? `${byVerdict.liveness} liveness` : '',
    byVerdict.nondeterministic > 0 ? `${byVerdict.nondeterministic} not deterministic` : '',
    byVerdict.error > 0 ? `${byVerdict.error} internal error` : '',
  ].filter((s) => s !== '');
  const lines = [
    `${summary.seeds} seed(s) in ${formatDuration(summary.wallMs)} (${rate}): ${summary.passed} passed, ${summary.failed} failed${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}, ` +
      `${summary.inconclusive} inconclusive${summary.stopped ? ` · stopped after ${summary.seeds} of ${summary.requested}` : ''}`,
  ];
  if (summary.inconclusiveSeeds.length > 0) {
    const named = summary.inconclusiveSeeds.slice(0, NAMED_SEEDS).join(', ');
    const more = summary.inconclusiveSeeds.length > NAMED_SEEDS ? ` and ${summary.inconclusiveSeeds.length - NAMED_SEEDS} more` : '';
    lines.push(`inconclusive (a fault never bit; counted, not shrunk): seeds ${named}${more}`);
  }
  const checks = summary.determinismChecks;
  if (checks.checked > 0) lines.push(`determinism: ${checks.checked} seed(s) re-run, ${checks.matched} gave the same history hash`);
  return lines;
}

function clip(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 3)}...` : text;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
