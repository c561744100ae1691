/**
 * The embedded feed's `taskOutput`: a task's output, as `l` shows it: on a live cluster its sandbox stdout and
 * stderr; in the simulation, what the simulated executor "wrote", derived from
 * the task's own history records (its launch, every status the executor sent,
 * a kill asked for), so nothing new is recorded and runs stay deterministic.
 */
import type { HistoryRecord } from '../core/events.js';
import type { Resources } from '../core/resources.js';
import type { TaskOutput } from '../tui/source.js';

// Plain formatting here, not the TUI's: this module loads with the embedded feed, also for --once.
const stateWord = (state: string): string => state.replace(/^TASK_/, '');
const reasonWord = (reason: string): string => reason.replace(/^REASON_/, '');
const formatClock = (ms: number): string => `${(ms / 1000).toFixed(3)}s`;
const formatResourcesShort = (r: Resources): string => `cpus ${r.cpus} mem ${r.mem}${r.disk > 0 ? ` disk ${r.disk}` : ''}`;

/** The lines kept per stream (the newest). */
export const TASK_OUTPUT_LINES = 500;

const ERROR_STATES = new Set(['TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE']);

/** The simulated executor's output for `taskId`, from history records (in seq order). */
export function simulatedTaskOutput(records: Iterable<HistoryRecord>, taskId: string): TaskOutput {
  const stdout: string[] = [];
  const stderr: string[] = [];
  for (const r of records) {
    const at = `[${formatClock(r.atMs)}]`;
    switch (r.type) {
      case 'task.launched':
        if (r.taskId === taskId) stdout.push(`${at} launching ${r.name} task ${r.taskId} on ${r.agentId} with ${formatResourcesShort(r.resources)}`);
        break;
      case 'task.status':
        if (r.taskId !== taskId) break;
        if (ERROR_STATES.has(r.state)) stderr.push(`${at} executor on ${r.host}: ${stateWord(r.state)}${r.reason === null ? '' : ` (${reasonWord(r.reason)})`}`);
        else stdout.push(`${at} executor on ${r.host}: ${stateWord(r.state)}${r.state === 'TASK_RUNNING' ? ': command started' : r.state === 'TASK_FINISHED' ? ': command exited 0' : ''}`);
        break;
      case 'task.updated':
        if (r.taskId === taskId && r.source === 'SOURCE_EXECUTOR' && r.message !== null) stdout.push(`${at} ${r.message}`);
        break;
      case 'fault.injected':
        if (r.fault.kind === 'kill-task' && r.fault.taskId === taskId) stderr.push(`${at} received a kill (fault: ${r.detail})`);
        break;
      default:
        break;
    }
  }
  return { source: 'simulated executor (from the task’s history records)', stdout: stdout.slice(-TASK_OUTPUT_LINES), stderr: stderr.slice(-TASK_OUTPUT_LINES) };
}
