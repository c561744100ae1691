/**
 * Watches each injected fault for the signs that it bit, streaming. For every
 * `fault.injected` a watch is opened with the signals that would prove it, chosen
 * to be observable and honest:
 *
 * - kill-agent, pause-agent: an agent.unreachable or agent.removed of that host
 *   (or a new leader finding its agent unreachable in the registry, marked by a
 *   leader deposed before it saw the commit: master.recovered lists it);
 * - restart-agent: the host's agent (re)registers;
 * - kill-master, restart-master, failover of the leader: a master.elected with a
 *   higher epoch, or a lone master (epoch always 1) elected again after it was
 *   stopped (pause-master of the leader: that, or agents and schedulers coming
 *   back to it); a standby killed, restarted or paused has nothing to prove and
 *   passes with a note;
 * - partition: an agent cut off from the leader marked unreachable, a scheduler
 *   cut off disconnected, or a new leader;
 * - link: a message.dropped (loss) and/or a message.duplicated (duplicate) on the
 *   link; delay and jitter leave no trace in the history, so they pass with a note;
 * - clog, swizzle-clog: a clogged host's agent marked unreachable, disconnected or
 *   reregistering, a clogged scheduler disconnected or resubscribing, a new leader
 *   when a master was clogged, or a status update delivered twice (its retry
 *   overtook the held copy) on a path through a clogged node;
 * - kill-task: that task TASK_KILLED or TASK_FAILED;
 * - crash-framework: its framework disconnected (or removed);
 * - restart-framework: its framework subscribes again;
 * - heal, unclog, resume-*: they restore; nothing to prove.
 *
 * Signals count from the injection until the watch is superseded (the same fault
 * again on the same target, or its undo: heal, unclog, resume). A watch also
 * notes its detection time (agent lost, new leader, framework disconnected, task
 * ended) and the agents it cost, for the recovery metrics.
 */
import { assertNever } from '../../core/errors.js';
import type { HistoryRecord } from '../../core/events.js';
import { describeFault, type Fault } from '../../core/faults.js';
import type { AgentId, FrameworkId, NodeId, StatusUuid, TaskId } from '../../core/ids.js';

/** One signal a fault must show. */
interface Need {
  readonly label: string;
  /** A description of the matching record, or null. */
  readonly match: (r: HistoryRecord) => string | null;
  metAtMs: number | null;
  metBy: string | null;
}

/** What became of one injected fault. */
export interface FaultWatch {
  readonly fault: Fault;
  readonly description: string;
  readonly atMs: number;
  /** Passes without proof, for this reason (restorative faults, standbys, delay-only links). */
  readonly exempt: string | null;
  /** A caveat shown with the outcome (e.g. the target was not the leader). */
  readonly note: string | null;
  readonly needs: readonly Need[];
  /** When the cluster noticed (agent lost, new leader, framework disconnected, task ended); null if never or not applicable. */
  detectedAtMs: number | null;
  detectedBy: string | null;
  /** Agents marked unreachable or removed because of this fault. */
  readonly lostAgents: Set<AgentId>;
  /** kill-task: when the task ended. */
  taskEnd: { readonly taskId: TaskId; readonly frameworkId: FrameworkId; readonly atMs: number } | null;
  open: boolean;
}

/** Whether every need of a watch was met. */
export function bit(watch: FaultWatch): boolean {
  return watch.needs.length > 0 && watch.needs.every((n) => n.metAtMs !== null);
}

/** When the last need was met (the moment the fault was proven to bite). */
export function bitAtMs(watch: FaultWatch): number | null {
  let at: number | null = null;
  for (const n of watch.needs) {
    if (n.metAtMs === null) return null;
    at = Math.max(at ?? n.metAtMs, n.metAtMs);
  }
  return at;
}

type Predicate = (r: HistoryRecord) => string | null;
/** The agents a record says were lost (marked unreachable or removed). */
type LossCollector = (r: HistoryRecord) => readonly AgentId[];

/** The streaming watcher. */
export class FaultWatcher {
  readonly watches: FaultWatch[] = [];
  private leader: { node: NodeId; epoch: number } | null = null;
  private newestEpoch = 0;
  private readonly masters = new Set<NodeId>();
  private readonly frameworkNode = new Map<FrameworkId, NodeId>();
  private readonly agentHost = new Map<AgentId, NodeId>();
  /** Only kept once a clog was injected: duplicates prove retries. */
  private tracking = false;
  private readonly taskHost = new Map<TaskId, NodeId>();
  private readonly delivered = new Set<StatusUuid>();
  private readonly detectors = new Map<FaultWatch, Predicate>();
  private readonly lossCollectors = new Map<FaultWatch, LossCollector>();
  /** Agents the history last showed unreachable or removed (a new leader's registry re-listing them is no news). */
  private readonly lostNow = new Set<AgentId>();

