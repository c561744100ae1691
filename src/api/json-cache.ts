/**
 * Cached JSON text of the big, mostly unchanging parts of a state answer
 * (tasks, agents): a task's text is rebuilt only when the task changed, so a
 * `/master/state` or GET_STATE of 50,000 tasks is mostly string joins instead
 * of building and serialising 50,000 objects. The projection updates its views
 * in place, so the cache keys each view by what changes with it.
 */
import type { AgentView, TaskView } from '../core/state.js';

/** What a cached text was built from: the fields that change with the view (compared without building a key). */
interface Stamp {
  readonly a: unknown;
  readonly b: unknown;
  readonly c: unknown;
  readonly d: unknown;
  readonly e: unknown;
  readonly f: unknown;
  readonly g: unknown;
}

interface Entry extends Stamp {
  readonly json: string;
}

/** JSON text per view object, rebuilt when its stamp changes. */
class FragmentCache<T extends object> {
  private readonly entries = new WeakMap<T, Entry>();

  constructor(
    private readonly stamp: (item: T) => Stamp,
    private readonly same: (entry: Stamp, item: T) => boolean,
  ) {}

  get(item: T, build: (item: T) => unknown): string {
    const hit = this.entries.get(item);
    if (hit !== undefined && this.same(hit, item)) return hit.json;
    const json = JSON.stringify(build(item));
    this.entries.set(item, { ...this.stamp(item), json });
    return json;
  }
}

// A task view changes its time, state, agent, status lines and name in place.
const taskStamp = (t: TaskView): Stamp => ({ a: t.updatedAtMs, b: t.state, c: t.agentId, d: t.history.length, e: t.name, f: t.launchedAtMs, g: t.resources });
const sameTask = (s: Stamp, t: TaskView): boolean =>
  s.a === t.updatedAtMs && s.b === t.state && s.c === t.agentId && s.d === t.history.length && s.e === t.name && s.f === t.launchedAtMs && s.g === t.resources;
// An agent view gets new Resources objects when they change.
const agentStamp = (v: AgentView): Stamp => ({ a: v.state, b: v.unreachableSinceMs, c: v.registeredAtMs, d: v.resources, e: v.used, f: v.offered, g: v.host });
const sameAgent = (s: Stamp, v: AgentView): boolean =>
  s.a === v.state && s.b === v.unreachableSinceMs && s.c === v.registeredAtMs && s.d === v.resources && s.e === v.used && s.f === v.offered && s.g === v.host;

/** The caches a server keeps across answers, one per shape. */
export class StateJsonCache {
  /** v1 Task (operator API). */
  readonly v1Tasks = new FragmentCache<TaskView>(taskStamp, sameTask);
  /** v1 GetAgents.Agent. */
  readonly v1Agents = new FragmentCache<AgentView>(agentStamp, sameAgent);
  /** Legacy /master/state task. */
  readonly legacyTasks = new FragmentCache<TaskView>(taskStamp, sameTask);
  /** Legacy /master/state slave. */
  readonly legacyAgents = new FragmentCache<AgentView>(agentStamp, sameAgent);
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
