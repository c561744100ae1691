/**
 * Shared stories and helpers for the checker tests. The reference story is
 * Marathon's TaskUnreachableIntegrationTest, on the fast profile
 * (inactiveAfter 0, allocation 1 s, so the reschedule bound is 3 s with the
 * default 1 s slack): a service of 2, one agent isolated, a replacement, the
 * heal, the original back and the surplus killed.
 */
import type { Checker, CheckContext, CheckResult, ServiceExpectation } from '../../../src/chaos/checkers/index.js';
import type { HistoryRecord } from '../../../src/core/events.js';
import { FAST_TIMING } from '../../../src/core/timing.js';
import { story, type Story } from '../../core/projection/story.js';

/** A check context on the fast profile; `web` with 2 instances unless told. */
export function ctxOf(options: { services?: Array<Partial<ServiceExpectation> & { name: string }>; livenessStartMs?: number | null; endMs?: number } = {}): CheckContext {
  const services = (options.services ?? [{ name: 'web', instances: 2 }]).map((s) => ({
    name: s.name,
    instances: s.instances ?? 2,
    inactiveAfterMs: s.inactiveAfterMs ?? FAST_TIMING.inactiveAfterMs,
    partitionAware: s.partitionAware ?? true,
  }));
  return { timing: FAST_TIMING, services, livenessStartMs: options.livenessStartMs ?? null, endMs: options.endMs ?? 20_000 };
}

/** Runs one checker over records. */
export function check(checker: Checker, records: readonly HistoryRecord[], ctx: CheckContext = ctxOf()): CheckResult {
  for (const r of records) checker.observe(r);
  return checker.finish(ctx);
}

/** web.1 on agent-1 and web.2 on agent-2, both RUNNING by 1,020 ms. */
export function webOfTwo(): Story {
  return story().start().subscribe('web').at(1_000).launch('web', 'web.1', 'agent-1').launch('web', 'web.2', 'agent-2').after(20).run('web.1', 'web.2');
}

/** Everything before the heal: agent-1 isolated at 2 s, unreachable at 5 s, web.3 RUNNING on agent-3 at 5.6 s. */
export function isolatedAndReplaced(): Story {
  const s = webOfTwo();
  s.at(2_000).fault({ kind: 'partition', groups: [['agent-1'], ['master-1', 'agent-2', 'agent-3', 'scheduler-web']], oneWay: false });
  s.at(5_000).unreachable('agent-1');
  s.at(5_400).launch('web', 'web.3', 'agent-3').at(5_600).run('web.3');
  return s;
}

/** The whole reference story: healed at 8 s, agent-1 back at 8.2 s, the surplus web.3 killed at 8.3 s. */
export function referenceStory(): Story {
  const s = isolatedAndReplaced();
  s.at(8_000).fault({ kind: 'heal' });
  s.at(8_200).reregister('agent-1');
  s.at(8_300).status('web.3', 'TASK_KILLED');
  return s.at(20_000);
}

/** The context of the reference story: liveness from the heal, end at 20 s. */
export function referenceCtx(): CheckContext {
  return ctxOf({ livenessStartMs: 8_000, endMs: 20_000 });
}