  /** Folds one record. */
  observe(r: HistoryRecord): void {
    for (const watch of this.watches) if (watch.open) this.test(watch, r);
    this.learn(r);
    if (r.type === 'fault.injected') this.open(r.fault, r.atMs);
  }

  private test(watch: FaultWatch, r: HistoryRecord): void {
    for (const need of watch.needs) {
      if (need.metAtMs !== null) continue;
      const by = need.match(r);
      if (by !== null) {
        need.metAtMs = r.atMs;
        need.metBy = by;
      }
    }
    if (watch.detectedAtMs === null) {
      const by = this.detectors.get(watch)?.(r) ?? null;
      if (by !== null) {
        watch.detectedAtMs = r.atMs;
        watch.detectedBy = by;
      }
    }
    for (const agentId of this.lossCollectors.get(watch)?.(r) ?? []) watch.lostAgents.add(agentId);
    if (watch.fault.kind === 'kill-task' && watch.taskEnd === null && r.type === 'task.updated' && r.taskId === watch.fault.taskId && ended(r.state)) {
      watch.taskEnd = { taskId: r.taskId, frameworkId: r.frameworkId, atMs: r.atMs };
    }
  }

  private learn(r: HistoryRecord): void {
    switch (r.type) {
      case 'cluster.started':
        for (const m of r.masters) this.masters.add(m);
        return;
      case 'node.started':
        if (r.role === 'master') this.masters.add(r.node);
        return;
      case 'master.elected':
        this.leader = { node: r.node, epoch: r.epoch };
        this.masters.add(r.node);
        this.newestEpoch = Math.max(this.newestEpoch, r.epoch);
        return;
      case 'master.deposed':
      case 'node.stopped':
        if (this.leader?.node === r.node) this.leader = null;
        return;
      case 'framework.subscribed':
      case 'framework.resubscribed':
        this.frameworkNode.set(r.frameworkId, r.node);
        return;
      case 'agent.registered':
      case 'agent.reregistered':
        this.agentHost.set(r.agentId, r.host);
        this.lostNow.delete(r.agentId);
        return;
      case 'agent.unreachable':
      case 'agent.removed':
        this.lostNow.add(r.agentId);
        return;
      case 'master.recovered':
        for (const agentId of r.unreachableAgentIds) this.lostNow.add(agentId);
        return;
      case 'task.launched':
        if (this.tracking) {
          const host = this.agentHost.get(r.agentId);
          if (host) this.taskHost.set(r.taskId, host);
        }
        return;
      case 'task.status':
        if (this.tracking) this.taskHost.set(r.taskId, r.host);
        return;
      case 'status.delivered':
        if (this.tracking && r.uuid !== null) this.delivered.add(r.uuid);
        return;
      default:
        return;
    }
  }

  private open(fault: Fault, atMs: number): void {
    for (const watch of this.watches) if (watch.open && supersedes(fault, watch.fault)) watch.open = false;
    const plan = this.plan(fault);
    const watch: FaultWatch = {
      fault,
      description: describeFault(fault),
      atMs,
      exempt: plan.exempt ?? null,
      note: plan.note ?? null,
      needs: (plan.needs ?? []).map(([label, match]) => ({ label, match, metAtMs: null, metBy: null })),
      detectedAtMs: null,
      detectedBy: null,
      lostAgents: new Set(),
      taskEnd: null,
      open: true,
    };
    if (plan.detect) this.detectors.set(watch, plan.detect);
    if (plan.losses) this.lossCollectors.set(watch, plan.losses);
    this.watches.push(watch);
  }

  /** The signals for one fault, given the cluster as it is at injection. */
  /**
   * The agents a record says were lost, among `wanted`: the agent of an agent.unreachable or
   * agent.removed, or those a new leader's registry holds as unreachable that the history still
   * showed reachable (their marking was never announced: its leader was deposed first).
   */
  private agentsLost(r: HistoryRecord, wanted: (agentId: AgentId, host: NodeId) => boolean): readonly AgentId[] {
    if (r.type === 'agent.unreachable' || r.type === 'agent.removed') return wanted(r.agentId, r.host) ? [r.agentId] : [];
    if (r.type !== 'master.recovered') return [];
    return r.unreachableAgentIds.filter((agentId) => {
      const host = this.agentHost.get(agentId);
      return host !== undefined && !this.lostNow.has(agentId) && wanted(agentId, host);
    });
  }

  /** A predicate over agentsLost: describes the first loss. */
  private lossText(r: HistoryRecord, lost: readonly AgentId[]): string | null {
    const agentId = lost[0];
    if (agentId === undefined) return null;
    const host = this.agentHost.get(agentId) ?? '?';
    return r.type === 'master.recovered' ? `${r.node} recovered ${agentId} on ${host} as unreachable (epoch ${r.epoch})` : `${r.type} ${agentId} on ${host}`;
  }

