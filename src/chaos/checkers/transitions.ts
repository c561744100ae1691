/**
 * Safety: tasks move only along legal state transitions (`isLegalTransition`),
 * both as the master records them (task.updated) and as the agent generates them
 * (task.status). Reconciliation answers are reports, not transitions: they are
 * not checked and do not move the state.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { TaskId } from '../../core/ids.js';
import { isLegalTransition, type TaskState } from '../../core/task-state.js';
import { Findings, pointOf, ms, resultOf, type Checker, type CheckResult } from './types.js';

/** Builds the legal-transitions checker. */
export function legalTaskTransitions(): Checker {
  const masterStates = new Map<TaskId, TaskState>();
  const agentStates = new Map<TaskId, TaskState>();
  const findings = new Findings();
  let steps = 0;

  const step = (states: Map<TaskId, TaskState>, who: string, r: HistoryRecord & { taskId: TaskId; state: TaskState }): void => {
    const prev = states.get(r.taskId);
    states.set(r.taskId, r.state);
    if (prev === undefined) return;
    steps += 1;
    if (!isLegalTransition(prev, r.state)) findings.add(`${r.taskId} ${prev} -> ${r.state} at ${ms(r.atMs)} (${who})`, pointOf(r));
  };

  const checker: Checker = {
    name: 'legal-task-transitions',
    kind: 'safety',
    observe(r: HistoryRecord): void {
      if (r.type === 'task.launched') {
        // A relaunch under a used id starts a new life (the master refuses it unless the id is free).
        masterStates.delete(r.taskId);
        agentStates.delete(r.taskId);
      } else if (r.type === 'task.updated') {
        if (r.reason !== 'REASON_RECONCILIATION') step(masterStates, 'master', r);
      } else if (r.type === 'task.status') {
        step(agentStates, `agent ${r.host}`, r);
      }
    },
    finish(): CheckResult {
      if (findings.count > 0) return resultOf(checker, 'fail', `${findings.count} illegal transition(s): ${findings.text()}`, findings.list());
      return resultOf(checker, 'pass', `${steps} transitions of ${masterStates.size} tasks, all legal`);
    },
  };
  return checker;
}
