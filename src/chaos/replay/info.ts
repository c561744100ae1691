/**
 * What `faultline replay` shows beside the state: the history's faults, its
 * phases and every checker finding, each placed at a position of the history
 * (position p = the state just after the record at index p - 1). Pure: the
 * CLI reads the file, this places what the checkers found.
 */
import type { HistoryRecord } from '../../core/events.js';
import { describeFault } from '../../core/faults.js';
import type { CheckContext, CheckResult } from '../checkers/index.js';

/** A place on the timeline. */
export interface ReplayMark {
  readonly position: number;
  readonly atMs: number;
  readonly label: string;
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

/** A phase of the run. */
export interface PlacedPhase {
  readonly phase: 'steady' | 'method' | 'rollbacks' | 'liveness';
  readonly fromMs: number;
  readonly toMs: number;
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
}

/** When the run's phases began, where known (a history alone knows its faults and, from the sidecar, the liveness start). */
export interface PhaseTimes {
  readonly methodStartMs?: number | null;
  readonly livenessStartMs: number | null;
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

/** Places the faults, phases and findings of a checked history. */
export function replayInfoOf(options: { source: string; records: readonly HistoryRecord[]; checks: readonly CheckResult[]; context: CheckContext; phases: PhaseTimes }): ReplayInfoData {
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
  return { source: options.source, total: records.length, startMs, endMs, faults, findings, phases: phasesOf(faults, startMs, endMs, options.phases) };
}

function phasesOf(faults: readonly ReplayMark[], startMs: number, endMs: number, times: PhaseTimes): PlacedPhase[] {
  const methodMs = times.methodStartMs ?? faults[0]?.atMs ?? null;
  const livenessMs = times.livenessStartMs;
  const phases: PlacedPhase[] = [];
  const methodEnd = livenessMs ?? endMs;
  phases.push({ phase: 'steady', fromMs: startMs, toMs: methodMs ?? methodEnd });
  if (methodMs !== null && methodMs < methodEnd) phases.push({ phase: 'method', fromMs: methodMs, toMs: methodEnd });
  if (livenessMs !== null) phases.push({ phase: 'liveness', fromMs: livenessMs, toMs: endMs });
  return phases;
}
