/**
 * Command mode (`:`): the command table (which also renders the help), the
 * parser, and the resolution of fault commands against the snapshot. Typed
 * commands are not asked y/n again: typing the whole command is the intent.
 */
import { assertNever, err, ok, type Result } from '../core/errors.js';
import type { Fault } from '../core/faults.js';
import type { ClusterState } from '../core/state.js';
import { isTerminal } from '../core/task-state.js';
import { failoverFault, findAgent, findMaster, isolateFault, killableTask, resolveNode } from './targets.js';
import { VIEWS, viewOfCommand, type ViewName } from './views.js';

/** A parsed command. */
export type Command =
  | { readonly kind: 'kill-task'; readonly taskId: string }
  | { readonly kind: 'node'; readonly action: 'kill' | 'restart' | 'pause' | 'resume'; readonly role: 'agent' | 'master'; readonly target: string }
  | { readonly kind: 'isolate'; readonly target: string }
  | { readonly kind: 'partition'; readonly groups: readonly (readonly string[])[] }
  | { readonly kind: 'heal' }
  | { readonly kind: 'failover' }
  | { readonly kind: 'run'; readonly path: string }
  | { readonly kind: 'speed'; readonly speed: number }
  | { readonly kind: 'write'; readonly path: string | null }
  | { readonly kind: 'help' }
  | { readonly kind: 'view'; readonly view: ViewName }
  | { readonly kind: 'quit' };

/** Every command, as the help shows it. */
export const COMMAND_HELP: readonly { readonly usage: string; readonly help: string }[] = [
  { usage: 'kill task <id>', help: 'kill a task' },
  { usage: 'kill agent <id|host>', help: 'kill an agent (also: restart, pause, resume)' },
  { usage: 'kill master <node>', help: 'kill a master (also: restart, pause, resume)' },
  { usage: 'isolate <node>', help: 'cut one node off from all the others' },
  { usage: 'partition <a,b> <c,d>', help: 'cut groups of nodes apart (agent ids or hosts work)' },
  { usage: 'heal', help: 'heal every partition' },
  { usage: 'failover', help: 'fail over the leading master' },
  { usage: 'run <scenario>', help: 'run a scenario file inside this cluster' },
  { usage: 'speed <x>', help: 'set the simulation speed (1 = real time)' },
  { usage: 'write [file]', help: 'save the faults so far as a scenario file' },
  { usage: 'help', help: 'show the help' },
  { usage: 'q', help: 'quit' },
  ...VIEWS.map((v) => ({ usage: v.commands.join(' | '), help: `switch to ${v.title}${v.name === 'run' ? ' (once a scenario runs)' : ''}` })),
];

const NODE_ACTIONS = ['kill', 'restart', 'pause', 'resume'] as const;

function usage(text: string): Result<Command> {
  return err('USAGE', `usage: :${text}`);
}

/** Parses a command line (without the leading `:`). */
export function parseCommand(line: string): Result<Command> {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  const [name, ...args] = words;
  if (name === undefined) return err('USAGE', 'empty command (try :help)');
  switch (name) {
    case 'kill':
    case 'restart':
    case 'pause':
    case 'resume': {
      const [role, target, ...rest] = args;
      if (name === 'kill' && role === 'task') return target !== undefined && rest.length === 0 ? ok({ kind: 'kill-task', taskId: target }) : usage('kill task <id>');
      if ((role !== 'agent' && role !== 'master') || target === undefined || rest.length > 0) return usage(`${name} agent <id|host>`);
      const action = NODE_ACTIONS.find((a) => a === name) ?? 'kill';
      return ok({ kind: 'node', action, role, target });
    }
    case 'isolate':
      return args.length === 1 && args[0] !== undefined ? ok({ kind: 'isolate', target: args[0] }) : usage('isolate <node>');
    case 'partition': {
      const groups = args.map((a) => a.split(',').filter((n) => n !== ''));
      if (groups.length < 2 || groups.some((g) => g.length === 0)) return usage('partition <a,b> <c,d>');
      return ok({ kind: 'partition', groups });
    }
    case 'heal':
    case 'failover':
    case 'help':
      return args.length === 0 ? ok({ kind: name }) : usage(name);
    case 'q':
    case 'quit':
      return args.length === 0 ? ok({ kind: 'quit' }) : usage('q');
    case 'run':
      return args.length === 1 && args[0] !== undefined ? ok({ kind: 'run', path: args[0] }) : usage('run <scenario>');
    case 'speed': {
      const speed = Number(args[0]);
      if (args.length !== 1 || !Number.isFinite(speed) || speed <= 0) return usage('speed <x> (a number above 0)');
      return ok({ kind: 'speed', speed });
    }
    case 'write':
      if (args.length > 1) return usage('write [file]');
      return ok({ kind: 'write', path: args[0] ?? null });
    default: {
      const view = viewOfCommand(name);
      if (view !== null) return args.length === 0 ? ok({ kind: 'view', view }) : usage(name);
      const guess = completions(name, COMMAND_WORDS);
      return err('USAGE', `unknown command "${name}"${guess.length > 0 ? ` (did you mean :${guess.slice(0, 3).join(', :')}?)` : ' (try :help)'}`);
    }
  }
}

