/**
 * The TUI's ClusterFeed over the embedded simulation: the projection as the
 * snapshot, a window of recent history records, faults injected at the
 * current virtual time (and remembered for `w`), and the pacer as the clock.
 */
import { writeFileSync } from 'node:fs';
import { err, ok, type Result } from '../core/errors.js';
import type { HistoryRecord } from '../core/events.js';
import type { Fault } from '../core/faults.js';
import type { ClusterState } from '../core/state.js';
import { scenarioFromFaults, scenarioToYaml, type Scenario } from '../chaos/scenario/index.js';
import type { SimCluster } from '../sim/cluster.js';
import type { ClusterFeed, ScenarioRunFeed } from '../tui/index.js';
import { Pacer, type WallClock } from './pacer.js';

/** Records kept for the Events view. */
const EVENT_WINDOW = 5_000;

/** Options of the embedded feed. */
export interface EmbeddedFeedOptions {
  readonly cluster: SimCluster;
  /** The spec the cluster was built from (for `w`). */
  readonly scenario: Scenario;
  readonly seed: string;
  readonly clock: WallClock;
  readonly speed: number;
  /** Starts a scenario file in a new cluster; wired by the CLI when the runner is available. */
  readonly runScenario?: (path: string) => Result<ScenarioRunFeed>;
}

/** The feed plus the handle the CLI needs to start and stop pacing. */
export interface EmbeddedFeed extends ClusterFeed {
  start(): void;
  stop(): void;
}

/** Builds the feed; call `start()` to begin pacing. */
export function createEmbeddedFeed(options: EmbeddedFeedOptions): EmbeddedFeed {
  const { cluster } = options;
  const listeners = new Set<() => void>();
  const window: HistoryRecord[] = [];
  const injected: Array<{ atMs: number; fault: Fault }> = [];
  let cached: ClusterState | null = null;

  const changed = (): void => {
    cached = null;
    for (const listener of listeners) listener();
  };
  const pacer = new Pacer(cluster, { clock: options.clock, speed: options.speed, onAdvance: changed });
  for (const record of cluster.history()) window.push(record);
  cluster.onRecord((record) => {
    window.push(record);
    if (window.length > EVENT_WINDOW * 2) window.splice(0, window.length - EVENT_WINDOW);
  });

  return {
    seed: options.seed,
    timingProfile: cluster.timing.profile,
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
      paused: () => pacer.paused(),
      speed: () => pacer.speed(),
      setPaused(paused) {
        pacer.setPaused(paused);
        changed();
      },
      setSpeed(speed) {
        pacer.setSpeed(speed);
        changed();
      },
    },
    writeScenario(path) {
      const s = options.scenario;
      const scenario = scenarioFromFaults({
        name: `explored-${options.seed}`,
        description: `Faults injected by hand in the faultline TUI (seed ${options.seed}), replayed at their times.`,
        seed: options.seed,
        timing: s.timing,
        cluster: s.cluster,
        workload: s.workload,
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
      if (!options.runScenario) return err('USAGE', 'running scenarios inside the TUI needs the scenario runner', path);
      return options.runScenario(path);
    },
    start: () => pacer.start(),
    stop: () => pacer.stop(),
  };
}
