/**
 * The checker contract. A checker is a small streaming object: it observes the
 * history record by record and gives its verdict at the end, when the run's
 * context (timing, services, the liveness phase) is known. Safety checkers say
 * something bad never happened, liveness checkers that something good did, and
 * "sometimes" checkers that each fault really bit (else inconclusive).
 */
import type { HistoryRecord } from '../../core/events.js';
import type { Timing } from '../../core/timing.js';

/** What a checker proves; it decides the exit code class of a failure. */
export type CheckKind = 'safety' | 'liveness' | 'sometimes';

/** A checker's verdict. */
export type CheckVerdict = 'pass' | 'fail' | 'inconclusive';

/**
 * One thing a checker found, where it happened: the virtual time and the
 * sequence numbers of the records that make it (the replay jumps to them).
 */
export interface CheckFinding {
  readonly detail: string;
  /** Virtual ms of the finding (the moment it broke). */
  readonly atMs: number;
  /** The records it points at, oldest first (at least the one at `atMs` when known). */
  readonly seqs: readonly number[];
}

/** Where a finding happened: its time and records. */
export interface FindingPoint {
  readonly atMs: number;
  readonly seqs: readonly number[];
}

/** One checker's answer. `kind` lets reports map a failure to its exit code. */
export interface CheckResult {
  readonly name: string;
  readonly verdict: CheckVerdict;
  readonly detail: string;
  readonly kind?: CheckKind;
  /** The first few findings with their times and records (absent or empty on a pass). */
  readonly findings?: readonly CheckFinding[];
}

/** A service the run keeps up: its framework has `name` as framework.subscribed name. */
export interface ServiceExpectation {
  readonly name: string;
  readonly instances: number;
  /** The service's unreachableStrategy inactiveAfter (Infinity when replacement is disabled). */
  readonly inactiveAfterMs: number;
  readonly partitionAware: boolean;
}

/** What the checkers need to know about the run. */
export interface CheckContext {
  readonly timing: Timing;
  readonly services: readonly ServiceExpectation[];
  /** When everything was healed for the liveness phase; null when the run had none. */
  readonly livenessStartMs: number | null;
  /** When the run ended (virtual ms). */
  readonly endMs: number;
  /** Slack for message latency in the reschedule bound and the overlap grace (default 1,000 ms). */
  readonly rescheduleSlackMs?: number;
}

/** A streaming checker. */
export interface Checker {
  readonly name: string;
  readonly kind: CheckKind;
  /** Sees the next record (in history order). */
  observe(record: HistoryRecord): void;
  /** The verdict after the last record. */
  finish(ctx: CheckContext): CheckResult;
}

/** Default slack added for message latency. */
export const DEFAULT_SLACK_MS = 1_000;

/** The slack in force for a run. */
export function slackOf(ctx: CheckContext): number {
  return ctx.rescheduleSlackMs ?? DEFAULT_SLACK_MS;
}

/** At most this many findings are spelled out in a detail. */
const SHOWN = 5;

/** Violations found so far: counted all, the first few kept as text (memory stays flat on long runs). */
export class Findings {
  private readonly first: string[] = [];
  private readonly located: CheckFinding[] = [];
  private total = 0;

  /** Records one finding, with where it happened when known. */
  add(text: string, at?: FindingPoint): void {
    this.total += 1;
    if (this.first.length < SHOWN) {
      this.first.push(text);
      if (at !== undefined) this.located.push({ detail: text, atMs: at.atMs, seqs: at.seqs });
    }
  }

  /** The first few findings that know where they happened. */
  list(): readonly CheckFinding[] {
    return this.located;
  }

  /** How many were found. */
  get count(): number {
    return this.total;
  }

  /** The first few joined into one line, then how many more. */
  text(): string {
    return this.total > this.first.length ? `${this.first.join('; ')}; and ${this.total - this.first.length} more` : this.first.join('; ');
  }
}

/** Joins findings into one detail line: the first few, then how many more. */
export function listFindings(findings: readonly string[]): string {
  const shown = findings.slice(0, SHOWN).join('; ');
  return findings.length > SHOWN ? `${shown}; and ${findings.length - SHOWN} more` : shown;
}

/** A time or duration for a detail: whole milliseconds (virtual times carry latency fractions). */
export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** Builds a result (with its located findings, when it has any). */
export function resultOf(checker: Pick<Checker, 'name' | 'kind'>, verdict: CheckVerdict, detail: string, findings: readonly CheckFinding[] = []): CheckResult {
  return findings.length > 0 ? { name: checker.name, verdict, detail, kind: checker.kind, findings } : { name: checker.name, verdict, detail, kind: checker.kind };
}

/** Where one record is: its time and seq. */
export function pointOf(record: { readonly atMs: number; readonly seq: number }): FindingPoint {
  return { atMs: record.atMs, seqs: [record.seq] };
}
