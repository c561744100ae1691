/**
 * The big answers as JSON text built from cached fragments (json-cache.ts):
 * operator GET_STATE / GET_TASKS / GET_AGENTS (and SUBSCRIBED, which carries
 * a GET_STATE) and the legacy `/master/state`. Each equals JSON.stringify of
 * its object form (operator.ts, state-json.ts); the tests hold them to that.
 */
import type { FrameworkId } from '../core/ids.js';
import type { TaskView } from '../core/state.js';
import { isTerminal } from '../core/task-state.js';
import { rawArray, withRawMembers, type StateJsonCache } from './json-cache.js';
import { answerOperatorQuery, getFrameworks, type OperatorContext, type OperatorQuery } from './operator.js';
import { legacyAgentJson, legacyFrameworkJson, legacyOfferJson, legacyTaskJson, masterStateJson, type StateContext } from './state-json.js';
import { agentToV1, isListedAgent, taskToV1 } from './v1-objects.js';

/** get_tasks as text. */
export function getTasksText(ctx: OperatorContext, cache: StateJsonCache): string {
  const tasks: string[] = [];
  const unreachable: string[] = [];
  const completed: string[] = [];
  for (const task of ctx.state.tasks.values()) {
    const json = cache.v1Tasks.get(task, taskToV1);
    if (task.state === 'TASK_UNREACHABLE') unreachable.push(json);
    else if (isTerminal(task.state)) completed.push(json);
    else tasks.push(json);
  }
  return `{"tasks":${rawArray(tasks)},"unreachable_tasks":${rawArray(unreachable)},"completed_tasks":${rawArray(completed)}}`;
}

/** get_agents as text. */
export function getAgentsText(ctx: OperatorContext, cache: StateJsonCache): string {
  const agents: string[] = [];
  const build = (a: Parameters<typeof agentToV1>[0]) => agentToV1(a, ctx.addresses);
  for (const agent of ctx.state.agents.values()) if (isListedAgent(agent)) agents.push(cache.v1Agents.get(agent, build));
  return `{"agents":${rawArray(agents)},"recovered_agents":[]}`;
}

/** get_state as text. */
export function getStateText(ctx: OperatorContext, cache: StateJsonCache): string {
  return `{"get_tasks":${getTasksText(ctx, cache)},"get_executors":{"executors":[]},"get_frameworks":${JSON.stringify(getFrameworks(ctx))},"get_agents":${getAgentsText(ctx, cache)}}`;
}

/** An operator query's answer as text. */
export function answerOperatorQueryText(type: OperatorQuery, ctx: OperatorContext, cache: StateJsonCache): string {
  switch (type) {
    case 'GET_STATE':
      return `{"type":"GET_STATE","get_state":${getStateText(ctx, cache)}}`;
    case 'GET_TASKS':
      return `{"type":"GET_TASKS","get_tasks":${getTasksText(ctx, cache)}}`;
    case 'GET_AGENTS':
      return `{"type":"GET_AGENTS","get_agents":${getAgentsText(ctx, cache)}}`;
    default:
      return JSON.stringify(answerOperatorQuery(type, ctx));
  }
}

/** The operator SUBSCRIBED event as text. */
export function operatorSubscribedText(ctx: OperatorContext, cache: StateJsonCache, heartbeatIntervalMs: number): string {
  return `{"type":"SUBSCRIBED","subscribed":{"get_state":${getStateText(ctx, cache)},"heartbeat_interval_seconds":${JSON.stringify(heartbeatIntervalMs / 1000)}}}`;
}

/** `/master/state` as text. */
export function masterStateText(ctx: StateContext, cache: StateJsonCache): string {
  const { state } = ctx;
  const top = masterStateJson({ ...ctx, collections: false });
  const leading = state.leader?.node === ctx.self;
  if (!leading) return JSON.stringify(top);
  const slaves: string[] = [];
  const buildAgent = (a: Parameters<typeof legacyAgentJson>[0]) => legacyAgentJson(a, ctx.addresses);
  for (const agent of state.agents.values()) if (isListedAgent(agent)) slaves.push(cache.legacyAgents.get(agent, buildAgent));
  const byFramework = new Map<FrameworkId, TaskView[]>();
  for (const task of state.tasks.values()) {
    const list = byFramework.get(task.frameworkId);
    if (list) list.push(task);
    else byFramework.set(task.frameworkId, [task]);
  }
  const offersOf = new Map<FrameworkId, Record<string, unknown>[]>();
  for (const offer of state.offers.values()) {
    const list = offersOf.get(offer.frameworkId) ?? [];
    list.push(legacyOfferJson(offer));
    offersOf.set(offer.frameworkId, list);
  }
  const frameworks: string[] = [];
  const completed: string[] = [];
  for (const f of state.frameworks.values()) {
    const live: string[] = [];
    const unreachable: string[] = [];
    const done: string[] = [];
    for (const task of byFramework.get(f.frameworkId) ?? []) {
      const json = cache.legacyTasks.get(task, legacyTaskJson);
      if (task.state === 'TASK_UNREACHABLE') unreachable.push(json);
      else if (isTerminal(task.state)) done.push(json);
      else live.push(json);
    }
    const base = legacyFrameworkJson(f);
    const text = withRawMembers(base, [
      ['tasks', rawArray(live)],
      ['unreachable_tasks', rawArray(unreachable)],
      ['completed_tasks', rawArray(done)],
      ['offers', JSON.stringify(offersOf.get(f.frameworkId) ?? [])],
      ['executors', '[]'],
    ]);
    (f.state === 'removed' ? completed : frameworks).push(text);
  }
  return withRawMembers(top, [
    ['slaves', rawArray(slaves)],
    ['frameworks', rawArray(frameworks)],
    ['completed_frameworks', rawArray(completed)],
  ]);
}

