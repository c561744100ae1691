/**
 * The TUI's ClusterFeed over the embedded simulation: the projection as the
 * snapshot, a window of recent history records, faults injected at the
 * current virtual time (and remembered for `w`), and the wall-clock pacer as
 * the clock. A scenario run (`:run`, `--scenario`) swaps in the runner's own
 * cluster, paced through a gate; when the run ends, that cluster stays on
 * screen and keeps running under the pacer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { err, ok } from '../core/errors.js';
import type { HistoryRecord } from '../core/events.js';
import type { Fault } from '../core/faults.js';
import type { ClusterState } from '../core/state.js';
import { parseScenario, scenarioFromFaults, scenarioToYaml, type Scenario } from '../chaos/scenario/index.js';
import type { Cluster } from '../cluster/index.js';
import { runScenario } from './sim-runtime.js';
import type { ClusterFeed, ScenarioRunFeed } from '../tui/index.js';
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

/** Builds the feed; call `start()` to begin pacing. */
export function createEmbeddedFeed(options: EmbeddedFeedOptions): EmbeddedFeed {
  const listeners = new Set<() => void>();
  const window: HistoryRecord[] = [];
  const injected: Array<{ atMs: number; fault: Fault }> = [];
  let cluster = options.cluster;
  let spec = options.scenario;
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
    cluster = next;
    window.length = 0;
    window.push(...next.history().slice(-EVENT_WINDOW));
    unsubscribe = next.onRecord((record) => {
      window.push(record);
      if (window.length > EVENT_WINDOW * 2) window.splice(0, window.length - EVENT_WINDOW);
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
    injected.length = 0;
    spec = scenario;
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
      const result = cluster.inject(fault);
      if (result.ok) injected.push({ atMs: cluster.now(), fault });
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
    writeScenario(path) {
      const scenario = scenarioFromFaults({
        name: `explored-${seed}`,
        description: `Faults injected by hand in the faultline TUI (seed ${seed}), replayed at their times.`,
        seed,
        timing: spec.timing,
        cluster: spec.cluster,
        workload: spec.workload,
        faults: injected,
      });
      try {
        writeFileSync(path, scenarioToYaml(scenario));
      } catch (e) {
        return err('IO', `cannot write: ${(e as Error).message}`, path);
      }
      return ok(`wrote ${injected.length} fault${injected.length === 1 ? '' : 's'} to ${path} (replay: faultline run ${path})`);
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
