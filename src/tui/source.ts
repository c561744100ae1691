/**
 * What the TUI reads and drives: the `ClusterFeed` interface. The TUI never
 * touches the simulator, the live runtime or the chaos runner; the CLI
 * implements this interface over whichever cluster it runs (the embedded
 * simulation for `faultline` / `faultline up`, a live master for `top`) and
 * hands it to `runTui`. Tests use a fake that builds `ClusterState` directly.
 *
 * Threading model: everything is called on the one Node thread. The feed calls
 * `subscribe`'s callback on every change (per event is fine); the TUI coalesces
 * these into at most ~10 store updates a second and only then calls
 * `snapshot()` and `events()`, so both may cost a little.
 */
import type { Result } from '../core/errors.js';
import type { HistoryRecord } from '../core/events.js';
import type { Fault } from '../core/faults.js';
import type { ClusterState } from '../core/state.js';

/** The cluster's clock as the TUI controls it (`space`, `+`, `-`, `:speed`). */
export interface ClockControl {
  /** Whether the simulation is paused (a live cluster is never paused). */
  paused(): boolean;
  /** Virtual milliseconds per wall millisecond: 1 = real time, 10 = ten times faster. */
  speed(): number;
  /** Pauses or resumes; a feed that cannot pause (live) ignores it and keeps `paused()` false. */
  setPaused(paused: boolean): void;
  /** Sets the pace; the TUI only passes finite numbers > 0. */
  setSpeed(speed: number): void;
}

/**
 * A running cluster as the TUI sees it.
 *
 * Contract for implementers (the CLI):
 * - `snapshot()` returns the current projection (src/core/state.ts). Return the
 *   same object while nothing changed and a new one after a change: the TUI
 *   memoises its tables on object identity.
 * - `events(sinceSeq, limit)` returns the history records with `seq > sinceSeq`,
 *   oldest first, at most the newest `limit` of them (the TUI starts with
 *   `sinceSeq = -1` and then passes the last seq it has seen).
 * - `subscribe(onChange)` calls `onChange` after any change (new events, clock
 *   changes); returns the unsubscribe function.
 * - `inject(fault)` applies a fault at the current virtual time, appends a
 *   `fault.injected` record to the history (so it shows in Events) and
 *   remembers it for `writeScenario`; returns a one-line description for the
 *   status line, or a typed error (`UNKNOWN_TARGET`, `FAULT_INVALID`).
 * - `writeScenario(path, { unique })` saves the faults the cluster on screen
 *   took (by hand, and a scenario run's own), with their times and the seed,
 *   as a scenario file `faultline run` replays; it never overwrites a file;
 *   returns a one-line message ("wrote 3 faults to /abs/x.yaml") or an `IO` error.
 * - `generation` changes when the cluster on screen is replaced (with `seed`).
 * - `runScenario(path)` loads a scenario file and starts running it inside this
 *   cluster; returns its live view, or a `SCENARIO_*` / `IO` error.
 */
export interface ClusterFeed {
  /** The seed of the run, shown in the header. */
  readonly seed: string;
  /** The timing profile name (`fast`, `mesos`), shown in the header. */
  readonly timingProfile: string;
  /** The current state of the cluster. */
  snapshot(): ClusterState;
  /** History records with `seq > sinceSeq`, oldest first, at most the newest `limit`. */
  events(sinceSeq: number, limit: number): readonly HistoryRecord[];
  /** Registers a change listener; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
  /** Injects a fault now; returns its one-line description. */
  inject(fault: Fault): Result<string>;
  /** The clock the TUI pauses and paces. */
  readonly clock: ClockControl;
  /**
   * Saves the faults so far as a scenario file, never over an existing file:
   * with `unique` the feed picks the first free numbered name (x-2.yaml), else
   * an existing file is an `IO` error. The message says the path written.
   */
  writeScenario(path: string, options?: { readonly unique?: boolean }): Result<string>;
  /**
   * A task's sandbox output (`l`): the real stdout and stderr on a live
   * cluster, the simulated executor's lines in the simulation. Optional: a
   * feed without it makes `l` say so.
   */
  taskOutput?(taskId: string): TaskOutput;
  /** Bumped each time the cluster on screen is replaced (a `:run` builds its own): the TUI then starts its history over. */
  readonly generation: number;
  /** Starts a scenario file inside this cluster; returns its live view. */
  runScenario(path: string): Result<ScenarioRunFeed>;
  /** Set by `faultline replay`: a saved history with a movable position (the TUI is then read-only). */
  readonly replay?: ReplayControl;
}