/** Every word a command line may start with (Tab completes them). */
export const COMMAND_WORDS: readonly string[] = [
  'kill',
  'restart',
  'pause',
  'resume',
  'isolate',
  'partition',
  'heal',
  'failover',
  'run',
  'speed',
  'write',
  'help',
  'quit',
  ...VIEWS.flatMap((v) => v.commands),
];

/** The candidates that start with `prefix`, in order, without repeats. */
export function completions(prefix: string, candidates: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const c of candidates) if (c.startsWith(prefix)) out.add(c);
  return [...out];
}

/** The longest prefix every word shares. */
function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** What Tab does to a command line: the completed line, and the candidates when several remain. */
export function completeCommandLine(line: string, cluster: ClusterState): { readonly line: string; readonly candidates: readonly string[] } {
  const words = line.split(' ');
  const last = words[words.length - 1] ?? '';
  const before = words.slice(0, -1).filter((w) => w !== '');
  const candidates = completions(last, before.length === 0 ? COMMAND_WORDS : argumentWords(before, cluster));
  if (candidates.length === 0) return { line, candidates: [] };
  const completed = candidates.length === 1 ? `${candidates[0] ?? ''} ` : commonPrefix(candidates);
  return { line: [...words.slice(0, -1), completed.length >= last.length ? completed : last].join(' '), candidates: candidates.length === 1 ? [] : candidates };
}

/** The words that may follow `before` (`kill task` -> task ids, `kill agent` -> agent ids and hosts). */
function argumentWords(before: readonly string[], cluster: ClusterState): string[] {
  const [name, role] = before;
  const agents = (): string[] => [...cluster.agents.values()].flatMap((a) => [a.host, a.agentId]);
  const masters = (): string[] => [...cluster.masters.keys()];
  if (name === 'kill' || name === 'restart' || name === 'pause' || name === 'resume') {
    if (before.length === 1) return name === 'kill' ? ['task', 'agent', 'master'] : ['agent', 'master'];
    if (before.length === 2 && role === 'task') return [...cluster.tasks.values()].filter((t) => !isTerminal(t.state)).map((t) => t.taskId);
    if (before.length === 2 && role === 'agent') return agents();
    if (before.length === 2 && role === 'master') return masters();
    return [];
  }
  if (name === 'isolate' && before.length === 1) return [...masters(), ...agents()];
  return [];
}

function nodeCommandFault(command: Extract<Command, { kind: 'node' }>, cluster: ClusterState): Result<Fault> {
  if (command.role === 'agent') {
    const agent = findAgent(cluster, command.target);
    if (!agent.ok) return agent;
    return ok({ kind: `${command.action}-agent`, node: agent.value.host });
  }
  const master = findMaster(cluster, command.target);
  if (!master.ok) return master;
  return ok({ kind: `${command.action}-master`, node: master.value.node });
}

/** The fault a command injects (null for commands that are not faults), or why its target is bad. */
export function faultOfCommand(command: Command, cluster: ClusterState): Result<Fault> | null {
  switch (command.kind) {
    case 'kill-task': {
      const task = killableTask(cluster, command.taskId);
      return task.ok ? ok({ kind: 'kill-task', taskId: task.value.taskId, frameworkId: task.value.frameworkId }) : task;
    }
    case 'node':
      return nodeCommandFault(command, cluster);
    case 'isolate': {
      const node = resolveNode(cluster, command.target);
      return node.ok ? ok(isolateFault(cluster, node.value)) : node;
    }
    case 'partition': {
      const groups: string[][] = [];
      const seen = new Set<string>();
      for (const names of command.groups) {
        const group: string[] = [];
        for (const name of names) {
          const node = resolveNode(cluster, name);
          if (!node.ok) return node;
          if (seen.has(node.value)) return err('FAULT_INVALID', `node ${node.value} is in two groups`);
          seen.add(node.value);
          group.push(node.value);
        }
        groups.push(group);
      }
      return ok({ kind: 'partition', groups, oneWay: false });
    }
    case 'heal':
      return ok({ kind: 'heal' });
    case 'failover':
      return failoverFault(cluster);
    case 'run':
    case 'speed':
    case 'write':
    case 'help':
    case 'view':
    case 'quit':
      return null;
    default:
      return assertNever(command, 'command');
  }
}
