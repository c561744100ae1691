/**
 * Safety: no master acts at an epoch older than the newest elected one, and no
 * scheduler or agent accepts a message from an older epoch than one it already
 * accepted.
 *
 * Master actions are the events a leader emits about agents, frameworks, tasks
 * and offer filters, each stamped with its epoch: once a newer leader is
 * elected, a deposed one that keeps registering agents or launching tasks shows
 * up here (today it is caught only if it happens to break something else).
 * Registry commits are left out: a write the coordinator accepted from the
 * leader of its day may be answered after the next election.
 *
 * A scheduler's acceptance is `status.delivered`, stamped with the epoch of the
 * master message it took: per framework, epochs of accepted messages never go
 * back (PROTOCOL.md, "Epochs and fencing"). An agent's is `agent.accepted` (a
 * launch, kill or shutdown it acts on): per agent process, never back either. A
 * restarted process has forgotten the epochs it saw, so its count starts again.
 */
import type { HistoryRecord } from '../../core/events.js';
import type { FrameworkId, NodeId } from '../../core/ids.js';
import { Findings, pointOf, ms, resultOf, type Checker, type CheckResult } from './types.js';

/** The master-emitted events that are acts of a leader, with their epoch. */
function masterActEpoch(r: HistoryRecord): number | null {
  switch (r.type) {
    case 'agent.registered':
    case 'agent.reregistered':
    case 'agent.unreachable':
    case 'agent.removed':
    case 'agent.disconnected':
    case 'framework.subscribed':
    case 'framework.resubscribed':
    case 'framework.disconnected':
    case 'framework.removed':
    case 'framework.suppressed':
    case 'framework.revived':
    case 'task.launched':
      return r.epoch;
    default:
      return null;
  }
}

/** Builds the no-stale-epoch checker. */
export function noStaleEpoch(): Checker {
  const findings = new Findings();
  const accepted = new Map<FrameworkId, number>();
  /** Per agent host, the newest epoch of a command its current process accepted. */
  const agentAccepted = new Map<NodeId, number>();
  let agentCommands = 0;
  let newest = 0;
  let acts = 0;
  let deliveries = 0;

  const checker: Checker = {
    name: 'no-stale-epoch',
    kind: 'safety',
    observe(r: HistoryRecord): void {
      if (r.type === 'master.elected') {
        newest = Math.max(newest, r.epoch);
        return;
      }
      if (r.type === 'node.started' || r.type === 'node.stopped') {
        agentAccepted.delete(r.node);
        return;
      }
      if (r.type === 'agent.accepted') {
        agentCommands += 1;
        const seen = agentAccepted.get(r.host) ?? 0;
        if (r.epoch < seen) findings.add(`agent ${r.host} accepted ${r.command} from epoch ${r.epoch} at ${ms(r.atMs)}, after a command of epoch ${seen}`, pointOf(r));
        else agentAccepted.set(r.host, r.epoch);
        return;
      }
      if (r.type === 'status.delivered') {
        deliveries += 1;
        const seen = accepted.get(r.frameworkId) ?? 0;
        if (r.epoch < seen) findings.add(`framework ${r.frameworkId} accepted ${r.taskId} ${r.state} from epoch ${r.epoch} at ${ms(r.atMs)}, after a message of epoch ${seen}`, pointOf(r));
        else accepted.set(r.frameworkId, r.epoch);
        return;
      }
      const epoch = masterActEpoch(r);
      if (epoch === null) return;
      acts += 1;
      if (epoch < newest) findings.add(`a master of epoch ${epoch} acted (${r.type}) at ${ms(r.atMs)} after epoch ${newest} was elected`, pointOf(r));
    },
    finish(): CheckResult {
      if (findings.count > 0) return resultOf(checker, 'fail', `${findings.count} stale-epoch act(s): ${findings.text()}`, findings.list());
      return resultOf(checker, 'pass', `${acts} master act(s) at the newest epoch (${newest}); ${deliveries} scheduler deliveries and ${agentCommands} agent command(s) never went back an epoch`);
    },
  };
  return checker;
}
