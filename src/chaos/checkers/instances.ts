/**
 * Safety: no task runs on two agents at once, and no service has more than its
 * N instances active, outside unreachable windows. "Active" is the agent's
 * ground truth: the last task.status in STAGING..KILLING, until the host dies
 * (node.stopped). A process restart keeps tasks: they count again when the same
 * agent id reregisters while the process runs (a reregistration it sent before
 * dying, released late by a clog, does not count); a reboot registers a new
 * agent id and they are gone.
 *
 * An unreachable window opens at agent.unreachable, or when a scheduler is
 * told one of the agent's tasks is TASK_UNREACHABLE or TASK_LOST (a master
 * answering from the registry after a failover): the master told the
 * scheduler the task is gone, so a replacement may overlap it. It lasts until
 * the agent reregisters plus a grace for the scheduler to kill the surplus
 * (2 allocation intervals, plus one kill retry interval since the first kill
 * may be lost and the schedulers retry at that constant interval, plus slack),
 * or until the task ends. A reregistration
 * inside an impaired period (messages lost or held, no leader, a framework
 * disconnected: see impairments.ts) starts the grace only when that ends, plus
 * one reconcileIntervalMs: the master's re-send of the task's state (no uuid,
 * not retried) may have been lost, and then the scheduler learns the task is
 * back only at its next periodic reconciliation.
 *
 * N and the grace are only known at the end, so this checker keeps the records
 * it needs (references, no copies) and replays them in `finish`.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { AgentId, FrameworkId, NodeId, TaskId } from '../../core/ids.js';
import { ACTIVE_STATES } from '../../core/task-state.js';
import { killRetryMsOf } from '../../schedulers/defaults.js';
import { Impairments } from './impairments.js';
import { Findings, ms, resultOf, slackOf, type Checker, type CheckContext, type CheckResult, type ServiceExpectation } from './types.js';

type Window = { readonly since: number; until: number | null; reregistered: boolean };

const KEPT: ReadonlySet<HistoryRecord['type']> = new Set([
  'framework.subscribed',
  'agent.registered',
  'agent.reregistered',
  'agent.unreachable',
  'agent.removed',
  'node.stopped',
  'node.started',
  'task.status',
  'status.delivered',
]);

/** Records that open or close impaired periods. */
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

/** Builds the no-double-run / instance-bound checker. */
export function noServiceOverlap(): Checker {
  const kept: HistoryRecord[] = [];
  const impaired: HistoryRecord[] = [];
  const checker: Checker = {
    name: 'no-service-overlap',
    kind: 'safety',
    observe(r) {
      if (KEPT.has(r.type)) kept.push(r);
      if (IMPAIRING.has(r.type)) impaired.push(r);
    },
    finish(ctx) {
      return new OverlapReplay(ctx).run(kept, impaired, checker);
    },
  };
  return checker;
}

class OverlapReplay {
  private readonly graceMs: number;
  private readonly services = new Map<string, ServiceExpectation>();
  private readonly serviceOf = new Map<FrameworkId, ServiceExpectation>();
  private readonly agentHost = new Map<AgentId, NodeId>();
  private readonly hostAgents = new Map<NodeId, Set<AgentId>>();
  private readonly placements = new Map<TaskId, Set<AgentId>>();
  private readonly agentTasks = new Map<AgentId, Set<TaskId>>();
  private readonly suspended = new Map<AgentId, Set<TaskId>>();
  /** Agent hosts whose process is down (node.stopped, not started since). */
  private readonly downHosts = new Set<NodeId>();
  private readonly taskService = new Map<TaskId, ServiceExpectation>();
  private readonly serviceActive = new Map<string, Set<TaskId>>();
  private readonly windows = new Map<AgentId, Window>();
  private readonly overNow = new Set<string>();
  private readonly findings = new Findings();
  /** The seq of the record that last made each task active (what a finding points at). */
  private readonly activatedSeq = new Map<TaskId, number>();
  private peak = new Map<string, number>();
  private windowsSeen = 0;
  private readonly impairments = new Impairments();

  constructor(private readonly ctx: CheckContext) {
    this.graceMs = 2 * ctx.timing.allocationIntervalMs + killRetryMsOf(ctx.timing) + slackOf(ctx);
    for (const s of ctx.services) {
      this.services.set(s.name, s);
      this.serviceActive.set(s.name, new Set());
    }
  }

