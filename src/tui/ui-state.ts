/**
 * The TUI's whole state: the last cluster snapshot the feed gave us (coalesced),
 * a bounded tail of the history, and the UI state (view, selection, filter,
 * sort, overlays, prompts). Plain data; transitions live in actions.ts.
 */
import type { HistoryRecord } from '../core/events.js';
import type { Fault } from '../core/faults.js';
import type { ClusterState } from '../core/state.js';
import type { ScreenSize } from './layout.js';
import type { ReplayInfo, ScenarioRunSnapshot } from './source.js';
import { TABLE_VIEWS, type TableViewName, type ViewName } from './views.js';

/** How many history records the Events view keeps (older ones scroll away). */
export const EVENT_BUFFER_SIZE = 2_000;
/** How many injected faults the overview remembers. */
export const LAST_FAULTS_SIZE = 8;
/** Sparkline: one sample of running tasks per this much virtual time. */
export const SAMPLE_EVERY_MS = 1_000;
/** Sparkline: samples kept (wider than any sane terminal). */
export const SAMPLES_KEPT = 240;

/** A table view's cursor: the selected row's id (so it follows the row as data churns), its index, and the first visible row. */
export interface Selection {
  readonly id: string | null;
  readonly index: number;
  readonly top: number;
}

/** A table view's sort: column index into the view's columns and direction. */
export interface SortOrder {
  readonly column: number;
  readonly descending: boolean;
}

/** What is drawn over the body. */
export type Overlay =
  | { readonly kind: 'none' }
  | { readonly kind: 'help'; readonly scroll: number }
  | { readonly kind: 'describe'; readonly view: TableViewName; readonly id: string; readonly scroll: number }
  /** A checker's finding in a replay (`}` `{`): its events, one selected (enter jumps to it). */
  | { readonly kind: 'finding'; readonly index: number; readonly selected: number; readonly scroll: number }
  /** A text taken when opened: the selected object as JSON (`y`), a task's output (`l`). */
  | { readonly kind: 'text'; readonly what: 'json' | 'output'; readonly title: string; readonly lines: readonly string[]; readonly scroll: number };

/** A line being typed at the bottom: a filter (`/`) or a command (`:`). */
export interface LineInput {
  /** `time` is the replay's `t`: a virtual time to jump to. */
  readonly kind: 'filter' | 'command' | 'time';
  readonly text: string;
  /** Tab's candidates when it could not complete to one (shown in the hint line). */
  readonly candidates?: readonly string[];
  /** Up/Down: the history entry shown (0 = the newest), null while typing a new line. */
  readonly historyAt?: number | null;
  /** A reopened filter: the first typed character replaces the text (backspace edits it instead). */
  readonly replaceOnType?: boolean;
}

/** Command lines kept for Up/Down. */
export const COMMAND_HISTORY_SIZE = 100;

/** What `y` does once a confirmation prompt is answered. */
export type PendingAction = { readonly kind: 'fault'; readonly fault: Fault } | { readonly kind: 'quit' };

/** A y/n question in the status line. */
export interface ConfirmPrompt {
  readonly prompt: string;
  readonly action: PendingAction;
}

/** The status line's message; the tone is also spelled out in the text (`error:`), never colour alone. */
export interface StatusMessage {
  readonly text: string;
  readonly tone: 'info' | 'ok' | 'error';
}

/** The clock as last read from the feed. */
export interface ClockView {
  readonly paused: boolean;
  readonly speed: number;
}

/** A replayed history as last read from the feed. */
export interface ReplayView {
  readonly info: ReplayInfo;
  readonly position: number;
}

