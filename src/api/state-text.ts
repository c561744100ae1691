/**
 * The big answers as JSON built from cached parts (json-cache.ts): operator
 * GET_STATE / GET_TASKS / GET_AGENTS (and SUBSCRIBED, which carries a
 * GET_STATE) and the legacy `/master/state`. The server sends them as byte
 * chunks, most of them reused from the last answer (`*Chunks`); the `*Text`
 * forms are the same bytes as one string. Each equals JSON.stringify of its
 * object form (operator.ts, state-json.ts); the tests hold them to that.
 */
import type { FrameworkId } from '../core/ids.js';
import type { AgentView, TaskView } from '../core/state.js';
import { isTerminal } from '../core/task-state.js';
import { JsonChunks, openObject, type StateJsonCache } from './json-cache.js';
import { answerOperatorQuery, getFrameworks, type OperatorContext, type OperatorQuery } from './operator.js';
import { legacyAgentJson, legacyFrameworkJson, legacyOfferJson, legacyTaskJson, masterStateJson, type StateContext } from './state-json.js';
import { agentToV1, isListedAgent, taskToV1 } from './v1-objects.js';

/** get_tasks as chunks. */
export function getTasksChunks(ctx: OperatorContext, cache: StateJsonCache): JsonChunks {
  const { tasks, unreachable, completed } = cache.v1Lists;
  tasks.begin();
  unreachable.begin();
  completed.begin();
  for (const task of ctx.state.tasks.values()) {
    const list = task.state === 'TASK_UNREACHABLE' ? unreachable : isTerminal(task.state) ? completed : tasks;
    list.pushView(task, cache.v1Tasks, taskToV1);
  }
  return new JsonChunks()
    .text('{"tasks":')
    .append(tasks.end())
    .text(',"unreachable_tasks":')
    .append(unreachable.end())
    .text(',"completed_tasks":')
    .append(completed.end())
    .text('}');
}

/** get_agents as chunks. */
export function getAgentsChunks(ctx: OperatorContext, cache: StateJsonCache): JsonChunks {
  const list = cache.v1Lists.agents;
  list.begin();
  const build = (a: AgentView) => agentToV1(a, ctx.addresses);
  for (const agent of ctx.state.agents.values()) if (isListedAgent(agent)) list.pushView(agent, cache.v1Agents, build);
  return new JsonChunks().text('{"agents":').append(list.end()).text(',"recovered_agents":[]}');
}

/** get_state as chunks. */
export function getStateChunks(ctx: OperatorContext, cache: StateJsonCache): JsonChunks {
  return new JsonChunks()
    .text('{"get_tasks":')
    .add(getTasksChunks(ctx, cache))
    .text(`,"get_executors":{"executors":[]},"get_frameworks":${JSON.stringify(getFrameworks(ctx))},"get_agents":`)
    .add(getAgentsChunks(ctx, cache))
    .text('}');
}

/** An operator query's answer as chunks. */
export function answerOperatorQueryChunks(type: OperatorQuery, ctx: OperatorContext, cache: StateJsonCache): JsonChunks {
  switch (type) {
    case 'GET_STATE':
      return new JsonChunks().text('{"type":"GET_STATE","get_state":').add(getStateChunks(ctx, cache)).text('}');
    case 'GET_TASKS':
      return new JsonChunks().text('{"type":"GET_TASKS","get_tasks":').add(getTasksChunks(ctx, cache)).text('}');
    case 'GET_AGENTS':
      return new JsonChunks().text('{"type":"GET_AGENTS","get_agents":').add(getAgentsChunks(ctx, cache)).text('}');
    default:
      return new JsonChunks().text(JSON.stringify(answerOperatorQuery(type, ctx)));
  }
}

/** An operator query's answer as text. */
export function answerOperatorQueryText(type: OperatorQuery, ctx: OperatorContext, cache: StateJsonCache): string {
  return answerOperatorQueryChunks(type, ctx, cache).toString();
}

/** The operator SUBSCRIBED event as chunks. */
export function operatorSubscribedChunks(ctx: OperatorContext, cache: StateJsonCache, heartbeatIntervalMs: number): JsonChunks {
  return new JsonChunks()
    .text('{"type":"SUBSCRIBED","subscribed":{"get_state":')
    .add(getStateChunks(ctx, cache))
    .text(`,"heartbeat_interval_seconds":${JSON.stringify(heartbeatIntervalMs / 1000)}}}`);
}

/** The operator SUBSCRIBED event as text. */
export function operatorSubscribedText(ctx: OperatorContext, cache: StateJsonCache, heartbeatIntervalMs: number): string {
  return operatorSubscribedChunks(ctx, cache, heartbeatIntervalMs).toString();
}

/** `/master/state` as chunks. */
export function masterStateChunks(ctx: StateContext, cache: StateJsonCache): JsonChunks {
  const { state } = ctx;
  const top = masterStateJson({ ...ctx, collections: false });
  const leading = state.leader?.node === ctx.self;
  if (!leading) return new JsonChunks().text(JSON.stringify(top));
  const slaves = cache.legacySlaves;
  slaves.begin();
  const buildAgent = (a: AgentView) => legacyAgentJson(a, ctx.addresses);
  for (const agent of state.agents.values()) if (isListedAgent(agent)) slaves.pushView(agent, cache.legacyAgents, buildAgent);
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
  const lists = cache.legacyTaskLists;
  lists.beginAll();
  const frameworks: JsonChunks[] = [];
  const completed: JsonChunks[] = [];
  for (const f of state.frameworks.values()) {
    const live = lists.array(`${f.frameworkId}\nlive`);
    const unreachable = lists.array(`${f.frameworkId}\nunreachable`);
    const done = lists.array(`${f.frameworkId}\ndone`);
    for (const task of byFramework.get(f.frameworkId) ?? []) {
      const list = task.state === 'TASK_UNREACHABLE' ? unreachable : isTerminal(task.state) ? done : live;
      list.pushView(task, cache.legacyTasks, legacyTaskJson);
    }
    const text = new JsonChunks()
      .text(`${openObject(legacyFrameworkJson(f))}"tasks":`)
      .append(live.end())
      .text(',"unreachable_tasks":')
      .append(unreachable.end())
      .text(',"completed_tasks":')
      .append(done.end())
      .text(`,"offers":${JSON.stringify(offersOf.get(f.frameworkId) ?? [])},"executors":[]}`);
    (f.state === 'removed' ? completed : frameworks).push(text);
  }
  lists.endAll();
  const out = new JsonChunks().text(`${openObject(top)}"slaves":`).append(slaves.end()).text(',"frameworks":[');
  frameworks.forEach((f, i) => out.text(i === 0 ? '' : ',').add(f));
  out.text('],"completed_frameworks":[');
  completed.forEach((f, i) => out.text(i === 0 ? '' : ',').add(f));
  return out.text(']}');
}

/** `/master/state` as text. */
export function masterStateText(ctx: StateContext, cache: StateJsonCache): string {
  return masterStateChunks(ctx, cache).toString();
}
