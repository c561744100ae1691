/**
 * Safety: offers never oversubscribe an agent. For every agent, the resources of
 * its outstanding offers plus those of its non-terminal tasks must fit in what it
 * registered with, scalars and ports (no port held twice). Checked at the end of
 * each instant, so the order of events within one handler (an accept's
 * offer.accepted and its task.launched) does not matter. Offers on an agent the
 * master does not hold as registered are a violation too.
 *
 * A master that took over knows only the tasks an agent reports when it
 * reregisters (each gets a task.updated with REASON_AGENT_REREGISTERED in that
 * instant); a task launched under an older leader that the agent does not
 * report (its launch was lost in flight) is forgotten, and holds nothing more.
 */
import { isTerminal } from '../../core/task-state.js';
import { formatResources, type PortRange, type Resources } from '../../core/resources.js';
import type { HistoryRecord } from '../../core/events.js';
import type { AgentId, OfferId, TaskId } from '../../core/ids.js';
import { Findings, pointOf, ms, resultOf, type Checker, type CheckResult } from './types.js';

interface AgentLedger {
  total: Resources;
  reachable: boolean;
  /** `o:<offerId>` or `t:<taskId>` to what it holds. */
  readonly holders: Map<string, Resources>;
}

/** Builds the oversubscription checker. */
export function offersNeverOversubscribe(): Checker {
  const agents = new Map<AgentId, AgentLedger>();
  const offerAgent = new Map<OfferId, AgentId>();
  const taskAgent = new Map<TaskId, AgentId>();
  /** The epoch in which each task was launched or last re-reported. */
  const taskEpoch = new Map<TaskId, number>();
  /** Tasks an agent must re-report to its new leader within the current instant. */
  const unconfirmed = new Set<TaskId>();
  const dirty = new Set<AgentId>();
  const findings = new Findings();
  let instantMs = -1;
  let epoch: number | null = null;
  let checks = 0;

  const release = (key: string, agentId: AgentId | undefined): void => {
    if (agentId === undefined) return;
    if (agents.get(agentId)?.holders.delete(key)) dirty.add(agentId);
  };

  const flush = (): void => {
    for (const taskId of unconfirmed) {
      release(`t:${taskId}`, taskAgent.get(taskId));
      taskAgent.delete(taskId);
    }
    unconfirmed.clear();
    for (const agentId of dirty) {
      const ledger = agents.get(agentId);
      if (!ledger) continue;
      checks += 1;
      const problem = overcommit(ledger);
      if (problem !== null) findings.add(`${agentId} at ${ms(instantMs)}: ${problem}`, { atMs: instantMs, seqs: [] });
    }
    dirty.clear();
  };

  const checker: Checker = {
    name: 'offers-never-oversubscribe',
    kind: 'safety',
    observe(r: HistoryRecord): void {
      if (r.atMs !== instantMs) {
        flush();
        instantMs = r.atMs;
      }
      switch (r.type) {
        case 'agent.registered':
        case 'agent.reregistered': {
          const ledger = agents.get(r.agentId);
          if (ledger) {
            ledger.total = r.resources;
            ledger.reachable = true;
          } else agents.set(r.agentId, { total: r.resources, reachable: true, holders: new Map() });
          dirty.add(r.agentId);
          if (r.type === 'agent.reregistered') {
            for (const [taskId, agentId] of taskAgent) {
              if (agentId === r.agentId && (taskEpoch.get(taskId) ?? r.epoch) < r.epoch) unconfirmed.add(taskId);
            }
          }
          return;
        }
        case 'agent.unreachable':
        case 'agent.disconnected': {
          const ledger = agents.get(r.agentId);
          if (ledger) ledger.reachable = false;
          return;
        }
        case 'agent.removed':
          agents.delete(r.agentId);
          dirty.delete(r.agentId);
          return;
        case 'master.elected':
          // Offers never survive a change of leader: the new master starts with none.
          if (epoch !== null && r.epoch !== epoch) {
            for (const [offerId, agentId] of offerAgent) release(`o:${offerId}`, agentId);
            offerAgent.clear();
          }
          epoch = r.epoch;
          return;
        case 'offer.created': {
          const ledger = agents.get(r.agentId);
          if (!ledger || !ledger.reachable) {
            findings.add(`offer ${r.offerId} at ${ms(r.atMs)} is on ${r.agentId}, which is not registered`, pointOf(r));
            return;
          }
          ledger.holders.set(`o:${r.offerId}`, r.resources);
          offerAgent.set(r.offerId, r.agentId);
          dirty.add(r.agentId);
          return;
        }
        case 'offer.accepted':
        case 'offer.declined':
        case 'offer.rescinded':
          release(`o:${r.offerId}`, offerAgent.get(r.offerId));
          offerAgent.delete(r.offerId);
          return;
        case 'task.launched': {
          release(`t:${r.taskId}`, taskAgent.get(r.taskId));
          const ledger = agents.get(r.agentId);
          if (!ledger) return;
          ledger.holders.set(`t:${r.taskId}`, r.resources);
          taskAgent.set(r.taskId, r.agentId);
          if (epoch !== null) taskEpoch.set(r.taskId, epoch);
          dirty.add(r.agentId);
          return;
        }
        case 'task.updated':
          if (unconfirmed.delete(r.taskId) && epoch !== null) taskEpoch.set(r.taskId, epoch);
          if (isTerminal(r.state)) {
            release(`t:${r.taskId}`, taskAgent.get(r.taskId));
            taskAgent.delete(r.taskId);
          }
          return;
        default:
          return;
      }
    },
    finish(): CheckResult {
      flush();
      if (findings.count > 0) return resultOf(checker, 'fail', `${findings.count} oversubscription(s): ${findings.text()}`, findings.list());
      return resultOf(checker, 'pass', `offers and tasks fit their agents at all ${checks} checked instants`);
    },
  };
  return checker;
}

