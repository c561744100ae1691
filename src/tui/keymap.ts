/**
 * The one keymap: every key the TUI answers to, in one table that drives the
 * key dispatch (controller.ts), the `?` help and the key-hint line. Nothing
 * here uses a key that tmux, screen or flow control takes (ctrl-a, ctrl-b,
 * ctrl-s, ctrl-q, ctrl-z); a test checks it.
 */
import type { KeyToken } from './keys.js';
import type { ViewName } from './views.js';

/** What a key does; the controller switches over these. */
export type KeyCommand =
  | 'view'
  | 'next-view'
  | 'prev-view'
  | 'down'
  | 'up'
  | 'top'
  | 'bottom'
  | 'page-down'
  | 'page-up'
  | 'filter'
  | 'sort-next'
  | 'sort-reverse'
  | 'describe'
  | 'back'
  | 'warnings'
  | 'toggle-completed'
  | 'json'
  | 'output'
  | 'help'
  | 'command'
  | 'pause-clock'
  | 'faster'
  | 'slower'
  | 'kill-task'
  | 'kill-node'
  | 'restart-node'
  | 'pause-node'
  | 'isolate-node'
  | 'heal'
  | 'failover'
  | 'write'
  | 'quit'
  | 'interrupt'
  | 'replay-forward'
  | 'replay-back'
  | 'replay-next-fault'
  | 'replay-prev-fault'
  | 'replay-next-finding'
  | 'replay-prev-finding'
  | 'replay-time'
  | 'replay-start'
  | 'replay-end';

/** Help sections, in display order. */
export type KeyGroup = 'Views' | 'Move' | 'Tables' | 'Clock' | 'Replay' | 'Faults (each asks y/n)' | 'Other';

/** One row of the keymap. */
export interface KeyBinding {
  readonly keys: readonly KeyToken[];
  /** How the keys are written in help and hints. */
  readonly label: string;
  readonly command: KeyCommand;
  /** For `view`: which view. */
  readonly view?: ViewName;
  readonly help: string;
  readonly group: KeyGroup;
  /** Short text for the hint line; absent = not hinted. */
  readonly hint?: string;
  /** Views where the hint shows (absent = every view). */
  readonly hintIn?: readonly ViewName[];
  /** A fault key: off with --readonly. */
  readonly fault?: boolean;
  /** A replay key (`faultline replay`): only there, where it wins over the same key's other binding (g, G). */
  readonly replay?: boolean;
}

const NODE_VIEWS: readonly ViewName[] = ['agents', 'masters'];

