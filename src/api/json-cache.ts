/**
 * Cached JSON of the big, mostly unchanging parts of a state answer (tasks,
 * agents), kept as UTF-8 bytes so an answer of 50,000 tasks is a list of
 * byte arrays that were mostly encoded for an earlier answer:
 *
 * - a view's JSON text is rebuilt only when a field it is built from changed
 *   (the projection updates its views in place, so each entry keeps the
 *   fields it was built from and compares them);
 * - a list (the live tasks, the agents, one framework's completed tasks) is
 *   cut into segments of about SEGMENT_ITEMS items; each segment's bytes are
 *   reused while it holds the very same texts in the same order, else
 *   encoded again. Where a segment ends is decided by its last item's text
 *   (a hash), not by its position, so a task that leaves a list or joins it
 *   changes one or two segments, not every segment after it.
 *
 * A reused segment is one whose every item text is identical (`===`) to the
 * last build's, so it can never hold stale content: staleness could only
 * come from a view whose changed fields are not compared below, and the
 * tests build every answer both ways after every kind of change.
 *
 * Pure: bytes are Uint8Arrays from TextEncoder; no sockets.
 */
import type { AgentView, TaskView } from '../core/state.js';

const encoder = new TextEncoder();

/** Items per segment on average: a segment ends after an item whose text hashes to 0 mod this. */
const SEGMENT_ITEMS = 128;
/** A segment never grows past this (the rare run of items without a cut). */
const MAX_SEGMENT_ITEMS = 1_024;

