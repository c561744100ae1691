/**
 * The TUI's ClusterFeed over the embedded simulation: the projection as the
 * snapshot, a window of recent history records, faults injected at the
 * current virtual time (and remembered for `w`), and the wall-clock pacer as
 * the clock. A scenario run (`:run`, `--scenario`) swaps in the runner's own
 * cluster, paced through a gate; when the run ends, that cluster stays on
 * screen and keeps running under the pacer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, resolve as resolvePath } from 'node:path';
import { err, ok, type Result } from '../core/errors.js';
import type { HistoryRecord } from '../core/events.js';
import type { Fault } from '../core/faults.js';
import type { ClusterState } from '../core/state.js';
import { parseScenario, scenarioFromFaults, scenarioToYaml, type Scenario } from '../chaos/scenario/index.js';
import type { Cluster } from '../cluster/index.js';
import { runScenario } from './sim-runtime.js';
import type { ClusterFeed, ScenarioRunFeed } from '../tui/index.js';
import { simulatedTaskOutput } from './task-output.js';
import { createPaceGate, type PaceGate } from './pace-gate.js';
import { Pacer, type WallClock } from './pacer.js';
import { createTuiRunFeed } from './tui-run-feed.js';

/** Records kept for the Events view. */
const EVENT_WINDOW = 5_000;
/** Virtual time per runner chunk inside the TUI: the screen follows a run at ~10 Hz at x1. */
const TUI_RUN_CHUNK_MS = 100;

/** Options of the embedded feed. */
export interface EmbeddedFeedOptions {
  readonly cluster: Cluster;
  /** The spec the cluster was built from (for `w`). */
  readonly scenario: Scenario;
  readonly seed: string;
  readonly clock: WallClock;
  readonly speed: number;
  /** Resolves after `ms` of wall time (pacing of scenario runs). */
  readonly sleep: (ms: number) => Promise<void>;
}

/** The feed plus the handle the CLI needs to start and stop pacing. */
export interface EmbeddedFeed extends ClusterFeed {
  start(): void;
  stop(): void;
  /** Whether a scenario is running (q asks first). */
  running(): boolean;
}

/** `x.yaml`, then `x-2.yaml`, `x-3.yaml`, ...: the candidate names `w` tries. */
export function numberedPath(path: string, n: number): string {
  if (n <= 1) return path;
  const ext = extname(path);
  return `${ext === '' ? path : path.slice(0, -ext.length)}-${n}${ext}`;
}

/** Names tried before `w` gives up finding a free one. */
const MAX_NUMBERED = 1_000;

/**
 * Creates `path` with `text`, never replacing a file: with `unique`, the first
 * free numbered name (x-2.yaml, ...); without, an existing file is an error.
 * Exclusive creation (`wx`), so a file made meanwhile is not clobbered either.
 */
function writeNewFile(path: string, text: string, unique: boolean): Result<string> {
  for (let n = 1; n <= (unique ? MAX_NUMBERED : 1); n += 1) {
    const candidate = numberedPath(path, n);
    try {
      writeFileSync(candidate, text, { flag: 'wx' });
      return ok(candidate);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      return err('IO', `cannot write: ${(e as Error).message}`, candidate);
    }
  }
  return unique ? err('IO', `every name up to ${numberedPath(path, MAX_NUMBERED)} is taken`, path) : err('IO', 'exists: not overwritten (give another name: :write <file>)', path);
}