/** Every binding. */
export const KEYMAP: readonly KeyBinding[] = [
  { keys: ['1'], label: '1', command: 'view', view: 'overview', help: 'Overview', group: 'Views' },
  { keys: ['2'], label: '2', command: 'view', view: 'agents', help: 'Agents', group: 'Views' },
  { keys: ['3'], label: '3', command: 'view', view: 'frameworks', help: 'Frameworks', group: 'Views' },
  { keys: ['4'], label: '4', command: 'view', view: 'tasks', help: 'Tasks', group: 'Views' },
  { keys: ['5'], label: '5', command: 'view', view: 'offers', help: 'Offers', group: 'Views' },
  { keys: ['6'], label: '6', command: 'view', view: 'events', help: 'Events', group: 'Views' },
  { keys: ['7'], label: '7', command: 'view', view: 'masters', help: 'Masters', group: 'Views' },
  { keys: ['8'], label: '8', command: 'view', view: 'run', help: 'scenario run (once one is started)', group: 'Views' },
  { keys: ['tab'], label: 'tab', command: 'next-view', help: 'next view', group: 'Views', hint: 'views' },
  { keys: ['shift-tab'], label: 'shift-tab', command: 'prev-view', help: 'previous view', group: 'Views' },
  { keys: ['j', 'down'], label: 'j/down', command: 'down', help: 'move down (scroll in panes)', group: 'Move' },
  { keys: ['k', 'up'], label: 'k/up', command: 'up', help: 'move up', group: 'Move' },
  { keys: ['g', 'home'], label: 'g/home', command: 'top', help: 'top (and follow the first row)', group: 'Move' },
  { keys: ['G', 'end'], label: 'G/end', command: 'bottom', help: 'bottom', group: 'Move' },
  { keys: ['pagedown'], label: 'PgDn', command: 'page-down', help: 'page down', group: 'Move' },
  { keys: ['pageup'], label: 'PgUp', command: 'page-up', help: 'page up', group: 'Move' },
  { keys: ['enter'], label: 'enter', command: 'describe', help: 'describe the selected row (again: close)', group: 'Tables', hint: 'describe', hintIn: ['agents', 'frameworks', 'tasks', 'offers', 'events', 'masters'] },
  { keys: ['/'], label: '/', command: 'filter', help: 'filter this view (esc clears)', group: 'Tables', hint: 'filter', hintIn: ['agents', 'frameworks', 'tasks', 'offers', 'events', 'masters'] },
  { keys: ['s'], label: 's', command: 'sort-next', help: 'sort by the next column', group: 'Tables', hint: 'sort', hintIn: ['agents', 'frameworks', 'tasks', 'offers', 'events', 'masters'] },
  { keys: ['S'], label: 'S', command: 'sort-reverse', help: 'reverse the sort', group: 'Tables' },
  { keys: ['c'], label: 'c', command: 'toggle-completed', help: 'Tasks: completed tasks too / active only (the default)', group: 'Tables', hint: 'completed', hintIn: ['tasks'] },
  { keys: ['y'], label: 'y', command: 'json', help: 'the selected row as JSON (the shape of up --once --json)', group: 'Tables', hint: 'json', hintIn: ['agents', 'frameworks', 'tasks', 'offers', 'events', 'masters'] },
  { keys: ['l'], label: 'l', command: 'output', help: "Tasks: the selected task's output (stdout, stderr)", group: 'Tables', hint: 'output', hintIn: ['tasks'] },
  { keys: ['W'], label: 'W', command: 'warnings', help: 'Events: warnings only / all', group: 'Tables', hint: 'warnings', hintIn: ['events'] },
  { keys: ['escape'], label: 'esc', command: 'back', help: 'close pane or help, clear filter', group: 'Tables' },
  { keys: ['space'], label: 'space', command: 'pause-clock', help: 'pause / resume the simulation', group: 'Clock', hint: 'pause', hintIn: ['overview'] },
  { keys: ['+', '='], label: '+', command: 'faster', help: 'faster', group: 'Clock' },
  { keys: ['-'], label: '-', command: 'slower', help: 'slower', group: 'Clock' },
  { keys: ['.'], label: '.', command: 'replay-forward', help: 'one event forward', group: 'Replay', hint: 'step', replay: true },
  { keys: [','], label: ',', command: 'replay-back', help: 'one event back', group: 'Replay', replay: true },
  { keys: [']'], label: ']', command: 'replay-next-fault', help: 'next fault', group: 'Replay', hint: 'fault', replay: true },
  { keys: ['['], label: '[', command: 'replay-prev-fault', help: 'previous fault', group: 'Replay', replay: true },
  { keys: ['}'], label: '}', command: 'replay-next-finding', help: "next checker finding (opens its pane: the checker, its detail, its events)", group: 'Replay', hint: 'finding', replay: true },
  { keys: ['{'], label: '{', command: 'replay-prev-finding', help: 'previous checker finding', group: 'Replay', replay: true },
  { keys: ['t'], label: 't', command: 'replay-time', help: 'jump to a time (12.5s, 2m)', group: 'Replay', hint: 'time', replay: true },
  { keys: ['g'], label: 'g', command: 'replay-start', help: 'the start of the run (home: top of a table)', group: 'Replay', replay: true },
  { keys: ['G'], label: 'G', command: 'replay-end', help: 'the end of the run (end: bottom of a table)', group: 'Replay', replay: true },
  { keys: ['x'], label: 'x', command: 'kill-task', help: 'kill the selected task', group: 'Faults (each asks y/n)', hint: 'kill', hintIn: ['tasks'], fault: true },
  { keys: ['K'], label: 'K', command: 'kill-node', help: 'kill the selected agent (or master)', group: 'Faults (each asks y/n)', hint: 'kill', hintIn: NODE_VIEWS, fault: true },
  { keys: ['R'], label: 'R', command: 'restart-node', help: 'restart the selected agent (or master)', group: 'Faults (each asks y/n)', hint: 'restart', hintIn: NODE_VIEWS, fault: true },
  { keys: ['p'], label: 'p', command: 'pause-node', help: 'pause or resume the selected agent (or master)', group: 'Faults (each asks y/n)', hint: 'pause', hintIn: NODE_VIEWS, fault: true },
  { keys: ['i'], label: 'i', command: 'isolate-node', help: 'isolate the selected agent (or master) from the rest', group: 'Faults (each asks y/n)', hint: 'isolate', hintIn: NODE_VIEWS, fault: true },
  { keys: ['h'], label: 'h', command: 'heal', help: 'heal every partition', group: 'Faults (each asks y/n)', hint: 'heal', hintIn: ['overview', 'agents', 'masters'], fault: true },
  { keys: ['F'], label: 'F', command: 'failover', help: 'fail over the leading master', group: 'Faults (each asks y/n)', hint: 'failover', hintIn: ['overview', 'masters'], fault: true },
  { keys: [':'], label: ':', command: 'command', help: 'command mode (see Commands)', group: 'Other', hint: 'cmd' },
  { keys: ['w'], label: 'w', command: 'write', help: 'write the faults so far as a scenario file', group: 'Other' },
  { keys: ['?'], label: '?', command: 'help', help: 'this help', group: 'Other', hint: 'help' },
  { keys: ['q'], label: 'q', command: 'quit', help: 'quit (asks while a scenario runs)', group: 'Other', hint: 'quit' },
  { keys: ['ctrl-c'], label: 'ctrl-c', command: 'interrupt', help: 'quit at once', group: 'Other' },
];