  run(records: readonly HistoryRecord[], impairments: readonly HistoryRecord[], checker: Checker): CheckResult {
    for (const r of impairments) this.impairments.observe(r);
    let instantMs: number | null = null;
    for (const r of records) {
      if (instantMs !== null && r.atMs !== instantMs) this.boundary(instantMs, r.atMs);
      instantMs = r.atMs;
      this.apply(r);
    }
    if (instantMs !== null) this.boundary(instantMs, Math.max(instantMs, this.ctx.endMs));
    if (this.findings.count > 0) return resultOf(checker, 'fail', `${this.findings.count} overlap(s): ${this.findings.text()}`, this.findings.list());
    const peaks = [...this.services.values()].map((s) => `${s.name} peaked at ${this.peak.get(s.name) ?? 0}/${s.instances}`);
    const windows = this.windowsSeen > 0 ? `; ${this.windowsSeen} unreachable window(s) allowed overlap` : '';
    return resultOf(checker, 'pass', `no task on two agents; ${peaks.join(', ') || 'no services'}${windows}`);
  }

  private apply(r: HistoryRecord): void {
    switch (r.type) {
      case 'framework.subscribed': {
        const service = this.services.get(r.name);
        if (service) this.serviceOf.set(r.frameworkId, service);
        return;
      }
      case 'agent.registered': {
        this.agentHost.set(r.agentId, r.host);
        const onHost = this.hostAgents.get(r.host) ?? new Set<AgentId>();
        // A new agent id on a host: the host rebooted, tasks of its older ids died with it.
        for (const old of onHost) this.suspended.delete(old);
        onHost.add(r.agentId);
        this.hostAgents.set(r.host, onHost);
        return;
      }
      case 'agent.reregistered': {
        this.agentHost.set(r.agentId, r.host);
        const window = this.windows.get(r.agentId);
        if (window && window.until === null) {
          window.reregistered = true;
          const judgedMs = this.impairments.judgedFrom(r.atMs, this.graceMs, null, this.ctx.endMs);
          // Back inside an impaired period: the master's (unreliable) re-send of the task's state may be
          // lost, and then the scheduler hears of it at its next periodic reconciliation after that period.
          window.until = judgedMs > r.atMs ? judgedMs + this.ctx.timing.reconcileIntervalMs : judgedMs;
        }
        // A process restart: the tasks survived and the agent reports them again. Not when the process is
        // down: a reregistration it sent before it died, held by a clog and released later, proves nothing.
        if (this.downHosts.has(r.host)) return;
        for (const taskId of this.suspended.get(r.agentId) ?? []) this.activate(taskId, r.agentId, r.atMs, r.seq);
        this.suspended.delete(r.agentId);
        return;
      }
      case 'agent.unreachable':
        this.windows.set(r.agentId, { since: r.atMs, until: null, reregistered: false });
        this.windowsSeen += 1;
        return;
      case 'agent.removed':
        this.windows.delete(r.agentId);
        this.suspended.delete(r.agentId);
        return;
      case 'node.started':
        if (r.role === 'agent') this.downHosts.delete(r.node);
        return;
      case 'status.delivered':
        // The scheduler was told the task is unreachable (a master after a failover answers from the registry,
        // where the previous master's mark may have landed without its agent.unreachable being emitted):
        // a replacement may overlap it, as after agent.unreachable.
        if (r.state !== 'TASK_UNREACHABLE' && r.state !== 'TASK_LOST') return;
        for (const agentId of this.placements.get(r.taskId) ?? []) this.openWindow(agentId, r.atMs);
        return;
      case 'node.stopped':
        if (r.role !== 'agent') return;
        this.downHosts.add(r.node);
        for (const agentId of this.hostAgents.get(r.node) ?? []) {
          const tasks = [...(this.agentTasks.get(agentId) ?? [])];
          if (tasks.length === 0) continue;
          this.suspended.set(agentId, new Set(tasks));
          for (const taskId of tasks) this.deactivate(taskId, agentId);
        }
        return;
      case 'task.status': {
        const service = this.serviceOf.get(r.frameworkId);
        if (service) this.taskService.set(r.taskId, service);
        if (ACTIVE_STATES.has(r.state)) this.activate(r.taskId, r.agentId, r.atMs, r.seq);
        else {
          this.deactivate(r.taskId, r.agentId);
          this.suspended.get(r.agentId)?.delete(r.taskId);
        }
        return;
      }
      default:
        return;
    }
  }

