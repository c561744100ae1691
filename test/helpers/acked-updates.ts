/**
 * "No acknowledged status update is lost": the check behind the failover
 * tests. A framework records every status update whose ACKNOWLEDGE the master
 * accepted (202); after the failover it reconciles every task through the new
 * leader. The new leader must agree with each task's latest acknowledged
 * state:
 *
 * - acknowledged RUNNING (and nothing later): the leader answers RUNNING, or,
 *   for a task the framework itself killed, KILLING or KILLED (the kill may
 *   have gone through after the acknowledgement). Anything else is a lost
 *   update: no answer, TASK_UNKNOWN/GONE/LOST (the leader never heard of the
 *   task), or STAGING/STARTING (it kept an older state than one acknowledged);
 * - acknowledged STAGING or STARTING: any later state (RUNNING or terminal),
 *   not "unknown": the leader knew of the task once the update was acknowledged;
 * - acknowledged terminal: never a live state again (STAGING, STARTING,
 *   RUNNING, KILLING: a resurrected task); "unknown" answers are what the
 *   master says of a task it forgot after acknowledging its end, as Mesos does.
 */

/** One update whose acknowledgement the master accepted. */
export interface AckedUpdate {
  readonly taskId: string;
  readonly agentId: string;
  readonly state: string;
}

/** A task on which the leader disagrees with what the framework acknowledged. */
export interface LostUpdate {
  readonly taskId: string;
  readonly acked: string;
  readonly answered: string | null;
  readonly problem: string;
}

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR']);
const LIVE = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);
const UNKNOWN = new Set(['TASK_UNKNOWN', 'TASK_GONE', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE_BY_OPERATOR']);
/** How far along a task is: a later acknowledgement never moves a task back. */
const RANK: Readonly<Record<string, number>> = { TASK_STAGING: 0, TASK_STARTING: 1, TASK_RUNNING: 2, TASK_KILLING: 3 };

function rankOf(state: string): number {
  return TERMINAL.has(state) ? 4 : (RANK[state] ?? -1);
}

/** Each task's latest acknowledged state (the most advanced one: acks of retried older updates do not count back). */
export function latestAcked(acked: readonly AckedUpdate[]): Map<string, AckedUpdate> {
  const out = new Map<string, AckedUpdate>();
  for (const update of acked) {
    const before = out.get(update.taskId);
    if (before === undefined || rankOf(update.state) >= rankOf(before.state)) out.set(update.taskId, update);
  }
  return out;
}

/** The tasks on which `answers` (the new leader's reconciliation replies by task id) lose an acknowledged update. */
export function lostUpdates(acked: readonly AckedUpdate[], answers: ReadonlyMap<string, string>, killedByFramework: ReadonlySet<string>): LostUpdate[] {
  const lost: LostUpdate[] = [];
  for (const [taskId, latest] of latestAcked(acked)) {
    const answered = answers.get(taskId) ?? null;
    const say = (problem: string): void => void lost.push({ taskId, acked: latest.state, answered, problem });
    if (answered === null) {
      if (!TERMINAL.has(latest.state)) say('the new leader gave no answer for a task acknowledged live');
      continue;
    }
    if (TERMINAL.has(latest.state)) {
      if (LIVE.has(answered)) say('a task acknowledged terminal is live again');
      continue;
    }
    if (latest.state === 'TASK_RUNNING') {
      const killed = killedByFramework.has(taskId) && (answered === 'TASK_KILLING' || answered === 'TASK_KILLED');
      if (answered !== 'TASK_RUNNING' && !killed) say(UNKNOWN.has(answered) ? 'the new leader does not know a task acknowledged RUNNING' : `the new leader holds ${answered} for a task acknowledged RUNNING`);
      continue;
    }
    // STAGING, STARTING or KILLING acknowledged: the task existed; later states are fine, unknown or earlier ones are not.
    if (UNKNOWN.has(answered) && !killedByFramework.has(taskId)) say(`the new leader does not know a task acknowledged ${latest.state}`);
    else if (rankOf(answered) < rankOf(latest.state)) say(`the new leader holds ${answered}, older than the acknowledged ${latest.state}`);
  }
  return lost;
}
