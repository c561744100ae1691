/**
 * Evaluates a condition against a ClusterState snapshot. Pure: the same state
 * gives the same answer, so the runner can poll it after every event.
 */
import { assertNever } from '../../core/errors.js';
import type { FrameworkId } from '../../core/ids.js';
import type { ClusterState, FrameworkView } from '../../core/state.js';
import type { TaskState } from '../../core/task-state.js';
import type { CompareOp, Condition } from './types.js';

/** How app names map to frameworks (the runner knows which framework each app's scheduler got). */
export interface AppNames {
  /** The framework id of the app's scheduler, or undefined while it has none. */
  frameworkIdOfService(name: string): FrameworkId | undefined;
}

/** Whether a condition holds, and what was observed (for reports: "running was 8"). */
export interface Evaluation {
  readonly holds: boolean;
  readonly actual: string;
}

/** Applies a comparison operator. */
export function compare(op: CompareOp, actual: number, expected: number): boolean {
  switch (op) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>=':
      return actual >= expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '<':
      return actual < expected;
    default:
      return assertNever(op, 'comparison');
  }
}

/**
 * Finds an app's framework: through `names` first, then by framework name, id or
 * scheduler node (so `framework <id> connected` works too).
 */
export function findFramework(state: ClusterState, app: string, names?: AppNames): FrameworkView | undefined {
  const id = names?.frameworkIdOfService(app);
  if (id !== undefined) {
    const viaNames = state.frameworks.get(id);
    if (viaNames !== undefined) return viaNames;
  }
  const direct = state.frameworks.get(app);
  if (direct !== undefined) return direct;
  let found: FrameworkView | undefined;
  for (const framework of state.frameworks.values()) {
    if (framework.name !== app && framework.node !== app) continue;
    // A re-registered app may leave a removed framework behind: prefer the live one.
    if (found === undefined || (found.state === 'removed' && framework.state !== 'removed')) found = framework;
  }
  return found;
}

function countTasks(state: ClusterState, frameworkId: FrameworkId, taskState: TaskState): number {
  let count = 0;
  for (const task of state.tasks.values()) if (task.frameworkId === frameworkId && task.state === taskState) count += 1;
  return count;
}

function counted(op: CompareOp, actual: number, expected: number): Evaluation {
  return { holds: compare(op, actual, expected), actual: String(actual) };
}

/** Evaluates a condition against a snapshot. */
export function evaluate(condition: Condition, state: ClusterState, names: AppNames): Evaluation {
  switch (condition.kind) {
    case 'app-tasks': {
      const framework = findFramework(state, condition.app, names);
      if (framework === undefined) {
        const holds = compare(condition.op, 0, condition.value);
        return { holds, actual: `0 (no framework for ${condition.app} yet)` };
      }
      return counted(condition.op, countTasks(state, framework.frameworkId, condition.state), condition.value);
    }
    case 'tasks':
      return counted(condition.op, state.counts.tasksByState[condition.state], condition.value);
    case 'agents':
      return counted(condition.op, state.counts.agentsByState[condition.state], condition.value);
    case 'masters': {
      let count = 0;
      for (const master of state.masters.values()) if (master.state === condition.state) count += 1;
      return counted(condition.op, count, condition.value);
    }
    case 'offers':
      return counted(condition.op, state.offers.size, condition.value);
    case 'leader-elected':
      return state.leader === null
        ? { holds: false, actual: 'no leader' }
        : { holds: true, actual: `leader ${state.leader.node} (epoch ${state.leader.epoch})` };
    case 'no-leader':
      return state.leader === null
        ? { holds: true, actual: 'no leader' }
        : { holds: false, actual: `leader ${state.leader.node} (epoch ${state.leader.epoch})` };
    case 'leader-epoch':
      return state.leader === null ? { holds: false, actual: 'no leader' } : counted(condition.op, state.leader.epoch, condition.value);
    case 'task-state': {
      const task = state.tasks.get(condition.taskId);
      if (task === undefined) return { holds: false, actual: `no task ${condition.taskId}` };
      return { holds: condition.op === '==' ? task.state === condition.state : task.state !== condition.state, actual: task.state };
    }
    case 'framework': {
      const framework = findFramework(state, condition.app, names);
      if (framework === undefined) return { holds: false, actual: `no framework ${condition.app}` };
      const word = framework.state === 'active' ? 'connected' : framework.state;
      return { holds: word === condition.state, actual: word };
    }
    case 'and': {
      const parts = condition.conditions.map((part) => evaluate(part, state, names));
      return { holds: parts.every((part) => part.holds), actual: parts.map((part) => part.actual).join('; ') };
    }
    default:
      return assertNever(condition, 'condition');
  }
}
