/**
 * Key dispatch and effects. Every key token goes through `handleKey`: a y/n
 * prompt or an open input line takes it first, then the keymap decides. Side
 * effects (faults, clock, scenario files) go to the feed; everything else is a
 * pure transition of the store. No React here: the hook only forwards tokens.
 */
import { assertNever } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { Fault } from '../core/faults.js';
import * as act from './actions.js';
import { completeCommandLine, faultOfCommand, parseCommand, type Command } from './commands.js';
import { proposeFault, type FaultKeyCommand } from './fault-keys.js';
import { exitCodeOfVerdict } from './run-panel.js';
import type { FeedSync } from './feed-sync.js';
import { maxScroll } from './frame.js';
import { documentLines, layoutSize } from './layout.js';
import { bindingOf, type KeyBinding } from './keymap.js';
import type { KeyToken } from './keys.js';
import type { ClusterFeed } from './source.js';
import type { TuiStore } from './store.js';
import type { TableCache, TableModel } from './tables.js';
import type { UiState } from './ui-state.js';
import { isTableView, viewTitle, type TableViewName } from './views.js';
import { objectJson } from './object-json.js';
import { parseDuration } from '../core/duration.js';
import { nextFindingIndex, nextPosition } from './replay-view.js';

/** Speeds `+` and `-` step through. */
export const SPEED_STEPS: readonly number[] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** Exit code for `q` and `:q`. */
export const EXIT_QUIT = EXIT.pass;
/** Exit code for ctrl-c (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPT = EXIT.interrupted;

/** What the controller works on. */
export interface ControllerOptions {
  readonly store: TuiStore;
  readonly tables: TableCache;
  readonly feed: ClusterFeed;
  readonly sync: FeedSync;
  readonly readonly: boolean;
}

/** The next speed step above (`+`) or below (`-`) the current speed. */
export function nextSpeed(current: number, direction: 1 | -1): number {
  if (direction > 0) return SPEED_STEPS.find((s) => s > current + 1e-9) ?? current;
  return [...SPEED_STEPS].reverse().find((s) => s < current - 1e-9) ?? current;
}

/** The file `w` writes: the seed in the name, only characters safe in a path. */
export function defaultScenarioPath(seed: string): string {
  return `faultline-session-${seed.replace(/[^A-Za-z0-9_-]/g, '_') || 'seed'}.yaml`;
}

/** Turns keys into state changes and feed calls. */
export class Controller {
  private readonly store: TuiStore;
  private readonly tables: TableCache;
  private readonly feed: ClusterFeed;
  private readonly sync: FeedSync;
  private readonly readonly: boolean;

  constructor(options: ControllerOptions) {
    this.store = options.store;
    this.tables = options.tables;
    this.feed = options.feed;
    this.sync = options.sync;
    this.readonly = options.readonly;
  }

  private get state(): UiState {
    return this.store.getState();
  }

  private apply(transition: (state: UiState) => UiState): void {
    this.store.apply(transition);
  }

  private status(text: string, tone: 'info' | 'ok' | 'error'): void {
    this.apply((s) => act.setStatus(s, text, tone));
  }

  private currentTable(): TableModel | null {
    const state = this.state;
    return isTableView(state.view) ? this.tables.of(state, state.view) : null;
  }

  /** Handles several tokens in order (one useInput call may carry many). */
  handleKeys(tokens: readonly KeyToken[]): void {
    for (const token of tokens) this.handleKey(token);
  }

  /** Handles one key. */
  handleKey(token: KeyToken): void {
    const state = this.state;
    if (state.exitCode !== null) return;
    if (token === 'ctrl-c') {
      this.apply((s) => act.quit(s, EXIT_INTERRUPT));
      return;
    }
    if (state.confirm !== null) {
      this.answerConfirm(token === 'y' || token === 'Y');
      return;
    }
    if (state.input !== null) {
      this.editLine(token);
      return;
    }
    if (state.overlay.kind === 'finding' && (token === 'enter' || token === 'j' || token === 'down' || token === 'k' || token === 'up')) {
      this.findingKey(token);
      return;
    }
    const binding = bindingOf(token, { replay: state.replay !== null });
    if (binding) this.run(binding);
  }

