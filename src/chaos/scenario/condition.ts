/**
 * The condition language: short phrases that read like the domain.
 *
 *   service web running == 10        agents unreachable == 0
 *   tasks TASK_RUNNING >= 20         masters down == 0
 *   leader elected  |  no leader     leader epoch >= 2
 *   task web-7 state == TASK_KILLED  framework web connected
 *   offers >= 1                      A and B
 *
 * A hand-written tokenizer and recursive-descent parser; every error carries the
 * 0-based offset of the bad token inside the string so the scenario parser can
 * point at its file column.
 */
import { assertNever } from '../../core/errors.js';
import { AGENT_STATES, type AgentState } from '../../core/state.js';
import { TASK_STATES, type TaskState } from '../../core/task-state.js';
import { didYouMean } from './suggest.js';
import type { CompareOp, Condition, FrameworkCondition, MasterState } from './types.js';

/** A parsed condition or the first problem, with its offset in the text. */
export type ConditionParse = { readonly ok: true; readonly condition: Condition } | { readonly ok: false; readonly message: string; readonly offset: number };

/** What the parser may check beyond syntax. */
export interface ConditionOptions {
  /** App names the file defines: `service X` and `framework X` must name one (or look like a framework id). */
  readonly apps?: ReadonlySet<string>;
}

const COMPARE_OPS: readonly CompareOp[] = ['==', '!=', '>=', '<=', '>', '<'];
const MASTER_STATES: readonly MasterState[] = ['leading', 'standby', 'down', 'paused'];
const FRAMEWORK_STATES: readonly FrameworkCondition[] = ['connected', 'disconnected', 'removed'];
const STARTS = ['service', 'tasks', 'agents', 'masters', 'offers', 'leader', 'no', 'task', 'framework'] as const;
/** `service` reads best; `app` and `job` are accepted for batch and execute apps. */
const APP_WORDS = ['service', 'app', 'job'];
/** Task states by their short name (`running`) and full name (`TASK_RUNNING`), lower-cased. */
const TASK_STATE_WORDS = new Map<string, TaskState>(TASK_STATES.flatMap((s) => [[s.toLowerCase(), s] as const, [shortState(s), s] as const]));
/** What a framework id looks like (`<masterId>-0000`), so `framework <id> ...` passes without an app of that name. */
const FRAMEWORK_ID = /-\d{4,}$/;

interface Token {
  readonly text: string;
  readonly offset: number;
}

/** `TASK_RUNNING` -> `running`, `TASK_GONE_BY_OPERATOR` -> `gone_by_operator`. */
export function shortState(state: TaskState): string {
  return state.slice('TASK_'.length).toLowerCase();
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /==|!=|>=|<=|[<>=!]|[^\s<>=!]+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) tokens.push({ text: m[0], offset: m.index });
  return tokens;
}

class Failure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Parses a condition; never throws. */
export function parseCondition(text: string, options: ConditionOptions = {}): ConditionParse {
  const parser = new Parser(text, tokenize(text), options);
  const result = parser.parse();
  return result instanceof Failure ? { ok: false, message: result.message, offset: result.offset } : { ok: true, condition: result };
}

