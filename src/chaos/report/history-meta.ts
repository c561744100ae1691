/**
 * The sidecar of a history file (`<history>.meta.json`): what the checkers need
 * that the event stream does not say (the services' N and unreachableStrategy,
 * the timing overrides, when the liveness phase began, where each phase began
 * for the replay's timeline bar). The history itself
 * stays the pure event stream whose hash the reports print. Without a sidecar,
 * `inferCheckContext` reads what it can from the history.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { err, ok, type Result } from '../../core/errors.js';
import type { HistoryRecord } from '../../core/events.js';
import { FAST_TIMING, TIMING_PROFILES, type Timing, type TimingProfileName } from '../../core/timing.js';
import type { CheckContext, ServiceExpectation } from '../checkers/index.js';
import type { PhaseBoundary, PhaseBoundaryName, RunResult } from '../runner/index.js';

/** What the sidecar holds. */
export interface HistoryMeta {
  readonly kind: 'faultline-history-meta';
  readonly version: 1;
  readonly scenario: string;
  readonly seed: string;
  readonly historyHash: string;
  readonly context: CheckContext;
  /** The faultline version that wrote the history (null: a sidecar from before this field). */
  readonly faultline: string | null;
  /** Where each phase began, then `end` (null: a sidecar from before this field; the replay then guesses them). */
  readonly phases: readonly PhaseBoundary[] | null;
}

/** The sidecar's path for a history file. */
export function metaPathOf(historyPath: string): string {
  return `${historyPath}.meta.json`;
}

/** The sidecar of a run (null when the run carries no check context). */
export function historyMetaOf(result: RunResult, faultline: string): HistoryMeta | null {
  if (result.checkContext === undefined) return null;
  return { kind: 'faultline-history-meta', version: 1, scenario: result.scenario, seed: result.seed, historyHash: result.historyHash, context: result.checkContext, faultline, phases: result.phases ?? null };
}

/** Writes the sidecar (Infinity, a disabled replacement, is written as null). */
export function writeHistoryMeta(historyPath: string, meta: HistoryMeta): Result<string> {
  const path = metaPathOf(historyPath);
  const services = meta.context.services.map((s) => ({ ...s, inactiveAfterMs: Number.isFinite(s.inactiveAfterMs) ? s.inactiveAfterMs : null }));
  try {
    writeFileSync(path, `${JSON.stringify({ ...meta, context: { ...meta.context, services } }, null, 2)}\n`);
    return ok(path);
  } catch (e) {
    return err('IO', `cannot write: ${(e as Error).message}`, path);
  }
}