  private plan(fault: Fault): { needs?: Array<[string, Predicate]>; detect?: Predicate; losses?: LossCollector; exempt?: string; note?: string } {
    const epochAt = this.newestEpoch;
    const leaderAt = this.leader?.node ?? null;
    // A higher epoch, or (a lone master, whose epoch is always 1) a master elected again after it was stopped.
    const stoppedSince = new Set<NodeId>();
    const newLeader: Predicate = (r) => {
      if (r.type === 'node.stopped' && r.role === 'master') stoppedSince.add(r.node);
      if (r.type !== 'master.elected') return null;
      if (r.epoch > epochAt) return `${r.node} elected with epoch ${r.epoch}`;
      return stoppedSince.has(r.node) ? `${r.node} elected again after a restart (epoch ${r.epoch})` : null;
    };
    const agentsLostOn = (hosts: (host: NodeId) => boolean): LossCollector => (r) => this.agentsLost(r, (_, host) => hosts(host));
    const agentLost = (hosts: (host: NodeId) => boolean): Predicate => (r) => this.lossText(r, agentsLostOn(hosts)(r));
    const frameworkDown = (nodes: (node: NodeId) => boolean): Predicate => (r) =>
      (r.type === 'framework.disconnected' || r.type === 'framework.removed') && nodes(this.frameworkNode.get(r.frameworkId) ?? '')
        ? `${r.type} ${r.frameworkId}`
        : null;
    const restores = 'it restores the cluster: nothing to prove';
    switch (fault.kind) {
      case 'kill-agent':
      case 'pause-agent': {
        // Only the agent it hit: after a restart the host registers a new agent id, whose later
        // losses belong to later faults (the same host failing again is not this fault).
        const hit = new Set([...this.agentHost].filter(([, host]) => host === fault.node).map(([agentId]) => agentId));
        const losses: LossCollector = (r) => this.agentsLost(r, (agentId, host) => host === fault.node && (hit.size === 0 || hit.has(agentId)));
        const lost: Predicate = (r) => this.lossText(r, losses(r));
        return { needs: [['agent marked unreachable or removed', lost]], detect: lost, losses };
      }
      case 'restart-agent':
        return {
          needs: [
            ['agent registered again', (r) => ((r.type === 'agent.registered' || r.type === 'agent.reregistered') && r.host === fault.node ? `${r.type} ${r.agentId}` : null)],
          ],
        };
      case 'resume-agent':
      case 'resume-master':
      case 'heal':
      case 'unclog':
        return { exempt: restores };
      case 'kill-master':
      case 'restart-master':
        if (leaderAt !== fault.node) return { exempt: `${fault.node} was not the leader: no failover to prove` };
        return { needs: [['a new leader (a higher epoch, or the lone master back)', newLeader]], detect: newLeader };
      case 'failover':
        return {
          needs: [['a new leader (a higher epoch, or the lone master back)', newLeader]],
          detect: newLeader,
          ...(leaderAt !== fault.node ? { note: `${fault.node} was not the leader (${leaderAt ?? 'none'})` } : {}),
        };
      case 'pause-master': {
        if (leaderAt !== fault.node) return { exempt: `${fault.node} was not the leader: a paused standby changes nothing` };
        const cameBack: Predicate = (r) => newLeader(r) ?? (r.type === 'agent.reregistered' || r.type === 'framework.resubscribed' ? `${r.type} after the pause` : null);
        return { needs: [['a new leader, or agents and schedulers reconnecting', cameBack]], detect: newLeader };
      }
      case 'partition': {
        const groupOf = new Map<NodeId, number>();
        fault.groups.forEach((g, i) => g.forEach((n) => groupOf.set(n, i)));
        const leaderGroup = leaderAt === null ? undefined : groupOf.get(leaderAt);
        // Cut off = on another side than the leader; with no leader known, any node named.
        const cut = (n: NodeId): boolean => groupOf.has(n) && (leaderAt === null || (leaderGroup !== undefined && groupOf.get(n) !== leaderGroup));
        const signal: Predicate = (r) => agentLost(cut)(r) ?? frameworkDown(cut)(r) ?? newLeader(r);
        return { needs: [['a node cut off from the leader noticed', signal]], detect: signal, losses: agentsLostOn((h) => groupOf.has(h)) };
      }
      case 'link': {
        const onLink = (from: NodeId, to: NodeId): boolean => {
          const ends = (a: NodeId, b: NodeId): boolean => (fault.from.length === 0 || fault.from.includes(a)) && (fault.to.length === 0 || fault.to.includes(b));
          return ends(from, to) || (!fault.oneWay && ends(to, from));
        };
        const needs: Array<[string, Predicate]> = [];
        if ((fault.spec.loss ?? 0) > 0) needs.push(['a message lost', (r) => (r.type === 'message.dropped' && onLink(r.from, r.to) ? `${r.message} ${r.from}->${r.to} dropped` : null)]);
        if ((fault.spec.duplicate ?? 0) > 0) {
          needs.push(['a message duplicated', (r) => (r.type === 'message.duplicated' && onLink(r.from, r.to) ? `${r.message} ${r.from}->${r.to} duplicated` : null)]);
        }
        if (needs.length === 0) return { exempt: 'delay and jitter leave no trace in the history' };
        return { needs };
      }
      case 'clog':
      case 'swizzle-clog': {
        this.tracking = true;
        const clogged = new Set(fault.nodes);
        const masterClogged = fault.nodes.some((n) => this.masters.has(n));
        const isClogged = (n: NodeId): boolean => clogged.has(n);
        const detect: Predicate = (r) => agentLost(isClogged)(r) ?? frameworkDown(isClogged)(r) ?? (masterClogged ? newLeader(r) : null);
        const signal: Predicate = (r) => {
          const seen = detect(r);
          if (seen !== null) return seen;
          if ((r.type === 'agent.reregistered' || r.type === 'agent.disconnected') && clogged.has(r.host)) return `${r.type} ${r.agentId}`;
          if (r.type === 'framework.resubscribed' && clogged.has(r.node)) return `${r.type} ${r.frameworkId}`;
          if (r.type === 'status.delivered' && r.uuid !== null && this.delivered.has(r.uuid)) {
            const path = [this.taskHost.get(r.taskId), this.frameworkNode.get(r.frameworkId), this.leader?.node];
            if (path.some((n) => n !== undefined && clogged.has(n))) return `update ${r.uuid} of ${r.taskId} delivered twice (a retry)`;
          }
          return null;
        };
        return { needs: [['a clogged node noticed, or a retried update', signal]], detect, losses: agentsLostOn(isClogged) };
      }
      case 'kill-task': {
        const endOf: Predicate = (r) =>
          (r.type === 'task.updated' || r.type === 'task.status') && r.taskId === fault.taskId && ended(r.state) ? `${r.taskId} ${r.state}` : null;
        return { needs: [['the task killed', endOf]], detect: endOf };
      }
      case 'crash-framework': {
        const down = frameworkDown((n) => n === fault.node);
        return { needs: [['its framework disconnected', down]], detect: down };
      }
      case 'restart-framework':
        return {
          needs: [
            ['its framework subscribed again', (r) => ((r.type === 'framework.subscribed' || r.type === 'framework.resubscribed') && r.node === fault.node ? `${r.type} ${r.frameworkId}` : null)],
          ],
        };
      default:
        return assertNever(fault, 'fault');
    }
  }
}