class Parser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly options: ConditionOptions,
  ) {}

  parse(): Condition | Failure {
    if (this.tokens.length === 0) return new Failure('empty condition; write e.g. "service web running == 3"', 0);
    const parts: Condition[] = [];
    for (;;) {
      const part = this.clause();
      if (part instanceof Failure) return part;
      parts.push(part);
      const next = this.tokens[this.at];
      if (next === undefined) break;
      if (next.text !== 'and') return new Failure(`expected "and" or the end of the condition, got "${next.text}"`, next.offset);
      this.at += 1;
    }
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : { kind: 'and', conditions: parts };
  }

  private endOffset(): number {
    return this.text.trimEnd().length;
  }

  /** The next token, or a failure naming what was expected there. */
  private take(expected: string): Token | Failure {
    const token = this.tokens[this.at];
    if (token === undefined || token.text === 'and') {
      return new Failure(`expected ${expected}`, token?.offset ?? this.endOffset());
    }
    this.at += 1;
    return token;
  }

  private word(expected: string, words: readonly string[]): string | Failure {
    const token = this.take(`${expected} (${words.join(', ')})`);
    if (token instanceof Failure) return token;
    if (words.includes(token.text)) return token.text;
    return new Failure(`expected ${expected} (${words.join(', ')}), got "${token.text}"${didYouMean(token.text, words)}`, token.offset);
  }

  private clause(): Condition | Failure {
    const first = this.take(`a condition (${STARTS.join(', ')})`);
    if (first instanceof Failure) return first;
    const head = first.text;
    if (APP_WORDS.includes(head)) return this.appTasks();
    switch (head) {
      case 'tasks': {
        const state = this.taskState();
        if (state instanceof Failure) return state;
        return this.counted((op, value) => ({ kind: 'tasks', state, op, value }));
      }
      case 'agents': {
        const state = this.word('an agent state', AGENT_STATES);
        if (state instanceof Failure) return state;
        return this.counted((op, value) => ({ kind: 'agents', state: state as AgentState, op, value }));
      }
      case 'masters': {
        const state = this.word('a master state', MASTER_STATES);
        if (state instanceof Failure) return state;
        return this.counted((op, value) => ({ kind: 'masters', state: state as MasterState, op, value }));
      }
      case 'offers':
        return this.counted((op, value) => ({ kind: 'offers', op, value }));
      case 'leader': {
        const what = this.word('"elected" or "epoch"', ['elected', 'epoch']);
        if (what instanceof Failure) return what;
        if (what === 'elected') return { kind: 'leader-elected' };
        return this.counted((op, value) => ({ kind: 'leader-epoch', op, value }));
      }
      case 'no': {
        const what = this.word('"leader"', ['leader']);
        return what instanceof Failure ? what : { kind: 'no-leader' };
      }
      case 'task':
        return this.taskStateCondition();
      case 'framework': {
        const app = this.appName();
        if (app instanceof Failure) return app;
        const state = this.word('a framework state', FRAMEWORK_STATES);
        if (state instanceof Failure) return state;
        return { kind: 'framework', app, state: state as FrameworkCondition };
      }
      default:
        return new Failure(`unknown condition "${head}"${didYouMean(head, [...STARTS, ...APP_WORDS]) || ` (conditions start with ${STARTS.join(', ')})`}`, first.offset);
    }
  }

  private appTasks(): Condition | Failure {
    const app = this.appName();
    if (app instanceof Failure) return app;
    const state = this.taskState();
    if (state instanceof Failure) return state;
    return this.counted((op, value) => ({ kind: 'app-tasks', app, state, op, value }));
  }

  private appName(): string | Failure {
    const token = this.take('an app name');
    if (token instanceof Failure) return token;
    const apps = this.options.apps;
    if (apps === undefined || apps.has(token.text) || FRAMEWORK_ID.test(token.text)) return token.text;
    const known = apps.size === 0 ? ' (the workload defines no apps)' : didYouMean(token.text, apps) || ` (apps: ${[...apps].join(', ')})`;
    return new Failure(`unknown app "${token.text}"${known}`, token.offset);
  }

  private taskState(): TaskState | Failure {
    const token = this.take('a task state (running, staging, TASK_KILLED, ...)');
    if (token instanceof Failure) return token;
    const state = TASK_STATE_WORDS.get(token.text.toLowerCase());
    if (state !== undefined) return state;
    return new Failure(`unknown task state "${token.text}"${didYouMean(token.text, [...TASK_STATES.map(shortState), ...TASK_STATES])}`, token.offset);
  }

  private taskStateCondition(): Condition | Failure {
    const id = this.take('a task id');
    if (id instanceof Failure) return id;
    const stateWord = this.word('"state"', ['state']);
    if (stateWord instanceof Failure) return stateWord;
    const op = this.compareOp();
    if (op instanceof Failure) return op;
    if (op !== '==' && op !== '!=') return new Failure(`a task state compares with == or !=, not ${op}`, this.tokens[this.at - 1]?.offset ?? 0);
    const state = this.taskState();
    if (state instanceof Failure) return state;
    return { kind: 'task-state', taskId: id.text, op, state };
  }

  private compareOp(): CompareOp | Failure {
    const token = this.take(`a comparison (${COMPARE_OPS.join(' ')})`);
    if (token instanceof Failure) return token;
    if ((COMPARE_OPS as readonly string[]).includes(token.text)) return token.text as CompareOp;
    const hint = token.text === '=' ? ', did you mean "=="?' : '';
    return new Failure(`expected a comparison (${COMPARE_OPS.join(' ')}), got "${token.text}"${hint}`, token.offset);
  }

  private counted(build: (op: CompareOp, value: number) => Condition): Condition | Failure {
    const op = this.compareOp();
    if (op instanceof Failure) return op;
    const token = this.take('a whole number');
    if (token instanceof Failure) return token;
    if (!/^\d+$/.test(token.text) || !Number.isSafeInteger(Number(token.text))) {
      return new Failure(`expected a whole number, got "${token.text}"`, token.offset);
    }
    return build(op, Number(token.text));
  }
}

/** The canonical text of a condition; `parseCondition(formatCondition(c))` gives `c` back. */
export function formatCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'app-tasks':
      return `service ${condition.app} ${shortState(condition.state)} ${condition.op} ${condition.value}`;
    case 'tasks':
      return `tasks ${condition.state} ${condition.op} ${condition.value}`;
    case 'agents':
      return `agents ${condition.state} ${condition.op} ${condition.value}`;
    case 'masters':
      return `masters ${condition.state} ${condition.op} ${condition.value}`;
    case 'offers':
      return `offers ${condition.op} ${condition.value}`;
    case 'leader-elected':
      return 'leader elected';
    case 'no-leader':
      return 'no leader';
    case 'leader-epoch':
      return `leader epoch ${condition.op} ${condition.value}`;
    case 'task-state':
      return `task ${condition.taskId} state ${condition.op} ${condition.state}`;
    case 'framework':
      return `framework ${condition.app} ${condition.state}`;
    case 'and':
      return condition.conditions.map(formatCondition).join(' and ');
    default:
      return assertNever(condition, 'condition');
  }
}