/** Reads the sidecar of a history file: null when there is none, an error when it is unreadable or malformed. */
export function readHistoryMeta(historyPath: string): Result<HistoryMeta | null> {
  const path = metaPathOf(historyPath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return ok(null);
    return err('IO', `cannot read: ${(e as Error).message}`, path);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return err('IO', `not JSON: ${(e as Error).message}`, path);
  }
  const meta = asMeta(value);
  return meta === null ? err('IO', 'not a faultline history sidecar (kind, version 1, scenario, seed, historyHash, context, phases)', path) : ok(meta);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asMeta(value: unknown): HistoryMeta | null {
  if (!isRecord(value) || value.kind !== 'faultline-history-meta' || value.version !== 1) return null;
  const { scenario, seed, historyHash, context, faultline } = value;
  if (typeof scenario !== 'string' || typeof seed !== 'string' || typeof historyHash !== 'string' || !isRecord(context)) return null;
  if (faultline !== undefined && typeof faultline !== 'string') return null;
  // Sidecars written before the runner recorded its phases have none (or null): the replay guesses them.
  const phases = value.phases === undefined || value.phases === null ? null : asPhases(value.phases);
  if (phases === undefined) return null;
  const { timing, services, livenessStartMs, endMs } = context;
  if (!isRecord(timing) || !Array.isArray(services) || typeof endMs !== 'number') return null;
  if (livenessStartMs !== null && typeof livenessStartMs !== 'number') return null;
  const profile = timing.profile;
  if (profile !== 'fast' && profile !== 'mesos') return null;
  const base = TIMING_PROFILES[profile];
  for (const key of Object.keys(base) as Array<keyof Timing>) if (key !== 'profile' && typeof timing[key] !== 'number') return null;
  const expectations: ServiceExpectation[] = [];
  for (const s of services) {
    if (!isRecord(s) || typeof s.name !== 'string' || typeof s.instances !== 'number' || typeof s.partitionAware !== 'boolean') return null;
    if (s.inactiveAfterMs !== null && typeof s.inactiveAfterMs !== 'number') return null;
    expectations.push({ name: s.name, instances: s.instances, partitionAware: s.partitionAware, inactiveAfterMs: s.inactiveAfterMs ?? Infinity });
  }
  return {
    kind: 'faultline-history-meta',
    version: 1,
    scenario,
    seed,
    historyHash,
    context: { timing: { ...base, ...(timing as Partial<Timing>), profile }, services: expectations, livenessStartMs, endMs },
    faultline: faultline ?? null,
    phases,
  };
}

const BOUNDARY_NAMES: ReadonlySet<string> = new Set<PhaseBoundaryName>(['steady-before', 'method', 'rollbacks', 'liveness', 'steady-after', 'end']);

/** The phase boundaries, in order of time and position; undefined when malformed. */
function asPhases(value: unknown): PhaseBoundary[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const phases: PhaseBoundary[] = [];
  for (const p of value) {
    if (!isRecord(p) || typeof p.phase !== 'string' || !BOUNDARY_NAMES.has(p.phase)) return undefined;
    if (typeof p.atMs !== 'number' || !Number.isFinite(p.atMs) || typeof p.position !== 'number' || !Number.isSafeInteger(p.position) || p.position < 0) return undefined;
    const before = phases[phases.length - 1];
    if (before !== undefined && (p.atMs < before.atMs || p.position < before.position)) return undefined;
    phases.push({ phase: p.phase as PhaseBoundaryName, atMs: p.atMs, position: p.position });
  }
  return phases;
}

const STEADY_NOTE = /^(\d+)\/(\d+) running$/;
const SCALED_NOTE = /^scaled from \d+ to (\d+) instances$/;

/**
 * The check context read from a history alone: the timing profile from
 * `cluster.started` (overrides are lost), each service's N from its
 * scheduler's `N/N running` note (else the most tasks it ever had RUNNING at
 * once), the default unreachableStrategy, the liveness phase from the last
 * heal, and the end from the last record.
 */
export function inferCheckContext(records: readonly HistoryRecord[]): CheckContext {
  let profile: TimingProfileName | null = null;
  const partitionAware = new Map<string, boolean>();
  const frameworkName = new Map<string, string>();
  const noted = new Map<string, number>();
  const running = new Map<string, number>();
  const peak = new Map<string, number>();
  const taskRunning = new Map<string, boolean>();
  const finished = new Set<string>();
  let lastHealMs: number | null = null;
  for (const r of records) {
    switch (r.type) {
      case 'cluster.started':
        if (r.timing === 'fast' || r.timing === 'mesos') profile = r.timing;
        break;
      case 'framework.subscribed':
        partitionAware.set(r.name, r.partitionAware);
        frameworkName.set(r.frameworkId, r.name);
        break;
      case 'framework.resubscribed':
        frameworkName.set(r.frameworkId, r.name);
        break;
      case 'scheduler.note': {
        const steady = STEADY_NOTE.exec(r.note) ?? SCALED_NOTE.exec(r.note);
        const n = steady?.[2] ?? steady?.[1];
        if (n !== undefined) noted.set(r.app, Number(n));
        break;
      }
      case 'task.updated': {
        const name = frameworkName.get(r.frameworkId);
        if (name === undefined) break;
        if (r.state === 'TASK_FINISHED') finished.add(name);
        const was = taskRunning.get(r.taskId) ?? false;
        const is = r.state === 'TASK_RUNNING';
        if (was === is) break;
        taskRunning.set(r.taskId, is);
        const count = (running.get(name) ?? 0) + (is ? 1 : -1);
        running.set(name, count);
        peak.set(name, Math.max(peak.get(name) ?? 0, count));
        break;
      }
      case 'fault.injected':
        if (r.fault.kind === 'heal') lastHealMs = r.atMs;
        break;
      default:
        break;
    }
  }
  const timing = profile === null ? FAST_TIMING : TIMING_PROFILES[profile];
  const services: ServiceExpectation[] = [];
  for (const [name, aware] of partitionAware) {
    // Batch jobs and commands finish; services never do (a task that finishes is not a service's).
    if (finished.has(name) && !noted.has(name)) continue;
    const instances = noted.get(name) ?? peak.get(name);
    if (instances === undefined || instances === 0) continue;
    services.push({ name, instances, partitionAware: aware, inactiveAfterMs: timing.inactiveAfterMs });
  }
  const last = records[records.length - 1];
  return { timing, services, livenessStartMs: lastHealMs, endMs: last === undefined ? 0 : last.atMs };
}
