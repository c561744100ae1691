/**
 * Recovery metrics per injected fault: how long until the cluster noticed
 * (agent marked unreachable or removed, a new leader, the framework
 * disconnected, the killed task's end) and how long until every service task it
 * cost was made good (replaced, back, or the service at its N RUNNING again).
 * Times are whole ms after the injection; null when it never happened or does
 * not apply (no task was affected).
 */
import type { HistoryRecord } from '../../core/events.js';
import { FaultWatcher } from './fault-watch.js';
import { ServiceModel, vacancyOfLoss, type Vacancy } from './service-model.js';
import type { CheckContext } from './types.js';

/** Recovery of one fault. */
export interface RecoveryMetric {
  /** The fault in words (`kill-agent agent-2`). */
  readonly fault: string;
  readonly atMs: number;
  /** From injection to detection. */
  readonly detectedMs: number | null;
  /** From injection to every affected service task running again. */
  readonly rescheduledMs: number | null;
}

/** Percentiles over the faults that recovered. */
export interface RecoverySummary {
  readonly p50DetectedMs: number | null;
  readonly maxDetectedMs: number | null;
  readonly p50RescheduledMs: number | null;
  readonly maxRescheduledMs: number | null;
}

/** Recovery metrics of every fault in the history, in injection order. */
export function recoveryMetrics(records: Iterable<HistoryRecord>, ctx: Pick<CheckContext, 'services'>): RecoveryMetric[] {
  const watcher = new FaultWatcher();
  const model = new ServiceModel();
  for (const r of records) {
    watcher.observe(r);
    model.observe(r);
  }
  const services = new Set(ctx.services.map((s) => s.name));
  const isService = (v: Vacancy): boolean => services.has(model.serviceOf(v.frameworkId) ?? '');

  // Every vacancy of every fault is matched in one pass so two faults cannot claim the same replacement.
  const perWatch = watcher.watches.map((w) => {
    const vacancies: Vacancy[] = model.losses.filter((l) => w.lostAgents.has(l.agentId) && l.lostAtMs >= w.atMs).map(vacancyOfLoss);
    if (w.taskEnd) vacancies.push({ taskId: w.taskEnd.taskId, frameworkId: w.taskEnd.frameworkId, sinceMs: w.taskEnd.atMs });
    return vacancies.filter(isService);
  });
  const unique = new Map<string, Vacancy>();
  for (const vacancies of perWatch) for (const v of vacancies) unique.set(`${v.taskId}@${v.sinceMs}`, v);
  const resolved = new Map<string, number | null>();
  const instances = new Map(ctx.services.map((s) => [s.name, s.instances]));
  for (const res of model.matchReplacements([...unique.values()], (name) => instances.get(name))) resolved.set(`${res.vacancy.taskId}@${res.vacancy.sinceMs}`, res.resolvedAtMs);

  return watcher.watches.map((w, i) => {
    const vacancies = perWatch[i] ?? [];
    let last: number | null = null;
    let all = vacancies.length > 0;
    for (const v of vacancies) {
      const at = resolved.get(`${v.taskId}@${v.sinceMs}`) ?? null;
      if (at === null) all = false;
      else last = Math.max(last ?? at, at);
    }
    return {
      fault: w.description,
      atMs: w.atMs,
      // Whole ms: virtual times carry sub-ms latency draws that mean nothing in a report.
      detectedMs: w.detectedAtMs === null ? null : Math.round(w.detectedAtMs - w.atMs),
      rescheduledMs: all && last !== null ? Math.round(last - w.atMs) : null,
    };
  });
}

/** The median (nearest rank) and the maximum of detection and reschedule times. */
export function summariseRecovery(metrics: readonly RecoveryMetric[]): RecoverySummary {
  const detected = metrics.map((m) => m.detectedMs).filter((v): v is number => v !== null);
  const rescheduled = metrics.map((m) => m.rescheduledMs).filter((v): v is number => v !== null);
  return {
    p50DetectedMs: percentile(detected, 0.5),
    maxDetectedMs: detected.length > 0 ? Math.max(...detected) : null,
    p50RescheduledMs: percentile(rescheduled, 0.5),
    maxRescheduledMs: rescheduled.length > 0 ? Math.max(...rescheduled) : null,
  };
}

/** Nearest-rank percentile (q in (0, 1]); null for no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? null;
}
