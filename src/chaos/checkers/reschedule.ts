/**
 * Liveness: every service task lost to an unreachable or removed agent is made
 * good within the reschedule bound, inactiveAfterMs + 2 x allocationIntervalMs +
 * slack, measured from the agent event: a new task of its service RUNNING, the
 * original back RUNNING, or the service back at its N RUNNING (nothing missing
 * any more). Reports the worst case.
 *
 * A loss not made good in time is excused when a replacement was launched
 * within the bound but was itself lost or ended before running (its agent
 * failed too, as under a swizzle-clog): the scheduler did its part, and that
 * second loss is judged on its own. A loss whose bound had not passed when the
 * run ended is inconclusive, not a failure.
 *
 * A loss judged from the end of an impaired period gets longer: what the
 * master told the scheduler in it may be lost for good (a one-way partition,
 * a lossy link), and then the scheduler learns only when the agent reregisters
 * and the master re-sends the task's state, or when it notices the master's
 * silence and resubscribes (and reconciles). An agent cut off that long has
 * given up on the master and retries on its registration backoff, so the bound
 * grows by one ping-timeout detection plus the longest registration backoff,
 * plus the scheduler's three silent heartbeat intervals.
 *
 * A host that rebooted while the leader had only recovered its agent (after a
 * failover, before the agent reregistered) is lost as of its new registration,
 * but the master cannot know that then: it matches a registration to a
 * registered agent only (Mesos: by address), and gives the recovered one up at
 * agentReregisterTimeoutMs after the failover. Such a loss is judged from then.
 */
import type { HistoryRecord } from '../../core/events.js';
import { detectionMs } from '../../core/timing.js';
import { Impairments } from './impairments.js';
import { ServiceModel, vacancyOfLoss, type Loss, type ResolutionKind } from './service-model.js';
import { Findings, ms, resultOf, slackOf, type Checker, type CheckContext, type CheckResult, type ServiceExpectation } from './types.js';

/** The reschedule bound of a service, in ms. */
export function rescheduleBoundMs(service: ServiceExpectation, ctx: CheckContext): number {
  return service.inactiveAfterMs + 2 * ctx.timing.allocationIntervalMs + slackOf(ctx);
}

function howText(how: ResolutionKind | null, by: string | null): string {
  if (how === 'returned') return 'came back';
  if (how === 'restored') return 'the service was back at its N RUNNING';
  return `replaced by ${by ?? '?'}`;
}

/** Builds the reschedule-bound checker. */
export function lostTasksReplaced(): Checker {
  const model = new ServiceModel();
  const impairments = new Impairments();
  const checker: Checker = {
    name: 'lost-tasks-replaced',
    kind: 'liveness',
    observe(r: HistoryRecord): void {
      model.observe(r);
      impairments.observe(r);
    },
    finish(ctx: CheckContext): CheckResult {
      const services = new Map(ctx.services.map((s) => [s.name, s]));
      const judged: Array<{ loss: Loss; service: ServiceExpectation }> = [];
      let disabled = 0;
      for (const loss of model.losses) {
        const service = services.get(model.serviceOf(loss.frameworkId) ?? '');
        if (!service) continue;
        if (!Number.isFinite(service.inactiveAfterMs)) disabled += 1;
        else judged.push({ loss, service });
      }
      const resolutions = model.matchReplacements(
        judged.map((j) => vacancyOfLoss(j.loss)),
        (name) => services.get(name)?.instances,
      );
      const late = new Findings();
      const excused = new Findings();
      const namedReplacements = new Set<string>();
      let pending = 0;
      let worstMs = -1;
      let worstText: string | null = null;
      for (const [i, res] of resolutions.entries()) {
        const j = judged[i];
        if (!j) continue;
        const plainBoundMs = rescheduleBoundMs(j.service, ctx);
        // A host that rebooted while the leader had only recovered its agent: the master learns at the reregister timeout.
        const knowableAtMs = j.loss.recoveredSinceMs === null ? j.loss.lostAtMs : Math.max(j.loss.lostAtMs, j.loss.recoveredSinceMs + ctx.timing.agentReregisterTimeoutMs);
        // Lost while messages were held or lost, with no leader, or with its framework disconnected: judged from the end of that.
        const fromMs = impairments.judgedFrom(knowableAtMs, plainBoundMs, j.loss.frameworkId, ctx.endMs);
        const reconnectMs = detectionMs(ctx.timing) + ctx.timing.registrationBackoffMaxMs + 3 * ctx.timing.heartbeatIntervalMs;
        const boundMs = fromMs > knowableAtMs ? plainBoundMs + reconnectMs : plainBoundMs;
        const deadlineMs = fromMs + boundMs;
        const judgedWhy = fromMs > knowableAtMs ? 'after an impaired period' : 'when the master timed out the agent it had only recovered';
        const what = `${j.loss.taskId} (${j.service.name}) lost on ${j.loss.agentId} at ${ms(j.loss.lostAtMs)}${fromMs > j.loss.lostAtMs ? ` (judged from ${ms(fromMs)}, ${judgedWhy})` : ''}`;
        const delayMs = res.resolvedAtMs === null ? null : Math.max(0, res.resolvedAtMs - fromMs);
        if (delayMs !== null && delayMs <= boundMs) {
          if (delayMs > worstMs) {
            worstMs = delayMs;
            worstText = `${what}, ${howText(res.how, res.by)} after ${ms(delayMs)} (bound ${ms(boundMs)})`;
          }
          continue;
        }
        // The scheduler did its part if a replacement was launched in time but was itself
        // lost or ended before running (its agent failed too): that loss is judged on its own.
        const tried = model.launchedButNeverRan(j.service.name, j.loss.lostAtMs, deadlineMs);
        if (tried.length > 0) {
          const named = tried.find((t) => !namedReplacements.has(t)) ?? tried[0] ?? '?';
          namedReplacements.add(named);
          excused.add(`${j.loss.taskId} (replacement ${named} launched in time, lost before running)`);
          continue;
        }
        if (delayMs !== null) late.add(`${what} ${howText(res.how, res.by)} after ${ms(delayMs)}, over the ${ms(boundMs)} bound`);
        else if (ctx.endMs >= deadlineMs) late.add(`${what} was never replaced (bound ${ms(boundMs)}, run ended at ${ms(ctx.endMs)})`);
        else pending += 1;
      }
      const notes = [
        excused.count > 0 ? `${excused.count} excused: ${excused.text()}` : '',
        disabled > 0 ? `${disabled} loss(es) of services with replacement disabled not judged` : '',
      ]
        .filter((n) => n !== '')
        .map((n) => `; ${n}`)
        .join('');
      if (late.count > 0) return resultOf(checker, 'fail', `${late.count} of ${judged.length} lost task(s) not replaced in time: ${late.text()}${notes}`);
      if (pending > 0) return resultOf(checker, 'inconclusive', `${pending} lost task(s) still unreplaced when the run ended before their bound${worstText ? `; worst so far ${worstText}` : ''}${notes}`);
      if (judged.length === 0) return resultOf(checker, 'pass', `no service task was lost to an agent${notes}`);
      if (worstText === null) return resultOf(checker, 'pass', `${judged.length} lost task(s), none judged late${notes}`);
      return resultOf(checker, 'pass', `${judged.length - excused.count} of ${judged.length} lost task(s) made good in time; worst: ${worstText}${notes}`);
    },
  };
  return checker;
}