  private answerConfirm(yes: boolean): void {
    const confirm = this.state.confirm;
    if (confirm === null) return;
    this.apply(act.clearConfirm);
    if (!yes) {
      this.status('cancelled', 'info');
      return;
    }
    switch (confirm.action.kind) {
      case 'fault':
        this.inject(confirm.action.fault);
        return;
      case 'quit':
        // Asked only while a scenario runs: cutting it short leaves no verdict, so not exit 0.
        this.apply((s) => act.quit(s, EXIT.interrupted));
        return;
      default:
        assertNever(confirm.action, 'pending action');
    }
  }

  private editLine(token: KeyToken): void {
    const input = this.state.input;
    if (input === null) return;
    if (token === 'enter') {
      this.apply(act.closeInput);
      if (input.kind === 'time') {
        this.jumpToTime(input.text);
        return;
      }
      if (input.kind === 'command') {
        this.apply((s) => act.rememberCommand(s, input.text));
        this.runCommandLine(input.text);
      }
    } else if (input.kind === 'command' && (token === 'up' || token === 'down')) {
      this.apply((s) => act.recallCommand(s, token === 'up' ? 'older' : 'newer'));
    } else if (input.kind === 'command' && token === 'tab') {
      this.apply((s) => act.completeInput(s, completeCommandLine(input.text, s.cluster)));
    } else if (token === 'escape') {
      this.apply(input.kind === 'filter' ? act.clearFilter : act.closeInput);
    } else if (token === 'backspace') {
      this.apply(act.backspace);
    } else if (token === 'space') {
      this.apply((s) => act.typeText(s, ' '));
    } else if (token.length === 1) {
      this.apply((s) => act.typeText(s, token));
    }
  }

  private scroll(delta: number): void {
    this.apply((s) => act.scrollBy(s, delta, maxScroll(s)));
  }

  private usesScroll(): boolean {
    const state = this.state;
    return state.overlay.kind !== 'none' || !isTableView(state.view);
  }

  private move(kind: 'down' | 'up' | 'top' | 'bottom' | 'page-down' | 'page-up'): void {
    if (this.usesScroll()) {
      const page = Math.max(1, documentLines(layoutSize(this.state)));
      const deltas = { down: 1, up: -1, top: -Infinity, bottom: Infinity, 'page-down': page, 'page-up': -page };
      this.scroll(deltas[kind]);
      return;
    }
    const table = this.currentTable();
    if (table === null) return;
    switch (kind) {
      case 'down':
        return this.apply((s) => act.moveSelection(s, table, 1));
      case 'up':
        return this.apply((s) => act.moveSelection(s, table, -1));
      case 'top':
        return this.apply((s) => act.selectEdge(s, table, 'first'));
      case 'bottom':
        return this.apply((s) => act.selectEdge(s, table, 'last'));
      case 'page-down':
        return this.apply((s) => act.pageSelection(s, table, 1));
      case 'page-up':
        return this.apply((s) => act.pageSelection(s, table, -1));
      default:
        return assertNever(kind, 'move');
    }
  }

