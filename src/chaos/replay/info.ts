/**
 * What `faultline replay` shows beside the state: the history's faults, its
 * phases and every checker finding, each placed at a position of the history
 * (position p = the state just after the record at index p - 1). Pure: the
 * CLI reads the file, this places what the checkers found.
 */
import type { HistoryRecord } from '../../core/events.js';
import { describeFault } from '../../core/faults.js';
import type { CheckContext, CheckResult } from '../checkers/index.js';
import type { PhaseBoundary } from '../runner/index.js';

/** A phase as the timeline bar shades it (steady-before and steady-after are both `steady`). */
export type PlacedPhaseName = 'steady' | 'method' | 'rollbacks' | 'liveness';

/** A place on the timeline. */
export interface ReplayMark {
  readonly position: number;
  readonly atMs: number;
  readonly label: string;
  /** For a fault: the phase that injected it (a rollback's heal is not the method's). */
  readonly phase?: PlacedPhaseName;
}

/** A finding, placed. */
export interface PlacedFinding {
  readonly checker: string;
  readonly kind: string;
  readonly detail: string;
  readonly atMs: number;
  readonly position: number;
  readonly events: readonly ReplayMark[];
}

/** A phase of the run: its records are those at positions fromPosition + 1 .. toPosition (indexes fromPosition .. toPosition - 1). */
export interface PlacedPhase {
  readonly phase: PlacedPhaseName;
  readonly fromMs: number;
  readonly toMs: number;
  readonly fromPosition: number;
  readonly toPosition: number;
}

/** Everything static of a replay. */
export interface ReplayInfoData {
  readonly source: string;
  readonly total: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly faults: readonly ReplayMark[];
  readonly findings: readonly PlacedFinding[];
  readonly phases: readonly PlacedPhase[];
  /** Whether the phases are the runner's own (the run, or its sidecar) or guessed from the history (an older sidecar, none). */
  readonly phasesKnown: boolean;
}

/** The position just after the last record at or before `atMs` (binary search; records are in time order). */
export function positionAtMs(records: readonly HistoryRecord[], atMs: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((records[mid] as HistoryRecord).atMs <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One line naming a record (the finding pane's event list). */
export function recordLabel(record: HistoryRecord): string {
  switch (record.type) {
    case 'fault.injected':
      return `fault ${describeFault(record.fault)}`;
    case 'task.status':
      return `task.status ${record.taskId} ${record.state} on ${record.host} (${record.agentId})`;
    case 'task.updated':
      return `task.updated ${record.taskId} ${record.state}${record.reason ? ` ${record.reason}` : ''}`;
    case 'agent.registered':
    case 'agent.reregistered':
    case 'agent.unreachable':
      return `${record.type} ${record.agentId} on ${record.host}`;
    case 'master.elected':
      return `master.elected ${record.node} epoch ${record.epoch}`;
    default:
      return record.type;
  }
}

/** The first position whose next record is at or after `atMs` (where a phase that began at `atMs` starts). */
function positionBeforeMs(records: readonly HistoryRecord[], atMs: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((records[mid] as HistoryRecord).atMs < atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Places the faults, phases and findings of a checked history. `phases` are
 * the runner's boundaries (the run itself, or the sidecar); null guesses them
 * from the history: the method from the first fault, the liveness phase from
 * the context's heal, and no rollbacks (they cannot be told from the method).
 */
export function replayInfoOf(options: { source: string; records: readonly HistoryRecord[]; checks: readonly CheckResult[]; context: CheckContext; phases: readonly PhaseBoundary[] | null }): ReplayInfoData {
  const { records } = options;
  const first = records[0]?.seq ?? 0;
  const startMs = records[0]?.atMs ?? 0;
  const endMs = Math.max(records[records.length - 1]?.atMs ?? 0, options.context.endMs);
  const markOf = (index: number): ReplayMark | null => {
    const record = records[index];
    return record === undefined ? null : { position: index + 1, atMs: record.atMs, label: recordLabel(record) };
  };
  const faults: ReplayMark[] = [];
  records.forEach((r, i) => {
    if (r.type === 'fault.injected') faults.push({ position: i + 1, atMs: r.atMs, label: describeFault(r.fault) });
  });
  const boundaries = options.phases ?? guessedBoundaries(records, faults, startMs, endMs, options.context.livenessStartMs);
  const phases = placePhases(boundaries, records.length, endMs);
  const placedFaults = faults.map((f) => {
    const phase = phaseAt(phases, f.position);
    return phase === null ? f : { ...f, phase: phase.phase };
  });
  const findings: PlacedFinding[] = [];
  for (const check of options.checks) {
    if (check.verdict === 'pass') continue;
    const located = check.findings ?? [];
    const kind = check.kind ?? 'safety';
    if (located.length === 0) {
      // A verdict with no located finding (a method step's deadline, an inconclusive fault): at the end.
      findings.push({ checker: check.name, kind, detail: check.detail, atMs: endMs, position: records.length, events: [] });
      continue;
    }
    for (const f of located) {
      const events = f.seqs.map((seq) => markOf(seq - first)).filter((m): m is ReplayMark => m !== null);
      const last = events[events.length - 1];
      // Where it broke: the later of its last record and the last record at its time.
      const position = Math.max(last?.position ?? 0, positionAtMs(records, f.atMs));
      findings.push({ checker: check.name, kind, detail: f.detail, atMs: f.atMs, position, events });
    }
  }
  findings.sort((a, b) => a.position - b.position);
  return { source: options.source, total: records.length, startMs, endMs, faults: placedFaults, findings, phases, phasesKnown: options.phases !== null };
}

/** The phase a position's record belongs to (position p is record p - 1), or null outside every phase. */
function phaseAt(phases: readonly PlacedPhase[], position: number): PlacedPhase | null {
  return phases.find((p) => p.fromPosition < position && position <= p.toPosition) ?? null;
}

/** Today's guess for a history without the runner's boundaries: steady until the first fault, the method until the liveness heal. */
function guessedBoundaries(records: readonly HistoryRecord[], faults: readonly ReplayMark[], startMs: number, endMs: number, livenessStartMs: number | null): PhaseBoundary[] {
  const boundaries: PhaseBoundary[] = [{ phase: 'steady-before', atMs: startMs, position: 0 }];
  const first = faults[0];
  if (first !== undefined && (livenessStartMs === null || first.atMs < livenessStartMs)) boundaries.push({ phase: 'method', atMs: first.atMs, position: first.position - 1 });
  if (livenessStartMs !== null) boundaries.push({ phase: 'liveness', atMs: livenessStartMs, position: positionBeforeMs(records, livenessStartMs) });
  boundaries.push({ phase: 'end', atMs: endMs, position: records.length });
  return boundaries;
}

/** Each boundary up to the next one; empty phases (no time, no records: rollbacks with no steps) are left out. */
function placePhases(boundaries: readonly PhaseBoundary[], total: number, endMs: number): PlacedPhase[] {
  const phases: PlacedPhase[] = [];
  boundaries.forEach((b, i) => {
    if (b.phase === 'end') return;
    const next = boundaries[i + 1];
    // A sidecar of another history could point past this one: clamp to it.
    const fromPosition = Math.min(b.position, total);
    const toPosition = Math.min(next?.position ?? total, total);
    const toMs = next?.atMs ?? endMs;
    if (toMs <= b.atMs && toPosition <= fromPosition) return;
    const phase: PlacedPhaseName = b.phase === 'steady-before' || b.phase === 'steady-after' ? 'steady' : b.phase;
    phases.push({ phase, fromMs: b.atMs, toMs, fromPosition, toPosition });
  });
  return phases;
}
