/**
 * The words the page tells state in (colour only repeats them): task states,
 * agent states, and the CSS tone of each.
 */

/** Every Mesos task state, in the order the chips show them. */
export const TASK_STATES = [
  'TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED',
  'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_UNREACHABLE', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN',
] as const;

/** A tone a state is drawn in (a CSS class suffix). */
export type Tone = 'good' | 'busy' | 'done' | 'bad' | 'warn' | 'muted';

/** `TASK_RUNNING` as `running`. */
export function taskWord(state: string): string {
  return state.replace(/^TASK_/, '').replace(/_/g, ' ').toLowerCase();
}

/** Whether a task state is terminal (Mesos's `protobuf::isTerminalState`, with UNREACHABLE and UNKNOWN not terminal). */
export function isTerminalTask(state: string): boolean {
  return state === 'TASK_FINISHED' || state === 'TASK_FAILED' || state === 'TASK_KILLED' || state === 'TASK_ERROR' || state === 'TASK_LOST' || state === 'TASK_DROPPED' || state === 'TASK_GONE' || state === 'TASK_GONE_BY_OPERATOR';
}

/** The tone of a task state. */
export function taskTone(state: string): Tone {
  switch (state) {
    case 'TASK_RUNNING':
      return 'good';
    case 'TASK_STAGING':
    case 'TASK_STARTING':
    case 'TASK_KILLING':
      return 'busy';
    case 'TASK_FINISHED':
    case 'TASK_KILLED':
    case 'TASK_GONE_BY_OPERATOR':
      return 'done';
    case 'TASK_UNREACHABLE':
    case 'TASK_UNKNOWN':
      return 'warn';
    default:
      return 'bad';
  }
}

/** How the page names an agent's state. */
export type AgentWord = 'active' | 'inactive' | 'unreachable' | 'disconnected' | 'down' | 'paused' | 'removed' | 'not listed';

/** Agent states in the order counts show them. */
export const AGENT_WORDS: readonly AgentWord[] = ['active', 'inactive', 'disconnected', 'unreachable', 'paused', 'down', 'removed', 'not listed'];

/** The page's word for a faultline agent state (FAULTLINE_GET_INFO's agent_states). */
export function agentWordOf(state: string): AgentWord | null {
  switch (state) {
    case 'registered':
      return 'active';
    case 'unreachable':
    case 'disconnected':
    case 'down':
    case 'paused':
    case 'removed':
      return state;
    default:
      return null;
  }
}

/** The tone of an agent state. */
export function agentTone(word: AgentWord): Tone {
  switch (word) {
    case 'active':
      return 'good';
    case 'inactive':
    case 'disconnected':
    case 'paused':
      return 'warn';
    case 'removed':
    case 'not listed':
      return 'muted';
    case 'unreachable':
    case 'down':
      return 'bad';
    default: {
      const never: never = word;
      return never;
    }
  }
}