  private activate(taskId: TaskId, agentId: AgentId, atMs: number, seq: number): void {
    let placements = this.placements.get(taskId);
    if (!placements) this.placements.set(taskId, (placements = new Set()));
    if (placements.has(agentId)) return;
    const earlierSeq = this.activatedSeq.get(taskId);
    this.activatedSeq.set(taskId, seq);
    for (const other of placements) {
      if (!this.excused(other, atMs) && !this.excused(agentId, atMs)) {
        const seqs = earlierSeq === undefined ? [seq] : [earlierSeq, seq];
        this.findings.add(`${taskId} active on ${this.where(other)} and ${this.where(agentId)} at ${ms(atMs)}`, { atMs, seqs });
      }
    }
    placements.add(agentId);
    let onAgent = this.agentTasks.get(agentId);
    if (!onAgent) this.agentTasks.set(agentId, (onAgent = new Set()));
    onAgent.add(taskId);
    const service = this.taskService.get(taskId);
    if (service) {
      const active = this.serviceActive.get(service.name);
      active?.add(taskId);
      this.peak.set(service.name, Math.max(this.peak.get(service.name) ?? 0, active?.size ?? 0));
    }
  }

  private deactivate(taskId: TaskId, agentId: AgentId): void {
    const placements = this.placements.get(taskId);
    if (!placements?.delete(agentId)) return;
    this.agentTasks.get(agentId)?.delete(taskId);
    if (placements.size > 0) return;
    this.placements.delete(taskId);
    const service = this.taskService.get(taskId);
    if (service) this.serviceActive.get(service.name)?.delete(taskId);
  }

  /** Opens an unreachable window unless one is open (or in its grace) already. */
  private openWindow(agentId: AgentId, atMs: number): void {
    if (this.excused(agentId, atMs)) return;
    this.windows.set(agentId, { since: atMs, until: null, reregistered: false });
    this.windowsSeen += 1;
  }

  /** Whether an agent is in an unreachable window at `atMs` (open, or within the grace after it came back). */
  private excused(agentId: AgentId, atMs: number, closedAtEnd = false): boolean {
    const w = this.windows.get(agentId);
    if (!w) return false;
    if (w.until === null) return true;
    const end = w.until + this.graceMs;
    return closedAtEnd ? atMs <= end : atMs < end;
  }

  /**
   * The state after the records at `atMs` holds until `nextMs`. A service is over
   * its bound if it is over at `atMs`, or just before `nextMs` once graces expired.
   */
  private boundary(atMs: number, nextMs: number): void {
    for (const [name, active] of this.serviceActive) {
      const service = this.services.get(name);
      if (!service) continue;
      if (active.size <= service.instances) {
        this.overNow.delete(name);
        continue;
      }
      const overAt = this.unexcused(active, atMs, false) > service.instances;
      const overBefore = overAt || this.unexcused(active, nextMs, true) > service.instances;
      if (!overBefore) {
        this.overNow.delete(name);
        continue;
      }
      if (this.overNow.has(name)) continue;
      this.overNow.add(name);
      const overMs = overAt ? atMs : this.graceRanOut(active, atMs, nextMs, service.instances);
      const when = overAt ? `at ${ms(atMs)}` : `at ${ms(overMs)} (when the ${ms(this.graceMs)} grace after reregistration ran out)`;
      const tasks = [...active].map((t) => `${t}@${[...(this.placements.get(t) ?? [])].map((a) => this.where(a)).join('+')}`);
      // The records that made each of the tasks active, oldest first.
      const seqs = [...active].map((t) => this.activatedSeq.get(t)).filter((q): q is number => q !== undefined).sort((a, b) => a - b);
      this.findings.add(`${name} had ${active.size} active tasks ${when}, more than ${service.instances} outside unreachable windows (${tasks.slice(0, 6).join(', ')})`, { atMs: overMs, seqs });
    }
    for (const [agentId, w] of this.windows) if (w.until !== null && w.until + this.graceMs < atMs) this.windows.delete(agentId);
  }

  /** The first grace expiry in (atMs, nextMs] after which the service is over its bound. */
  private graceRanOut(active: ReadonlySet<TaskId>, atMs: number, nextMs: number, instances: number): number {
    const expiries: number[] = [];
    for (const w of this.windows.values()) {
      const end = w.until === null ? null : w.until + this.graceMs;
      if (end !== null && end > atMs && end <= nextMs) expiries.push(end);
    }
    expiries.sort((a, b) => a - b);
    return expiries.find((end) => this.unexcused(active, end, false) > instances) ?? nextMs;
  }

  private unexcused(active: ReadonlySet<TaskId>, atMs: number, closedAtEnd: boolean): number {
    let count = 0;
    for (const taskId of active) {
      let excused = false;
      for (const agentId of this.placements.get(taskId) ?? []) if (this.excused(agentId, atMs, closedAtEnd)) excused = true;
      if (!excused) count += 1;
    }
    return count;
  }

  private where(agentId: AgentId): string {
    const host = this.agentHost.get(agentId);
    return host ? `${host} (${agentId})` : agentId;
  }
}