const BY_KEY: ReadonlyMap<KeyToken, KeyBinding> = new Map(KEYMAP.filter((b) => b.replay !== true).flatMap((b) => b.keys.map((k) => [k, b] as const)));
const REPLAY_KEYS: ReadonlyMap<KeyToken, KeyBinding> = new Map(KEYMAP.filter((b) => b.replay === true).flatMap((b) => b.keys.map((k) => [k, b] as const)));

/** The binding of a key, if any; in a replay its replay binding first. */
export function bindingOf(key: KeyToken, options: { readonly replay?: boolean } = {}): KeyBinding | undefined {
  return (options.replay === true ? REPLAY_KEYS.get(key) : undefined) ?? BY_KEY.get(key);
}

/** The bindings in force, each with the keys that still reach it (a replay key shadows the same key elsewhere). */
function bindingsInForce(replay: boolean): Array<{ binding: KeyBinding; label: string }> {
  const out: Array<{ binding: KeyBinding; label: string }> = [];
  for (const b of KEYMAP) {
    if (b.replay === true) {
      if (replay) out.push({ binding: b, label: b.label });
      continue;
    }
    const shadowed = replay ? b.keys.filter((k) => REPLAY_KEYS.has(k)) : [];
    if (shadowed.length === b.keys.length) continue;
    out.push({ binding: b, label: shadowed.length === 0 ? b.label : b.keys.filter((k) => !REPLAY_KEYS.has(k)).join('/') });
  }
  return out;
}

/** Help sections in display order. */
export const KEY_GROUPS: readonly KeyGroup[] = ['Views', 'Move', 'Tables', 'Clock', 'Replay', 'Faults (each asks y/n)', 'Other'];

/** The help text for the keys, one line per binding, grouped. */
export function keyHelpLines(options: { readonly: boolean; readonly replay?: boolean }): string[] {
  const lines: string[] = [];
  const inForce = bindingsInForce(options.replay === true);
  for (const group of KEY_GROUPS) {
    const rows = inForce.filter((k) => k.binding.group === group);
    if (rows.length === 0) continue;
    lines.push(group);
    for (const { binding: b, label } of rows) {
      const off = b.fault && options.readonly ? (options.replay === true ? ' (off: a replay is read-only)' : ' (off: --readonly)') : '';
      const help = options.replay === true && b.command === 'pause-clock' ? 'play / pause the replay' : b.help;
      lines.push(`  ${label.padEnd(10)} ${help}${off}`);
    }
  }
  return lines;
}

/**
 * The key-hint line for a view, fitted to `width`: `? help`, `: cmd` and
 * `q quit` always show; this view's keys show with their words while they
 * fit, the rest as bare keys (`R p i h`), so no key silently drops off.
 */
export function hintLine(options: { view: ViewName; readonly: boolean; replay?: boolean; width: number }): string {
  const items: Array<{ label: string; text: string; must: boolean; rank: number }> = [];
  for (const { binding: b } of bindingsInForce(options.replay === true)) {
    if (b.hint === undefined) continue;
    if (b.fault && options.readonly) continue;
    if (b.hintIn && !b.hintIn.includes(options.view)) continue;
    items.push({ label: b.label, text: `${b.label} ${b.hint}`, must: b.command === 'help' || b.command === 'command' || b.command === 'quit', rank: b.hintIn || b.replay === true ? 1 : 2 });
  }
  const first = items.filter((i) => i.must && i.label === '?');
  const last = items.filter((i) => i.must && i.label !== '?');
  // This view's keys first, then the ones every view has (sort is stable: keymap order within a rank).
  const middle = items.filter((i) => !i.must).sort((a, b) => a.rank - b.rank);
  const join = (worded: number): string => {
    const bare = middle.slice(worded).map((i) => i.label).join(' ');
    return [...first.map((i) => i.text), ...middle.slice(0, worded).map((i) => i.text), ...(bare === '' ? [] : [bare]), ...last.map((i) => i.text)].join('  ');
  };
  for (let worded = middle.length; worded > 0; worded -= 1) {
    const text = join(worded);
    if (text.length <= options.width) return text;
  }
  return join(0);
}

/** The key-hint line's items for a view, most useful first: `? help`, then this view's keys, then the rest. */
export function hintItems(options: { view: ViewName; readonly: boolean }): string[] {
  const ranked: Array<{ rank: number; text: string }> = [];
  for (const b of KEYMAP) {
    if (b.hint === undefined) continue;
    if (b.fault && options.readonly) continue;
    if (b.hintIn && !b.hintIn.includes(options.view)) continue;
    const rank = b.command === 'help' ? 0 : b.hintIn ? 1 : 2;
    ranked.push({ rank, text: `${b.label} ${b.hint}` });
  }
  // sort is stable: keymap order within a rank.
  return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.text);
}
