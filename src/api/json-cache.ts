/**
 * Cached JSON text of the big, mostly unchanging parts of a state answer
 * (tasks, agents): a task's text is rebuilt only when the task changed, so a
 * `/master/state` or GET_STATE of 50,000 tasks is mostly string joins instead
 * of building and serialising 50,000 objects. The projection updates its views
 * in place, so the cache keys each view by what changes with it.
 */
import type { AgentView, TaskView } from '../core/state.js';

interface Entry {
  readonly key: string;
  readonly json: string;
}

/** JSON text per view object, rebuilt when its key changes. */
class FragmentCache<T extends object> {
  private readonly entries = new WeakMap<T, Entry>();

  get(item: T, key: string, build: (item: T) => unknown): string {
    const hit = this.entries.get(item);
    if (hit !== undefined && hit.key === key) return hit.json;
    const json = JSON.stringify(build(item));
    this.entries.set(item, { key, json });
    return json;
  }
}

/** What changes with a task view (it is updated in place). */
export function taskKey(task: TaskView): string {
  return `${task.updatedAtMs}|${task.state}|${task.agentId}|${task.history.length}|${task.name}`;
}

const agentIds = new WeakMap<object, number>();
let nextIdentity = 1;
/** A number per object identity (the projection gives an agent new Resources objects when they change). */
function identity(o: object): number {
  let id = agentIds.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    agentIds.set(o, id);
  }
  return id;
}

/** What changes with an agent view. */
export function agentKey(agent: AgentView): string {
  return `${agent.state}|${agent.unreachableSinceMs}|${agent.registeredAtMs}|${identity(agent.resources)}|${identity(agent.used)}|${identity(agent.offered)}|${agent.host}`;
}

/** The caches a server keeps across answers, one per shape. */
export class StateJsonCache {
  /** v1 Task (operator API). */
  readonly v1Tasks = new FragmentCache<TaskView>();
  /** v1 GetAgents.Agent. */
  readonly v1Agents = new FragmentCache<AgentView>();
  /** Legacy /master/state task. */
  readonly legacyTasks = new FragmentCache<TaskView>();
  /** Legacy /master/state slave. */
  readonly legacyAgents = new FragmentCache<AgentView>();
}

/** `JSON.stringify(object)` with extra members appended as raw JSON text (`{"a":1}` + `,"tasks":[...]`). */
export function withRawMembers(object: Record<string, unknown>, members: ReadonlyArray<readonly [string, string]>): string {
  const head = JSON.stringify(object);
  if (members.length === 0) return head;
  const parts = members.map(([name, json]) => `${JSON.stringify(name)}:${json}`).join(',');
  return head === '{}' ? `{${parts}}` : `${head.slice(0, -1)},${parts}}`;
}

/** A JSON array of raw texts. */
export function rawArray(items: readonly string[]): string {
  return `[${items.join(',')}]`;
}