  private run(binding: KeyBinding): void {
    const command = binding.command;
    if (binding.fault && this.readonly) {
      this.status(`read-only: ${binding.label} ${binding.hint ?? binding.help} is off (${this.state.readonlyReason ?? '--readonly'})`, 'error');
      return;
    }
    switch (command) {
      case 'view':
        if (binding.view) this.apply((s) => act.setView(s, binding.view ?? s.view));
        return;
      case 'next-view':
        return this.apply((s) => act.cycleView(s, 1));
      case 'prev-view':
        return this.apply((s) => act.cycleView(s, -1));
      case 'down':
      case 'up':
      case 'top':
      case 'bottom':
      case 'page-down':
      case 'page-up':
        return this.move(command);
      case 'filter':
        return this.apply(act.startFilter);
      case 'sort-next':
        return this.apply(act.cycleSort);
      case 'sort-reverse':
        return this.apply(act.reverseSort);
      case 'describe':
        if (this.state.overlay.kind === 'describe') return this.apply(act.closeOverlay);
        return this.apply((s) => act.openDescribe(s, this.currentTable()));
      case 'back':
        return this.back();
      case 'warnings':
        return this.apply(act.toggleWarnings);
      case 'toggle-completed':
        if (this.state.view !== 'tasks') return this.status('c shows completed tasks in the Tasks view (4)', 'error');
        return this.apply(act.toggleCompleted);
      case 'json':
        return this.showJson();
      case 'output':
        return this.showOutput();
      case 'help':
        return this.apply(act.toggleHelp);
      case 'command':
        return this.apply(act.startCommand);
      case 'pause-clock':
        return this.togglePause();
      case 'faster':
        return this.setSpeed(nextSpeed(this.feed.clock.speed(), 1));
      case 'slower':
        return this.setSpeed(nextSpeed(this.feed.clock.speed(), -1));
      case 'kill-task':
      case 'kill-node':
      case 'restart-node':
      case 'pause-node':
      case 'isolate-node':
      case 'heal':
      case 'failover':
        return this.proposeFault(command);
      case 'write':
        return this.write(null);
      case 'quit':
        return this.quit();
      case 'interrupt':
        return this.apply((s) => act.quit(s, EXIT_INTERRUPT));
      case 'replay-forward':
      case 'replay-back':
      case 'replay-next-fault':
      case 'replay-prev-fault':
      case 'replay-next-finding':
      case 'replay-prev-finding':
      case 'replay-time':
      case 'replay-start':
      case 'replay-end':
        return this.replayKey(command);
      default:
        return assertNever(command, 'key command');
    }
  }

  /** A replay key: moves the position (and pauses the playback: a step is looked at). */
  private replayKey(command: Extract<KeyBinding['command'], `replay-${string}`>): void {
    const replay = this.feed.replay;
    if (replay === undefined) return this.status('only in a replay (faultline replay FILE)', 'error');
    const position = replay.position();
    const { info } = replay;
    switch (command) {
      case 'replay-forward':
        return this.seek(position + 1);
      case 'replay-back':
        return this.seek(position - 1);
      case 'replay-start':
        return this.seek(0);
      case 'replay-end':
        return this.seek(info.total);
      case 'replay-next-fault':
      case 'replay-prev-fault': {
        const direction = command === 'replay-next-fault' ? 1 : -1;
        const next = nextPosition(info.faults.map((f) => f.position), position, direction);
        if (next === null) return this.status(info.faults.length === 0 ? 'this run has no faults' : `no ${direction > 0 ? 'later' : 'earlier'} fault`, 'info');
        this.seek(next);
        const index = info.faults.findIndex((f) => f.position === next);
        return this.status(`fault ${index + 1}/${info.faults.length}: ${info.faults[index]?.label ?? ''}`, 'info');
      }
      case 'replay-next-finding':
      case 'replay-prev-finding': {
        const index = nextFindingIndex(info.findings, position, command === 'replay-next-finding' ? 1 : -1);
        if (index === null) return this.status(info.findings.length === 0 ? 'the checkers found nothing in this run' : `no ${command === 'replay-next-finding' ? 'later' : 'earlier'} finding`, 'info');
        return this.openFinding(index);
      }
      case 'replay-time':
        return this.apply(act.startTimeInput);
      default:
        return assertNever(command, 'replay key');
    }
  }

