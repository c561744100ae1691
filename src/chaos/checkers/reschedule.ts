/**
 * Liveness: every service task lost to an unreachable or removed agent is made
 * good within the reschedule bound: a new task of its service RUNNING (or the
 * original back RUNNING) within inactiveAfterMs + 2 x allocationIntervalMs +
 * slack, measured from the agent event. Reports the worst case. A loss whose
 * bound had not passed when the run ended is inconclusive, not a failure.
 */
import type { HistoryRecord } from '../../core/events.js';
import { ServiceModel, vacancyOfLoss, type Loss } from './service-model.js';
import { Findings, resultOf, slackOf, type Checker, type CheckContext, type CheckResult, type ServiceExpectation } from './types.js';

/** The reschedule bound of a service, in ms. */
export function rescheduleBoundMs(service: ServiceExpectation, ctx: CheckContext): number {
  return service.inactiveAfterMs + 2 * ctx.timing.allocationIntervalMs + slackOf(ctx);
}

/** Builds the reschedule-bound checker. */
export function lostTasksReplaced(): Checker {
  const model = new ServiceModel();
  const checker: Checker = {
    name: 'lost-tasks-replaced',
    kind: 'liveness',
    observe(r: HistoryRecord): void {
      model.observe(r);
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
      const resolutions = model.matchReplacements(judged.map((j) => vacancyOfLoss(j.loss)));
      const late = new Findings();
      let pending = 0;
      let worstMs = -1;
      let worstText: string | null = null;
      for (const [i, res] of resolutions.entries()) {
        const j = judged[i];
        if (!j) continue;
        const boundMs = rescheduleBoundMs(j.service, ctx);
        const what = `${j.loss.taskId} (${j.service.name}) lost on ${j.loss.agentId} at ${j.loss.lostAtMs} ms`;
        if (res.resolvedAtMs === null) {
          if (ctx.endMs - j.loss.lostAtMs >= boundMs) late.add(`${what} was never replaced (bound ${boundMs} ms, run ended at ${ctx.endMs} ms)`);
          else pending += 1;
          continue;
        }
        const delayMs = res.resolvedAtMs - j.loss.lostAtMs;
        const how = res.by === j.loss.taskId ? 'came back' : `replaced by ${res.by ?? '?'}`;
        if (delayMs > boundMs) late.add(`${what} ${how} after ${delayMs} ms, over the ${boundMs} ms bound`);
        if (delayMs > worstMs) {
          worstMs = delayMs;
          worstText = `${what}, ${how} after ${delayMs} ms (bound ${boundMs} ms)`;
        }
      }
      const disabledNote = disabled > 0 ? `; ${disabled} loss(es) of services with replacement disabled not judged` : '';
      if (late.count > 0) return resultOf(checker, 'fail', `${late.count} of ${judged.length} lost task(s) not replaced in time: ${late.text()}`);
      if (pending > 0) return resultOf(checker, 'inconclusive', `${pending} lost task(s) still unreplaced when the run ended before their bound${worstText ? `; worst so far ${worstText}` : ''}${disabledNote}`);
      if (judged.length === 0) return resultOf(checker, 'pass', `no service task was lost to an agent${disabledNote}`);
      return resultOf(checker, 'pass', `${judged.length} lost task(s) replaced in time; worst: ${worstText ?? '?'}${disabledNote}`);
    },
  };
  return checker;
}
