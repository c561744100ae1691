import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskReason, TaskState } from '../../src/core/task-state.js';
import { classifyStatus, type StatusClass } from '../../src/schedulers/status.js';

describe('classifyStatus (Marathon mapping)', () => {
  const cases: Array<[TaskState, TaskReason | undefined, StatusClass]> = [
    ['TASK_STAGING', undefined, 'alive'],
    ['TASK_STARTING', undefined, 'alive'],
    ['TASK_RUNNING', 'REASON_AGENT_REREGISTERED', 'alive'],
    ['TASK_KILLING', undefined, 'alive'],
    ['TASK_UNREACHABLE', 'REASON_AGENT_REMOVED', 'unreachable'],
    ['TASK_UNREACHABLE', 'REASON_RECONCILIATION', 'unreachable'],
    ['TASK_LOST', 'REASON_AGENT_REMOVED', 'unreachable'],
    ['TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'unreachable'],
    ['TASK_LOST', 'REASON_RECONCILIATION', 'unreachable'],
    ['TASK_LOST', 'REASON_AGENT_RESTARTED', 'gone'],
    ['TASK_LOST', 'REASON_INVALID_OFFERS', 'gone'],
    ['TASK_LOST', undefined, 'gone'],
    ['TASK_FINISHED', undefined, 'gone'],
    ['TASK_FAILED', undefined, 'gone'],
    ['TASK_KILLED', 'REASON_FRAMEWORK_REMOVED', 'gone'],
    ['TASK_ERROR', 'REASON_TASK_INVALID', 'gone'],
    ['TASK_DROPPED', undefined, 'gone'],
    ['TASK_GONE', 'REASON_AGENT_RESTARTED', 'gone'],
    ['TASK_GONE_BY_OPERATOR', undefined, 'gone'],
    ['TASK_UNKNOWN', 'REASON_RECONCILIATION', 'gone'],
  ];
  for (const [state, reason, expected] of cases) {
    it(`${state} ${reason ?? '(no reason)'} -> ${expected}`, () => {
      assert.equal(classifyStatus(reason === undefined ? { state } : { state, reason }), expected);
    });
  }
});
