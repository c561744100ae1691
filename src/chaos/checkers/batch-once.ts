/**
 * Safety: a batch job runs each of its tasks to completion once. The batch
 * scheduler numbers its tasks with a `slot` label (task.launched); attempts of
 * one slot are judged by the agents' ground truth (task.status):
 *
 * - no two attempts of a slot are active (STAGING..KILLING) at once, unless
 *   one of them is on an agent in an unreachable window (from agent.unreachable,
 *   or from the scheduler being told the task is UNREACHABLE or LOST, until the
 *   agent reregisters plus the grace the overlap checker gives a scheduler to
 *   kill a copy; impaired periods push the grace back, see impairments.ts);
 * - no slot finishes (TASK_FINISHED) twice, unless one of the finishes ran on
 *   an agent in such a window (the scheduler may relaunch an unreachable task
 *   once it is inactive, and the original may have finished meanwhile).
 *
 * A job that relaunches work that still runs (say, after reconciling without
 * agent ids) finishes more tasks than it has and fails here. Windows and the
 * grace are only known at the end, so records are kept and replayed in finish.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { AgentId, NodeId, TaskId } from '../../core/ids.js';
import { ACTIVE_STATES } from '../../core/task-state.js';
import { killRetryMsOf } from '../../schedulers/defaults.js';
import { Impairments } from './impairments.js';
import { Findings, ms, resultOf, slackOf, type Checker, type CheckContext, type CheckResult } from './types.js';

const KEPT: ReadonlySet<HistoryRecord['type']> = new Set(['task.launched', 'task.status', 'status.delivered', 'agent.unreachable', 'agent.reregistered', 'agent.registered']);

const IMPAIRING: ReadonlySet<HistoryRecord['type']> = new Set([
  'fault.injected',
  'master.elected',
  'master.deposed',
  'node.stopped',
  'node.paused',
  'framework.disconnected',
  'framework.subscribed',
  'framework.resubscribed',
]);

interface Attempt {
  readonly slot: string;
  readonly agentId: AgentId;
  /** The task.launched record (where replay puts a finding about this copy). */
  readonly seq: number;
  active: boolean;
}

type Window = { readonly sinceMs: number; untilMs: number | null };

/** Builds the batch-runs-once checker. */
export function batchRunsOnce(): Checker {
  const kept: HistoryRecord[] = [];
  const impaired: HistoryRecord[] = [];
  const checker: Checker = {
    name: 'batch-runs-once',
    kind: 'safety',
    observe(r) {
      if (KEPT.has(r.type)) kept.push(r);
      if (IMPAIRING.has(r.type)) impaired.push(r);
    },
    finish(ctx) {
      return new BatchReplay(ctx).run(kept, impaired, checker);
    },
  };
  return checker;
}

class BatchReplay {
  private readonly graceMs: number;
  private readonly impairments = new Impairments();
  private readonly attempts = new Map<TaskId, Attempt>();
  private readonly activeBySlot = new Map<string, Set<TaskId>>();
  private readonly finishedBySlot = new Map<string, { taskId: TaskId; excused: boolean; seq: number }>();
  private readonly windows = new Map<AgentId, Window>();
  private readonly hostOf = new Map<AgentId, NodeId>();
  private readonly doubled = new Set<string>();
  private readonly reported = new Set<string>();
  private readonly findings = new Findings();
  private finishes = 0;

  constructor(private readonly ctx: CheckContext) {
    this.graceMs = 2 * ctx.timing.allocationIntervalMs + killRetryMsOf(ctx.timing) + slackOf(ctx);
  }

  run(records: readonly HistoryRecord[], impaired: readonly HistoryRecord[], checker: Checker): CheckResult {
    for (const r of impaired) this.impairments.observe(r);
    let instantMs: number | null = null;
    for (const r of records) {
      if (instantMs !== null && r.atMs !== instantMs) this.boundary(r.atMs);
      instantMs = r.atMs;
      this.apply(r);
    }
    this.boundary(Math.max(instantMs ?? 0, this.ctx.endMs) + 1);
    if (this.findings.count > 0) return resultOf(checker, 'fail', `${this.findings.count} batch violation(s): ${this.findings.text()}`, this.findings.list());
    return resultOf(checker, 'pass', `${this.attempts.size} batch attempt(s), ${this.finishes} finish(es), no task run twice outside an unreachable window`);
  }