/** A place on the replay's timeline: `position` records folded (the state just after the record at it). */
export interface ReplayMark {
  readonly position: number;
  readonly atMs: number;
  /** One line: `kill-agent agent-3`, `task.status web.1 TASK_RUNNING`. */
  readonly label: string;
  /** For a fault: the phase that injected it (the bar draws a rollback's fault as `R`). */
  readonly phase?: ReplayPhase['phase'];
}

/** A checker's finding, placed on the timeline. */
export interface ReplayFinding {
  readonly checker: string;
  readonly kind: string;
  readonly detail: string;
  readonly atMs: number;
  /** Where it broke: its last record, or the last record at its time. */
  readonly position: number;
  /** The records that make it, oldest first. */
  readonly events: readonly ReplayMark[];
}

/** A phase of the run as the timeline bar shades it: its records are at positions fromPosition + 1 .. toPosition. */
export interface ReplayPhase {
  readonly phase: 'steady' | 'method' | 'rollbacks' | 'liveness';
  readonly fromMs: number;
  readonly toMs: number;
  readonly fromPosition: number;
  readonly toPosition: number;
}

/** What does not change while a history is replayed. */
export interface ReplayInfo {
  /** The file replayed. */
  readonly source: string;
  /** Records in the history. */
  readonly total: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly faults: readonly ReplayMark[];
  readonly findings: readonly ReplayFinding[];
  readonly phases: readonly ReplayPhase[];
  /** False when the phases were guessed from the history (a sidecar from before the runner recorded them). */
  readonly phasesKnown: boolean;
}

/** The replay's position, moved by the TUI's keys (the clock's play and pause move it too). */
export interface ReplayControl {
  readonly info: ReplayInfo;
  /** Records folded into `snapshot()`. */
  position(): number;
  /**
   * Moves to a position (clamped to 0..total); the feed then calls its listeners. `atMs` is the time to
   * show there (a finding's moment may fall between two records), kept between this record's and the next's.
   */
  seek(position: number, atMs?: number): void;
  /** The position of the last record at or before a virtual time. */
  positionAtMs(atMs: number): number;
}

/** The two streams of a task's sandbox, one line each (`l`). */
export interface TaskOutput {
  /** Where the lines come from, shown above them. */
  readonly source: string;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
}

/** A step of a scenario's method (or rollback), as the run panel lists it. */
export interface ScenarioStepView {
  /** One line: `kill-agent agent-3`, `wait 10s`, `until web running 12 (30s)`. */
  readonly label: string;
  readonly state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
}

/** A check with its live verdict (`pending` until it can be judged). */
export interface ScenarioCheckView {
  readonly name: string;
  readonly verdict: 'pending' | 'pass' | 'fail' | 'inconclusive';
  /** Why it failed or is inconclusive; null when there is nothing to say. */
  readonly detail: string | null;
}

/** The final verdict of a run (exit codes 0, 1, 2, 3, 70, as README.md lists them). */
export type ScenarioVerdict = 'pass' | 'safety-violation' | 'liveness-failure' | 'inconclusive' | 'error';

/** Everything the run panel shows, read in one call. */
export interface ScenarioRunSnapshot {
  /** The scenario's name (or file name). */
  readonly scenario: string;
  /** The current phase as the runner names it: `steady-state`, `method`, `rollback`, `liveness`, `done`. */
  readonly phase: string;
  readonly steps: readonly ScenarioStepView[];
  readonly checks: readonly ScenarioCheckView[];
  /** Null while the run is still going. */
  readonly verdict: ScenarioVerdict | null;
  /** One line about the verdict (the reason a liveness phase did not converge); null when none. */
  readonly verdictDetail: string | null;
}

/** A scenario running inside the TUI's cluster. */
export interface ScenarioRunFeed {
  /** The current state of the run. */
  snapshot(): ScenarioRunSnapshot;
  /** Registers a change listener; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
}
