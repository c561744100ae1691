/**
 * Liveness: after the liveness phase began (everything healed), every service
 * ends with exactly its N tasks RUNNING (as the master reports them), and some
 * master leads. When not, the detail names why: no leader, the framework
 * disconnected or gone, no offers since the heal, tasks stuck in a state, or a
 * surplus left.
 */
import type { HistoryRecord } from '../../core/events.js';
import { ServiceModel } from './service-model.js';
import { Findings, ms, resultOf, type Checker, type CheckContext, type CheckResult, type ServiceExpectation } from './types.js';

/** Builds the convergence checker. */
export function servicesConverge(): Checker {
  const model = new ServiceModel();
  const checker: Checker = {
    name: 'services-converge',
    kind: 'liveness',
    observe(r: HistoryRecord): void {
      model.observe(r);
    },
    finish(ctx: CheckContext): CheckResult {
      const healedAtMs = ctx.livenessStartMs;
      if (healedAtMs === null) return resultOf(checker, 'pass', 'no liveness phase in this run: convergence not required');
      if (ctx.services.length === 0 && model.leader !== null) return resultOf(checker, 'pass', 'no services to converge; a master leads');
      const failures = new Findings();
      const converged: string[] = [];
      for (const service of ctx.services) {
        const verdict = judge(model, service, healedAtMs);
        if (verdict.ok) converged.push(verdict.text);
        else failures.add(verdict.text, { atMs: ctx.endMs, seqs: [] });
      }
      if (failures.count > 0) {
        const leader = model.leader === null ? ' (no leading master at the end)' : '';
        return resultOf(checker, 'fail', `${failures.count} service(s) did not converge${leader}: ${failures.text()}`, failures.list());
      }
      // Tasks can keep running without a master, but a cluster with no leader has not recovered.
      if (model.leader === null) return resultOf(checker, 'fail', `no leading master at the end (${converged.join(', ')})`);
      return resultOf(checker, 'pass', `all services converged after the heal at ${ms(healedAtMs)}: ${converged.join(', ')}`);
    },
  };
  return checker;
}

function judge(model: ServiceModel, service: ServiceExpectation, healedAtMs: number): { ok: boolean; text: string } {
  const frameworkIds = model.frameworksOf(service.name);
  if (frameworkIds.length === 0) return { ok: false, text: `${service.name}: its framework never subscribed` };
  let running = 0;
  let changedAtMs = healedAtMs;
  let lastOfferAtMs: number | null = null;
  const states = new Map<string, number>();
  const frameworkStates: string[] = [];
  for (const id of frameworkIds) {
    const fw = model.frameworks.get(id);
    if (!fw) continue;
    running += fw.running;
    changedAtMs = Math.max(changedAtMs, fw.runningChangedAtMs);
    if (fw.lastOfferAtMs !== null) lastOfferAtMs = Math.max(lastOfferAtMs ?? fw.lastOfferAtMs, fw.lastOfferAtMs);
    if (fw.state !== 'active') frameworkStates.push(`framework ${id} ${fw.state}`);
  }
  if (running === service.instances) {
    return { ok: true, text: `${service.name} ${running}/${service.instances} RUNNING at +${ms(changedAtMs - healedAtMs)}` };
  }
  const ids = new Set(frameworkIds);
  for (const task of model.tasks.values()) {
    if (!ids.has(task.frameworkId) || task.state === 'TASK_RUNNING') continue;
    if (task.state === 'TASK_STAGING' || task.state === 'TASK_STARTING' || task.state === 'TASK_KILLING' || task.state === 'TASK_UNREACHABLE' || task.state === 'TASK_LOST' || task.state === 'TASK_UNKNOWN') {
      states.set(task.state, (states.get(task.state) ?? 0) + 1);
    }
  }
  const reasons: string[] = [...frameworkStates];
  if (model.leader === null) reasons.push('no leading master');
  if (running < service.instances && (lastOfferAtMs === null || lastOfferAtMs < healedAtMs)) reasons.push('no offers since the heal');
  for (const [state, n] of states) reasons.push(`${n} ${state.replace('TASK_', '')}`);
  if (running > service.instances) reasons.push('the surplus was never killed');
  return { ok: false, text: `${service.name}: ${running} of ${service.instances} RUNNING at the end${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}` };
}