  /** Jumps to a finding and opens its pane. */
  openFinding(index: number): void {
    const finding = this.feed.replay?.info.findings[index];
    if (finding === undefined) return;
    this.seek(finding.position, finding.atMs);
    this.apply((s) => act.openFinding(s, index));
  }

  private seek(position: number, atMs?: number): void {
    const replay = this.feed.replay;
    if (replay === undefined) return;
    if (!this.feed.clock.paused()) this.feed.clock.setPaused(true);
    replay.seek(position, atMs);
    this.sync.flushNow();
  }

  private jumpToTime(text: string): void {
    const replay = this.feed.replay;
    if (replay === undefined) return;
    const atMs = parseDuration(text.trim(), 'time');
    if (!atMs.ok) return this.status(atMs.error.message, 'error');
    this.seek(replay.positionAtMs(atMs.value), atMs.value);
    this.status(`at ${text.trim()}`, 'info');
  }

  /** Keys of an open finding pane: j/k select one of its events, enter jumps to it. */
  private findingKey(token: KeyToken): void {
    const overlay = this.state.overlay;
    const finding = overlay.kind === 'finding' ? this.feed.replay?.info.findings[overlay.index] : undefined;
    if (overlay.kind !== 'finding' || finding === undefined) return;
    if (token === 'enter') {
      const event = finding.events[overlay.selected];
      if (event === undefined) return this.status('this finding names a time, not records', 'info');
      this.seek(event.position);
      return this.status(`at record #${event.position}: ${event.label}`, 'info');
    }
    this.apply((s) => act.moveFindingEvent(s, token === 'j' || token === 'down' ? 1 : -1, finding.events.length));
  }

  /** The row the keys act on: the one described, else the table's selection. */
  private target(): { view: TableViewName; id: string } | string {
    const overlay = this.state.overlay;
    if (overlay.kind === 'describe') return { view: overlay.view, id: overlay.id };
    return act.selectedId(this.state, this.currentTable());
  }

  private showJson(): void {
    const target = this.target();
    if (typeof target === 'string') return this.status(target, 'error');
    const value = objectJson(this.state, target.view, target.id);
    if (value === undefined) return this.status(`${target.id} is gone`, 'error');
    this.apply((s) => act.openText(s, { what: 'json', title: `${viewTitle(target.view)}: ${target.id} as JSON`, lines: JSON.stringify(value, null, 2).split('\n') }));
  }

  private showOutput(): void {
    const target = this.target();
    if (typeof target === 'string') return this.status(target, 'error');
    if (target.view !== 'tasks') return this.status('l shows a task’s output: select a task (4)', 'error');
    if (this.feed.taskOutput === undefined) return this.status('this cluster gives no task output', 'error');
    const output = this.feed.taskOutput(target.id);
    const stream = (name: string, lines: readonly string[]): string[] => [`${name} (${lines.length} line${lines.length === 1 ? '' : 's'})`, ...(lines.length === 0 ? ['  (empty)'] : lines.map((l) => `  ${l}`))];
    const lines = [`source: ${output.source}`, '', ...stream('stdout', output.stdout), '', ...stream('stderr', output.stderr)];
    this.apply((s) => act.openText(s, { what: 'output', title: `Output of task ${target.id}`, lines }));
  }

  private back(): void {
    const state = this.state;
    if (state.overlay.kind !== 'none') this.apply(act.closeOverlay);
    else if (isTableView(state.view) && state.filter[state.view] !== '') this.apply(act.clearFilter);
    else if (state.status !== null) this.apply((s) => ({ ...s, status: null }));
  }

  private proposeFault(command: FaultKeyCommand): void {
    const proposal = proposeFault(command, this.state, this.tables);
    if (!proposal.ok) return this.status(proposal.error.message, 'error');
    this.apply((s) => act.askConfirm(s, proposal.value.prompt, { kind: 'fault', fault: proposal.value.fault }));
  }