  private apply(r: HistoryRecord): void {
    switch (r.type) {
      case 'task.launched': {
        const slot = r.labels['slot'];
        if (slot !== undefined) this.attempts.set(r.taskId, { slot: `${r.name}#${slot}`, agentId: r.agentId, seq: r.seq, active: false });
        return;
      }
      case 'task.status': {
        const attempt = this.attempts.get(r.taskId);
        if (!attempt) return;
        const active = ACTIVE_STATES.has(r.state);
        if (active !== attempt.active) {
          attempt.active = active;
          const set = this.activeBySlot.get(attempt.slot) ?? new Set<TaskId>();
          if (active) set.add(r.taskId);
          else set.delete(r.taskId);
          this.activeBySlot.set(attempt.slot, set);
          if (set.size > 1) this.doubled.add(attempt.slot);
        }
        if (r.state === 'TASK_FINISHED') this.finished(r.taskId, attempt, r.atMs, r.seq);
        return;
      }
      case 'status.delivered': {
        // The scheduler was told the task is away: a copy may start beside it.
        const attempt = this.attempts.get(r.taskId);
        if (attempt && r.uuid === null && (r.state === 'TASK_UNREACHABLE' || r.state === 'TASK_LOST')) this.open(attempt.agentId, r.atMs);
        return;
      }
      case 'agent.unreachable':
        this.open(r.agentId, r.atMs);
        return;
      case 'agent.reregistered': {
        const w = this.windows.get(r.agentId);
        if (w && w.untilMs === null) w.untilMs = this.impairments.judgedFrom(r.atMs, this.graceMs, null, this.ctx.endMs);
        return;
      }
      case 'agent.registered': {
        // A new agent id on a host: the tasks of its older ids died with the host.
        for (const [agentId, host] of this.hostOf) {
          if (host !== r.host || agentId === r.agentId) continue;
          for (const [taskId, attempt] of this.attempts) {
            if (attempt.agentId !== agentId || !attempt.active) continue;
            attempt.active = false;
            this.activeBySlot.get(attempt.slot)?.delete(taskId);
          }
        }
        this.hostOf.set(r.agentId, r.host);
        return;
      }
      default:
        return;
    }
  }

  private open(agentId: AgentId, atMs: number): void {
    const w = this.windows.get(agentId);
    if (w === undefined || (w.untilMs !== null && w.untilMs + this.graceMs < atMs)) this.windows.set(agentId, { sinceMs: atMs, untilMs: null });
  }

  private inWindow(agentId: AgentId, atMs: number): boolean {
    const w = this.windows.get(agentId);
    return w !== undefined && w.sinceMs <= atMs && (w.untilMs === null || atMs <= w.untilMs + this.graceMs);
  }

  private finished(taskId: TaskId, attempt: Attempt, atMs: number, seq: number): void {
    this.finishes += 1;
    const excused = this.inWindow(attempt.agentId, atMs);
    const earlier = this.finishedBySlot.get(attempt.slot);
    if (earlier === undefined) {
      this.finishedBySlot.set(attempt.slot, { taskId, excused, seq });
      return;
    }
    if (!excused && !earlier.excused) this.findings.add(`${attempt.slot} finished twice: ${earlier.taskId}, then ${taskId} at ${ms(atMs)}`, { atMs, seqs: [earlier.seq, seq] });
  }

  /** Before time moves on: every slot with two active attempts needs one of them in a window now. */
  private boundary(nextMs: number): void {
    for (const slot of this.doubled) {
      const active = this.activeBySlot.get(slot);
      if (active === undefined || active.size < 2) {
        this.doubled.delete(slot);
        continue;
      }
      const atMs = nextMs - 1e-6;
      const excused = [...active].some((taskId) => {
        const attempt = this.attempts.get(taskId);
        return attempt !== undefined && this.inWindow(attempt.agentId, atMs);
      });
      if (excused || this.reported.has(slot)) continue;
      this.reported.add(slot);
      this.findings.add(`${slot} ran ${active.size} copies at once (${[...active].join(', ')}) before ${ms(nextMs)}, none on an unreachable agent`, { atMs: nextMs, seqs: [...active].flatMap((taskId) => this.attempts.get(taskId)?.seq ?? []) });
    }
  }
}
