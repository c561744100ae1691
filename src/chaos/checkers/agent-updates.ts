/**
 * Liveness: every status update an agent produced reaches its framework after
 * the heal. The agent keeps each update (task.status, with a uuid) until it is
 * acknowledged and resends it after it reregisters, so once everything is
 * healed each one must show up at the scheduler (status.delivered with its
 * uuid). A dropped last or terminal update is otherwise invisible: nothing
 * later in its stream is delivered out of order, it simply never arrives.
 *
 * Excused: updates of a framework that was removed (the agent drops them with
 * the framework), of an agent whose host rebooted (a new agent id registered on
 * the host: the checkpoint went with it), and of a host still down at the end.
 * Judged: updates produced before the heal, once the run went on long enough
 * for them to arrive: two retry intervals + slack after both their agent
 * reregistered after the heal (it resends every pending update then) and
 * their framework subscribed with the current leader (a master forwards
 * nothing to a framework that has not; a framework that subscribes later gets
 * the update at the agent's next retry, whose interval has doubled since it
 * reregistered); an agent that never reregistered
 * resends on its own backoff, so its updates are due only once the longest
 * retry interval (+ slack) has passed since the heal. A run with no liveness
 * phase is not judged.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { AgentId, FrameworkId, NodeId, StatusUuid, TaskId } from '../../core/ids.js';
import { Findings, ms, pointOf, resultOf, slackOf, type Checker, type CheckContext, type CheckResult } from './types.js';

interface Produced {
  readonly taskId: TaskId;
  readonly frameworkId: FrameworkId;
  readonly agentId: AgentId;
  readonly host: NodeId;
  readonly state: string;
  readonly atMs: number;
  /** The task.status record that produced it (where replay puts the finding). */
  readonly seq: number;
}

/** Builds the every-agent-update-delivered checker. */
export function agentUpdatesDelivered(): Checker {
  const pending = new Map<StatusUuid, Produced>();
  const removedFrameworks = new Set<FrameworkId>();
  const downHosts = new Set<NodeId>();
  /** When each agent id last registered or reregistered. */
  const registeredAtMs = new Map<AgentId, number>();
  /** When each framework last subscribed or resubscribed. */
  const subscribedAtMs = new Map<FrameworkId, number>();
  let electedAtMs = 0;
  let produced = 0;
  let excused = 0;

  const excuse = (keep: (p: Produced) => boolean): void => {
    for (const [uuid, p] of pending) {
      if (keep(p)) continue;
      pending.delete(uuid);
      excused += 1;
    }
  };

  const checker: Checker = {
    name: 'agent-updates-delivered',
    kind: 'liveness',
    observe(r: HistoryRecord): void {
      switch (r.type) {
        case 'task.status':
          if (pending.has(r.uuid)) return;
          produced += 1;
          pending.set(r.uuid, { taskId: r.taskId, frameworkId: r.frameworkId, agentId: r.agentId, host: r.host, state: r.state, atMs: r.atMs, seq: r.seq });
          return;
        case 'status.delivered':
          if (r.uuid !== null) pending.delete(r.uuid);
          return;
        case 'framework.removed':
          removedFrameworks.add(r.frameworkId);
          excuse((p) => p.frameworkId !== r.frameworkId);
          return;
        case 'agent.registered':
          registeredAtMs.set(r.agentId, r.atMs);
          // A new agent id on the host: it rebooted, and its checkpointed updates are gone.
          excuse((p) => p.host !== r.host || p.agentId === r.agentId);
          return;
        case 'agent.reregistered':
          registeredAtMs.set(r.agentId, r.atMs);
          return;
        case 'framework.subscribed':
        case 'framework.resubscribed':
          subscribedAtMs.set(r.frameworkId, r.atMs);
          return;
        case 'master.elected':
          electedAtMs = r.atMs;
          return;
        case 'node.stopped':
          if (r.role === 'agent') downHosts.add(r.node);
          return;
        case 'node.started':
          downHosts.delete(r.node);
          return;
        default:
          return;
      }
    },
    finish(ctx: CheckContext): CheckResult {
      if (ctx.livenessStartMs === null) return resultOf(checker, 'pass', `${produced} agent update(s); no liveness phase, so delivery after a heal is not judged`);
      const resendMs = 2 * ctx.timing.statusUpdateRetryMinMs + slackOf(ctx);
      const healMs = ctx.livenessStartMs;
      const due = (p: Produced): boolean => {
        const registered = registeredAtMs.get(p.agentId) ?? -1;
        const subscribed = subscribedAtMs.get(p.frameworkId) ?? -1;
        if (registered < healMs) return ctx.endMs - healMs >= ctx.timing.statusUpdateRetryMaxMs + slackOf(ctx);
        if (registered < electedAtMs || subscribed < electedAtMs) return false;
        if (subscribed <= registered) return ctx.endMs - registered >= resendMs;
        // The framework came later: the agent resends on its backoff, which doubled since it reregistered.
        const { statusUpdateRetryMinMs: minMs, statusUpdateRetryMaxMs: maxMs } = ctx.timing;
        const nextRetryMs = Math.min(registered + 2 * Math.max(subscribed - registered, minMs), subscribed + maxMs);
        return ctx.endMs - nextRetryMs >= resendMs;
      };
      const findings = new Findings();
      let waived = 0;
      for (const [uuid, p] of pending) {
        if (removedFrameworks.has(p.frameworkId) || downHosts.has(p.host)) continue;
        if (p.atMs > healMs) continue;
        if (!due(p)) {
          waived += 1;
          continue;
        }
        findings.add(`${p.taskId}: ${p.state} (${uuid}) produced on ${p.host} at ${ms(p.atMs)} never reached its framework`, pointOf(p));
      }
      if (findings.count > 0) return resultOf(checker, 'fail', `${findings.count} agent update(s) never delivered after the heal at ${ms(healMs)}: ${findings.text()}`, findings.list());
      const notJudged = waived > 0 ? `; ${waived} possibly still in flight when the run ended ${ms(ctx.endMs - healMs)} after the heal, not judged` : '';
      return resultOf(checker, 'pass', `${produced - pending.size - excused} of ${produced} agent update(s) delivered, ${excused} excused (framework removed or host rebooted)${notJudged}`);
    },
  };
  return checker;
}