/** What is wrong with an agent's ledger, or null when everything fits. */
function overcommit(ledger: AgentLedger): string | null {
  let cpus = 0;
  let mem = 0;
  let disk = 0;
  let gpus = 0;
  const ports: PortRange[] = [];
  for (const held of ledger.holders.values()) {
    // Thousandths as integers: the sum of many 0.1 cpus must not drift past the total.
    cpus += Math.round(held.cpus * 1000);
    mem += Math.round(held.mem * 1000);
    disk += Math.round(held.disk * 1000);
    gpus += Math.round(held.gpus * 1000);
    for (const range of held.ports) ports.push(range);
  }
  const t = ledger.total;
  const over: string[] = [];
  if (cpus > Math.round(t.cpus * 1000)) over.push(`cpus ${cpus / 1000} > ${t.cpus}`);
  if (mem > Math.round(t.mem * 1000)) over.push(`mem ${mem / 1000} > ${t.mem}`);
  if (disk > Math.round(t.disk * 1000)) over.push(`disk ${disk / 1000} > ${t.disk}`);
  if (gpus > Math.round(t.gpus * 1000)) over.push(`gpus ${gpus / 1000} > ${t.gpus}`);
  const portProblem = checkPorts(ports, t.ports);
  if (portProblem !== null) over.push(portProblem);
  if (over.length === 0) return null;
  return `${ledger.holders.size} offers and tasks hold more than its ${formatResources(t)} (${over.join(', ')})`;
}

function checkPorts(held: PortRange[], total: readonly PortRange[]): string | null {
  if (held.length === 0) return null;
  held.sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < held.length; i += 1) {
    const prev = held[i - 1];
    const next = held[i];
    if (prev && next && next.begin <= prev.end) return `port ${next.begin} held twice`;
  }
  for (const range of held) {
    if (!total.some((o) => o.begin <= range.begin && range.end <= o.end)) return `ports ${range.begin}-${range.end} not on the agent`;
  }
  return null;
}
