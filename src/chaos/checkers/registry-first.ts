/**
 * Safety: registry write first, then act. The master records each registry
 * commit it sees (registry.committed) before acting on it, so no agent may be
 * announced admitted (agent.registered), unreachable, removed, or reachable
 * again after being unreachable (agent.reregistered) without a commit of that
 * change for that agent since the last such announcement. An announcement
 * before its commit is a master that tells schedulers what a failover could
 * undo (Mesos writes the registry first for exactly that reason). Across an
 * election, what is unreachable is taken from the new leader's own acts: a
 * deposed leader's last write may commit without its answer ever arriving.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { AgentId } from '../../core/ids.js';
import { Findings, pointOf, ms, resultOf, type Checker, type CheckResult } from './types.js';

/** Builds the registry-write-first checker. */
export function registryWriteFirst(): Checker {
  const findings = new Findings();
  /** Committed, not yet announced changes: `<op> <agent id>` -> how many. */
  const unannounced = new Map<string, number>();
  const unreachable = new Set<AgentId>();
  let commits = 0;
  let announcements = 0;

  /** Uses up one commit of any of `ops` for the agent; false when there is none. */
  const consume = (agentId: AgentId, ops: readonly string[]): boolean => {
    for (const op of ops) {
      const key = `${op} ${agentId}`;
      const n = unannounced.get(key) ?? 0;
      if (n === 0) continue;
      if (n === 1) unannounced.delete(key);
      else unannounced.set(key, n - 1);
      return true;
    }
    return false;
  };

  const require = (r: HistoryRecord, agentId: AgentId, what: string, ops: readonly string[]): void => {
    announcements += 1;
    if (!consume(agentId, ops)) findings.add(`${agentId} announced ${what} at ${ms(r.atMs)} with no registry commit of ${ops.join(' or ')} before it`, pointOf(r));
  };

  const checker: Checker = {
    name: 'registry-write-first',
    kind: 'safety',
    observe(r: HistoryRecord): void {
      switch (r.type) {
        case 'registry.committed':
          commits += 1;
          for (const op of r.ops) unannounced.set(op, (unannounced.get(op) ?? 0) + 1);
          return;
        case 'agent.registered':
          require(r, r.agentId, 'admitted', ['admit']);
          unreachable.delete(r.agentId);
          return;
        case 'agent.unreachable':
          require(r, r.agentId, 'unreachable', ['mark_unreachable']);
          unreachable.add(r.agentId);
          return;
        case 'agent.removed':
          require(r, r.agentId, `removed (${r.reason})`, ['remove', 'mark_gone']);
          unreachable.delete(r.agentId);
          return;
        case 'master.elected':
          // A write the deposed leader sent may have committed unseen (its answer lost with the leader), so
          // the new leader's registry may already hold an agent as reachable: its reregistration then needs
          // no write of its own. Announcements from here on are judged against this leader's commits.
          unreachable.clear();
          return;
        case 'agent.reregistered':
          // Only a comeback from unreachable changes the registry (a reconnect or a recovered agent does not).
          if (unreachable.delete(r.agentId)) require(r, r.agentId, 'reachable again', ['mark_reachable', 'admit']);
          return;
        default:
          return;
      }
    },
    finish(): CheckResult {
      if (findings.count > 0) return resultOf(checker, 'fail', `${findings.count} act(s) before the registry commit: ${findings.text()}`, findings.list());
      return resultOf(checker, 'pass', `${announcements} agent announcement(s), each after its registry commit (${commits} commit(s))`);
    },
  };
  return checker;
}