/** Builds the feed; call `start()` to begin pacing. */
export function createEmbeddedFeed(options: EmbeddedFeedOptions): EmbeddedFeed {
  const listeners = new Set<() => void>();
  const window: HistoryRecord[] = [];
  // Every fault the cluster on screen took (by hand and, after :run, the run's own): what `w` writes.
  const injected: Array<{ atMs: number; fault: Fault }> = [];
  let cluster = options.cluster;
  let spec = options.scenario;
  /** The run whose cluster is on screen (null: the explored embedded cluster). */
  let runName: string | null = null;
  let generation = 0;
  let seed = options.seed;
  let cached: ClusterState | null = null;
  let unsubscribe: () => void = () => {};
  let gate: PaceGate | null = null;
  let started = false;

  const changed = (): void => {
    cached = null;
    for (const listener of listeners) listener();
  };
  const newPacer = (speed: number, paused: boolean): Pacer => {
    const next = new Pacer(cluster, { clock: options.clock, speed, onAdvance: changed });
    next.setPaused(paused);
    return next;
  };
  let pacer = newPacer(options.speed, false);

  /** Shows `next` from now on: its history so far, then every new record. */
  const attach = (next: Cluster): void => {
    unsubscribe();
    if (next !== cluster) generation += 1;
    cluster = next;
    window.length = 0;
    window.push(...next.history().slice(-EVENT_WINDOW));
    injected.length = 0;
    for (const record of next.history()) if (record.type === 'fault.injected') injected.push({ atMs: record.atMs, fault: record.fault });
    unsubscribe = next.onRecord((record) => {
      window.push(record);
      if (window.length > EVENT_WINDOW * 2) window.splice(0, window.length - EVENT_WINDOW);
      if (record.type === 'fault.injected') injected.push({ atMs: record.atMs, fault: record.fault });
    });
    changed();
  };
  attach(cluster);

  const startRun = (scenario: Scenario, path: string): ScenarioRunFeed => {
    const run = createTuiRunFeed(scenario);
    const speed = pacer.speed();
    const paused = pacer.paused();
    pacer.stop();
    const thisGate = createPaceGate(0, { clock: options.clock, speed, sleep: options.sleep });
    thisGate.setPaused(paused);
    gate = thisGate;
    spec = scenario;
    runName = scenario.name;
    runScenario(scenario, path, {
      keepHistory: false,
      chunkMs: TUI_RUN_CHUNK_MS,
      onCluster: (next) => {
        seed = next.seed;
        attach(next);
      },
      onProgress: (p) => run.progress(p),
      yieldControl: async () => {
        changed();
        await thisGate.wait(cluster.now());
      },
    })
      .then((result) => run.finish(result))
      .catch((error: unknown) => run.fail(error))
      .finally(() => {
        if (gate !== thisGate) return;
        gate = null;
        pacer = newPacer(thisGate.speed(), thisGate.paused());
        if (started) pacer.start();
        changed();
      });
    return run;
  };

  return {
    get seed() {
      return seed;
    },
    get generation() {
      return generation;
    },
    get timingProfile() {
      return cluster.timing.profile;
    },
    snapshot() {
      cached ??= cluster.state();
      return cached;
    },
    events(sinceSeq, limit) {
      // Records are in seq order: find the first newer than sinceSeq by binary search.
      let lo = 0;
      let hi = window.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((window[mid] as HistoryRecord).seq <= sinceSeq) lo = mid + 1;
        else hi = mid;
      }
      return window.slice(Math.max(lo, window.length - limit));
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    inject(fault) {
      // The cluster records it (fault.injected), and the record listener remembers it for `w`.
      const result = cluster.inject(fault);
      changed();
      return result;
    },
    clock: {
      paused: () => (gate ? gate.paused() : pacer.paused()),
      speed: () => (gate ? gate.speed() : pacer.speed()),
      setPaused(paused) {
        if (gate) gate.setPaused(paused);
        else pacer.setPaused(paused);
        changed();
      },
      setSpeed(speed) {
        if (gate) gate.setSpeed(speed);
        else pacer.setSpeed(speed);
        changed();
      },
    },
    taskOutput(taskId) {
      // The whole history of the cluster on screen, not the Events window: a task may be old.
      return simulatedTaskOutput(cluster.history(), taskId);
    },
    writeScenario(path, writeOptions = {}) {
      const scenario = scenarioFromFaults({
        name: runName === null ? `explored-${seed}` : `${runName}-explored`,
        description:
          runName === null
            ? `Faults injected by hand in the faultline TUI (seed ${seed}), replayed at their times.`
            : `The run of scenario ${runName} in the faultline TUI (seed ${seed}) and the faults injected by hand after it, replayed at their times.`,
        seed,
        timing: spec.timing,
        cluster: spec.cluster,
        workload: spec.workload,
        faults: injected,
      });
      const written = writeNewFile(path, scenarioToYaml(scenario), writeOptions.unique === true);
      if (!written.ok) return written;
      const where = written.value;
      return ok(`wrote ${injected.length} fault${injected.length === 1 ? '' : 's'} to ${resolvePath(where)} (replay: faultline run ${where})`);
    },
    runScenario(path) {
      if (gate) return err('USAGE', 'a scenario is already running', path);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        return err('IO', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
      }
      const parsed = parseScenario(text, path);
      if (!parsed.ok) return parsed;
      return ok(startRun(parsed.value, path));
    },
    start() {
      started = true;
      if (!gate) pacer.start();
    },
    stop() {
      started = false;
      pacer.stop();
      gate?.release();
      unsubscribe();
    },
    running: () => gate !== null,
  };
}