/** Whether a list segment ends after this text: FNV-1a over its last 64 chars (where ids and times differ). */
function endsSegment(json: string): boolean {
  let h = 0x811c9dc5;
  for (let i = Math.max(0, json.length - 64); i < json.length; i += 1) h = Math.imul(h ^ json.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SEGMENT_ITEMS === 0;
}

/** A view's JSON text and whether a list segment ends after it. */
export interface TextEntry {
  readonly json: string;
  readonly cut: boolean;
}

/** The texts of one shape of view: an entry per view, and whether an entry still matches its view. */
export interface ViewTexts<T> {
  get(view: T, build: (view: T) => unknown): TextEntry;
  fresh(entry: TextEntry, view: T): boolean;
}

/** A view's text and the fields it was built from. */
interface TaskEntry {
  updatedAtMs: number;
  state: string;
  agentId: string;
  /** The last status line (a new object per line, so a shifted full history is seen). */
  last: unknown;
  lines: number;
  name: string;
  launchedAtMs: number;
  resources: unknown;
  json: string;
  cut: boolean;
}

interface AgentEntry {
  state: string;
  unreachableSinceMs: number | null;
  registeredAtMs: number;
  resources: unknown;
  used: unknown;
  offered: unknown;
  host: string;
  attributes: unknown;
  json: string;
  cut: boolean;
}

/** One shape's texts of task views. */
export class TaskTexts implements ViewTexts<TaskView> {
  private readonly entries = new WeakMap<TaskView, TaskEntry>();

  /** The cached entry of a task, rebuilt with `build` if the task changed. */
  get(t: TaskView, build: (task: TaskView) => unknown): TextEntry {
    const e = this.entries.get(t);
    if (e !== undefined && this.fresh(e, t)) return e;
    const last = t.history[t.history.length - 1];
    const json = JSON.stringify(build(t));
    const fresh: TaskEntry = { updatedAtMs: t.updatedAtMs, state: t.state, agentId: t.agentId, last, lines: t.history.length, name: t.name, launchedAtMs: t.launchedAtMs, resources: t.resources, json, cut: endsSegment(json) };
    this.entries.set(t, fresh);
    return fresh;
  }

  /** Whether an entry of this cache was built from the task as it is now. */
  fresh(entry: TextEntry, t: TaskView): boolean {
    const e = entry as TaskEntry;
    return (
      e.updatedAtMs === t.updatedAtMs &&
      e.state === t.state &&
      e.last === t.history[t.history.length - 1] &&
      e.lines === t.history.length &&
      e.agentId === t.agentId &&
      e.resources === t.resources &&
      e.name === t.name &&
      e.launchedAtMs === t.launchedAtMs
    );
  }
}

/** One shape's texts of agent views (agents get new Resources and attributes objects when those change). */
export class AgentTexts implements ViewTexts<AgentView> {
  private readonly entries = new WeakMap<AgentView, AgentEntry>();

  /** The cached entry of an agent, rebuilt with `build` if the agent changed. */
  get(v: AgentView, build: (agent: AgentView) => unknown): TextEntry {
    const e = this.entries.get(v);
    if (e !== undefined && this.fresh(e, v)) return e;
    const json = JSON.stringify(build(v));
    const fresh: AgentEntry = { state: v.state, unreachableSinceMs: v.unreachableSinceMs, registeredAtMs: v.registeredAtMs, resources: v.resources, used: v.used, offered: v.offered, host: v.host, attributes: v.attributes, json, cut: endsSegment(json) };
    this.entries.set(v, fresh);
    return fresh;
  }

  /** Whether an entry of this cache was built from the agent as it is now. */
  fresh(entry: TextEntry, v: AgentView): boolean {
    const e = entry as AgentEntry;
    return (
      e.state === v.state &&
      e.unreachableSinceMs === v.unreachableSinceMs &&
      e.registeredAtMs === v.registeredAtMs &&
      e.resources === v.resources &&
      e.used === v.used &&
      e.offered === v.offered &&
      e.host === v.host &&
      e.attributes === v.attributes
    );
  }
}

/** An encoded segment: its item texts and their bytes joined with commas. */
interface Segment {
  readonly items: object[];
  readonly entries: TextEntry[];
  readonly bytes: Uint8Array;
}

const OPEN = encoder.encode('[');
const CLOSE = encoder.encode(']');
const COMMA = encoder.encode(',');
const EMPTY = encoder.encode('[]');

/**
 * A JSON array of item texts as byte chunks, segment by segment, reusing the
 * last build's segments that hold the same texts. Segments are found again
 * by their first item (a view object). `begin`, `push` each item, `end`.
 */
export class SegmentedArray {
  private last = new Map<object, Segment>();
  private next = new Map<object, Segment>();
  private items: object[] = [];
  private entries: TextEntry[] = [];
  private out: Uint8Array[] = [];
  /** The last build's segment that began with this segment's first item, walked in step (views found without a lookup). */
  private walked: Segment | null = null;

  begin(): void {
    this.next = new Map();
    this.out = [];
    this.items = [];
    this.entries = [];
    this.walked = null;
  }

  /** Pushes a view, its entry taken from the segment walked in step when it still matches, else from `texts`. */
  pushView<T extends object>(view: T, texts: ViewTexts<T>, build: (view: T) => unknown): void {
    const j = this.items.length;
    if (j === 0) this.walked = this.last.get(view) ?? null;
    const walked = this.walked;
    const known = walked !== null && walked.items[j] === view ? (walked.entries[j] as TextEntry) : null;
    this.push(view, known !== null && texts.fresh(known, view) ? known : texts.get(view, build));
  }

  push(item: object, entry: TextEntry): void {
    this.items.push(item);
    this.entries.push(entry);
    if (entry.cut || this.items.length >= MAX_SEGMENT_ITEMS) this.flush();
  }

  /** The array's chunks (`[`, segments with commas between, `]`). */
  end(): Uint8Array[] {
    this.flush();
    this.last = this.next;
    const out = this.out;
    this.out = [];
    if (out.length === 0) return [EMPTY];
    return [OPEN, ...out, CLOSE];
  }

  private flush(): void {
    const { items, entries } = this;
    const first = items[0];
    if (first === undefined) return;
    const old = this.last.get(first);
    let segment: Segment;
    if (old !== undefined && sameTexts(old.entries, entries)) {
      segment = old;
      items.length = 0; // the old segment keeps its own arrays
      entries.length = 0;
    } else {
      segment = { items, entries, bytes: encoder.encode(entries.map((e) => e.json).join(',')) };
      this.items = [];
      this.entries = [];
    }
    this.next.set(first, segment);
    if (this.out.length > 0) this.out.push(COMMA);
    this.out.push(segment.bytes);
    this.walked = null;
  }
}

/** Whether two segments hold the very same texts (the same strings, in order): only then are the old bytes reused. */
function sameTexts(a: readonly TextEntry[], b: readonly TextEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if ((a[i] as TextEntry).json !== (b[i] as TextEntry).json) return false;
  return true;
}

/** Segmented arrays by name, dropping those a build did not use (a removed framework's task lists). */
export class SegmentedArrays {
  private arrays = new Map<string, SegmentedArray>();
  private used = new Map<string, SegmentedArray>();

  /** Starts a build of every array. */
  beginAll(): void {
    this.used = new Map();
  }

  /** The array of this name, begun. */
  array(name: string): SegmentedArray {
    let array = this.used.get(name);
    if (array !== undefined) return array;
    array = this.arrays.get(name) ?? new SegmentedArray();
    array.begin();
    this.used.set(name, array);
    return array;
  }

  /** Ends the build: arrays it did not touch are forgotten. */
  endAll(): void {
    this.arrays = this.used;
  }
}

/** The caches a server keeps across answers, one per shape and list. */
export class StateJsonCache {
  readonly v1Tasks = new TaskTexts();
  readonly v1Agents = new AgentTexts();
  readonly legacyTasks = new TaskTexts();
  readonly legacyAgents = new AgentTexts();
  /** GET_TASKS' three lists and GET_AGENTS' list. */
  readonly v1Lists = { tasks: new SegmentedArray(), unreachable: new SegmentedArray(), completed: new SegmentedArray(), agents: new SegmentedArray() };
  /** /master/state's slaves. */
  readonly legacySlaves = new SegmentedArray();
  /** /master/state's per-framework task lists. */
  readonly legacyTaskLists = new SegmentedArrays();
}

/** JSON text as byte chunks, with small text pieces in between (merged and encoded as they are passed). */
export class JsonChunks {
  private readonly chunks: Uint8Array[] = [];
  private pending = '';
  private bytes = 0;

  /** Appends JSON text. */
  text(json: string): this {
    this.pending += json;
    return this;
  }

  /** Appends encoded chunks. */
  append(chunks: readonly Uint8Array[]): this {
    this.flushText();
    for (const c of chunks) {
      this.chunks.push(c);
      this.bytes += c.byteLength;
    }
    return this;
  }

  /** Appends another JsonChunks' content. */
  add(other: JsonChunks): this {
    return this.text('').append(other.finish());
  }

  /** The chunks (the builder may not be used after). */
  finish(): Uint8Array[] {
    this.flushText();
    return this.chunks;
  }

  /** Total bytes. */
  get byteLength(): number {
    return this.bytes + (this.pending.length === 0 ? 0 : encoder.encode(this.pending).byteLength);
  }

  /** The whole text (tests, small answers). */
  toString(): string {
    const all = new Uint8Array(this.byteLength);
    let at = 0;
    for (const c of this.finish()) {
      all.set(c, at);
      at += c.byteLength;
    }
    return new TextDecoder().decode(all);
  }

  private flushText(): void {
    if (this.pending.length === 0) return;
    const bytes = encoder.encode(this.pending);
    this.chunks.push(bytes);
    this.bytes += bytes.byteLength;
    this.pending = '';
  }
}

/** `JSON.stringify(object)` with extra members appended as raw JSON text (`{"a":1}` + `,"tasks":[...]`). */
export function withRawMembers(object: Record<string, unknown>, members: ReadonlyArray<readonly [string, string]>): string {
  const head = JSON.stringify(object);
  if (members.length === 0) return head;
  const parts = members.map(([name, json]) => `${JSON.stringify(name)}:${json}`).join(',');
  return head === '{}' ? `{${parts}}` : `${head.slice(0, -1)},${parts}}`;
}

/** The head of `JSON.stringify(object)` ready for more members: `{"a":1,` (or `{` when empty). */
export function openObject(object: Record<string, unknown>): string {
  const head = JSON.stringify(object);
  return head === '{}' ? '{' : `${head.slice(0, -1)},`;
}