  private inject(fault: Fault): void {
    const result = this.feed.inject(fault);
    if (result.ok) this.status(`injected: ${result.value}`, 'ok');
    else this.status(result.error.message, 'error');
    this.sync.flushNow();
  }

  private togglePause(): void {
    const paused = !this.feed.clock.paused();
    this.feed.clock.setPaused(paused);
    this.sync.flushNow();
    // A live master's clock is not ours to stop: the feed ignores it, and the status says so.
    if (this.feed.clock.paused() !== paused) return this.status('a live cluster cannot be paused', 'error');
    this.status(this.feed.clock.paused() ? 'paused (space resumes)' : 'resumed', 'info');
  }

  private setSpeed(speed: number): void {
    const before = this.feed.clock.speed();
    this.feed.clock.setSpeed(speed);
    this.sync.flushNow();
    if (this.feed.clock.speed() === before && speed !== before) return this.status('a live cluster runs at its own pace', 'error');
    this.status(`speed x${this.feed.clock.speed()}`, 'info');
  }

  private write(path: string | null): void {
    // `w` never overwrites: the feed numbers the default name (x-2.yaml); a named file that exists is an error.
    const result = this.feed.writeScenario(path ?? defaultScenarioPath(this.state.seed), { unique: path === null });
    if (result.ok) this.status(result.value, 'ok');
    else this.status(result.error.message, 'error');
  }

  private quit(): void {
    const run = this.state.run;
    if (run !== null && run.verdict === null) {
      this.apply((s) => act.askConfirm(s, `scenario ${run.scenario} is still running: quit anyway?`, { kind: 'quit' }));
      return;
    }
    // After a run, quitting reports its verdict: a failed run is not exit 0.
    this.apply((s) => act.quit(s, run?.verdict != null ? exitCodeOfVerdict(run.verdict) : EXIT_QUIT));
  }

  /** Starts a scenario file (`:run`, `--scenario`) and shows its panel. */
  runScenario(path: string): void {
    if (this.readonly) return this.status(`read-only: :run injects faults and is off (${this.state.readonlyReason ?? '--readonly'})`, 'error');
    const current = this.state.run;
    if (current !== null && current.verdict === null) return this.status(`scenario ${current.scenario} is still running`, 'error');
    const started = this.feed.runScenario(path);
    if (!started.ok) return this.status(started.error.where ? `${started.error.where}: ${started.error.message}` : started.error.message, 'error');
    this.sync.watchRun(started.value);
    this.apply((s) => act.setView(s, 'run'));
    const state = this.state;
    this.status(`running scenario ${state.run?.scenario ?? path} on its own cluster (seed ${state.seed}), which replaces the one on screen`, 'ok');
  }

  private runCommandLine(line: string): void {
    const parsed = parseCommand(line);
    if (!parsed.ok) return this.status(parsed.error.message, 'error');
    this.runCommand(parsed.value);
  }

  private runCommand(command: Command): void {
    const fault = faultOfCommand(command, this.state.cluster);
    if (fault !== null) {
      if (this.readonly) return this.status(`read-only: :${command.kind} injects a fault and is off (${this.state.readonlyReason ?? '--readonly'})`, 'error');
      if (!fault.ok) return this.status(fault.error.message, 'error');
      return this.inject(fault.value);
    }
    switch (command.kind) {
      case 'run':
        return this.runScenario(command.path);
      case 'speed':
        return this.setSpeed(command.speed);
      case 'write':
        return this.write(command.path);
      case 'help':
        return this.apply((s) => (s.overlay.kind === 'help' ? s : act.toggleHelp(s)));
      case 'view':
        return this.apply((s) => act.setView(s, command.view));
      case 'quit':
        return this.quit();
      case 'kill-task':
      case 'node':
      case 'isolate':
      case 'partition':
      case 'heal':
      case 'failover':
        return; // handled above as faults
      default:
        return assertNever(command, 'command');
    }
  }
}