/** Everything the TUI shows. */
export interface UiState {
  // the cluster on screen: its seed and profile change when a scenario run replaces it
  readonly seed: string;
  readonly timingProfile: string;
  /** The feed's `generation` the state was built from. */
  readonly generation: number;
  // fixed for the session
  readonly readonly: boolean;
  /** Why the fault keys are off, shown as `read-only: <reason>` (null: `--readonly`, or not read-only). */
  readonly readonlyReason: string | null;
  /** The header's words for the cluster instead of its seed and profile (`top 127.0.0.1:5050`), or null. */
  readonly title: string | null;
  readonly noColor: boolean;
  // the world, coalesced from the feed
  readonly cluster: ClusterState;
  /** The newest history records, oldest first, at most EVENT_BUFFER_SIZE. */
  readonly events: readonly HistoryRecord[];
  readonly lastSeq: number;
  /** The last `fault.injected` records, oldest first. */
  readonly lastFaults: readonly HistoryRecord[];
  /** Running-task counts, one per SAMPLE_EVERY_MS of virtual time, oldest first. */
  readonly samples: readonly number[];
  readonly lastSampleAtMs: number;
  readonly clock: ClockView;
  readonly run: ScenarioRunSnapshot | null;
  /** Set when the TUI replays a saved history (`faultline replay`). */
  readonly replay: ReplayView | null;
  // the UI
  readonly size: ScreenSize;
  readonly view: ViewName;
  readonly selection: Readonly<Record<TableViewName, Selection>>;
  readonly sort: Readonly<Record<TableViewName, SortOrder>>;
  readonly filter: Readonly<Record<TableViewName, string>>;
  /** Scroll offsets of the document views. */
  readonly scroll: Readonly<Record<'overview' | 'run', number>>;
  readonly overlay: Overlay;
  readonly input: LineInput | null;
  readonly confirm: ConfirmPrompt | null;
  readonly status: StatusMessage | null;
  readonly warningsOnly: boolean;
  /** Tasks view: completed (terminal) tasks shown too; hidden by default, as the Mesos UI keeps them apart. */
  readonly showCompleted: boolean;
  /** Command lines run so far, newest last (Up/Down recall them). */
  readonly commandHistory: readonly string[];
  /** Set once the user has quit: the app unmounts and reports the code. */
  readonly exitCode: number | null;
}

/** Options for a fresh state. */
export interface InitialStateOptions {
  readonly seed: string;
  readonly generation?: number;
  readonly timingProfile: string;
  readonly readonly: boolean;
  readonly readonlyReason?: string | null;
  readonly title?: string | null;
  readonly noColor: boolean;
  readonly cluster: ClusterState;
  readonly clock: ClockView;
  readonly size: ScreenSize;
}

function perTableView<T>(make: (view: TableViewName) => T): Record<TableViewName, T> {
  const out = {} as Record<TableViewName, T>;
  for (const view of TABLE_VIEWS) out[view] = make(view);
  return out;
}

/** Events sort newest first by default (column 0 is the sequence number); the rest by their first column. */
export function defaultSort(view: TableViewName): SortOrder {
  return { column: 0, descending: view === 'events' };
}

/** The state before the first feed update is folded in. */
export function initialState(options: InitialStateOptions): UiState {
  return {
    seed: options.seed,
    timingProfile: options.timingProfile,
    generation: options.generation ?? 0,
    readonly: options.readonly,
    readonlyReason: options.readonlyReason ?? null,
    title: options.title ?? null,
    noColor: options.noColor,
    cluster: options.cluster,
    events: [],
    lastSeq: -1,
    lastFaults: [],
    samples: [],
    lastSampleAtMs: Number.NEGATIVE_INFINITY,
    clock: options.clock,
    run: null,
    replay: null,
    size: options.size,
    view: 'overview',
    selection: perTableView(() => ({ id: null, index: 0, top: 0 })),
    sort: perTableView(defaultSort),
    filter: perTableView(() => ''),
    scroll: { overview: 0, run: 0 },
    overlay: { kind: 'none' },
    input: null,
    confirm: null,
    status: null,
    warningsOnly: false,
    showCompleted: false,
    commandHistory: [],
    exitCode: null,
  };
}