function ended(state: string): boolean {
  return state === 'TASK_KILLED' || state === 'TASK_FAILED';
}

/** Whether injecting `next` ends the watch of an earlier `prev` (same fault on the same target again, or its undo). */
function supersedes(next: Fault, prev: Fault): boolean {
  switch (prev.kind) {
    case 'kill-agent':
      return next.kind === 'kill-agent' && next.node === prev.node;
    case 'pause-agent':
      return (next.kind === 'pause-agent' || next.kind === 'resume-agent' || next.kind === 'kill-agent') && next.node === prev.node;
    case 'pause-master':
      return (next.kind === 'pause-master' || next.kind === 'resume-master') && next.node === prev.node;
    case 'partition':
      // Partitions add up (the network keeps every one until a heal): a second one leaves the first in force.
      return next.kind === 'heal';
    case 'link':
      return next.kind === 'heal' || (next.kind === 'link' && sameNodes(next.from, prev.from) && sameNodes(next.to, prev.to));
    case 'clog':
    case 'swizzle-clog':
      return next.kind === 'heal' || ((next.kind === 'unclog' || next.kind === 'clog' || next.kind === 'swizzle-clog') && next.nodes.some((n) => prev.nodes.includes(n)));
    case 'kill-task':
      return next.kind === 'kill-task' && next.taskId === prev.taskId;
    case 'crash-framework':
    case 'restart-framework':
    case 'restart-agent':
    case 'kill-master':
    case 'restart-master':
    case 'failover':
      return next.kind === prev.kind && next.node === prev.node;
    case 'resume-agent':
    case 'resume-master':
    case 'heal':
    case 'unclog':
      return false;
    default:
      return assertNever(prev, 'fault');
  }
}

function sameNodes(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  return a.length === b.length && a.every((n) => b.includes(n));
}
