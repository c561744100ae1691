/**
 * The columns of each table view. A column says how to show a row (`text`),
 * how to sort it (`key`, default: the text), how wide it must be (`min`), how
 * much spare width it takes (`grow`), and which columns go first when the
 * screen is narrow (lowest `keep` is dropped first).
 */
import type { HistoryRecord } from '../core/events.js';
import { isWarning } from '../core/events.js';
import { isTerminal } from '../core/task-state.js';
import type { AgentView, ClusterState, FrameworkView, MasterView, OfferView, TaskView } from '../core/state.js';
import { eventDetail } from './event-text.js';
import { formatAge, formatAmount, formatClock, reasonWord, stateWord, usedOfTotal } from './format.js';
import type { TableViewName } from './views.js';

/** What a cell may need besides its row. */
export interface RowContext {
  readonly cluster: ClusterState;
}

/** A column's shape, without the row type (what the renderer needs). */
export interface ColumnInfo {
  readonly title: string;
  readonly min: number;
  readonly grow: number;
  readonly align: 'left' | 'right';
  /** Higher stays longer when the screen is too narrow for every column. */
  readonly keep: number;
  /** Where a too-long cell is cut: ids keep both ends (their tails tell them apart). */
  readonly cut: 'end' | 'middle';
}

/** A column of a table of T. */
export interface Column<T> extends ColumnInfo {
  text(item: T, ctx: RowContext): string;
  /** Sort key; strings sort naturally. Defaults to the text. */
  key?(item: T, ctx: RowContext): string | number;
  /**
   * The sort key never changes for a row object (an id; anything of a history
   * record), so a refresh re-sorts without reading known rows (row-order.ts).
   */
  readonly fixed?: boolean;
}

/** A table view's definition. */
export interface TableSpec<T> {
  readonly view: TableViewName;
  readonly columns: readonly Column<T>[];
  /** The rows, unsorted and unfiltered. `warningsOnly` applies to events. */
  items(source: { cluster: ClusterState; events: readonly HistoryRecord[]; warningsOnly: boolean; showCompleted: boolean }): readonly T[];
  id(item: T): string;
  /** The text `/` filters on (lower-cased by the caller). */
  search(item: T, ctx: RowContext): string;
  /** Rows drawn as warnings (also marked in a column, never by colour alone). */
  warning(item: T): boolean;
}

function col<T>(title: string, shape: Partial<ColumnInfo> & { readonly fixed?: boolean }, text: Column<T>['text'], key?: Column<T>['key']): Column<T> {
  const base = { title, min: shape.min ?? title.length, grow: shape.grow ?? 0, align: shape.align ?? 'left', keep: shape.keep ?? 5, cut: shape.cut ?? 'end', fixed: shape.fixed === true, text };
  return key ? { ...base, key } : base;
}

function frameworkName(ctx: RowContext, frameworkId: string): string {
  return ctx.cluster.frameworks.get(frameworkId)?.name ?? frameworkId;
}

/** Agents: id, host, state, cpus and mem used/total, tasks. */
export const AGENT_SPEC: TableSpec<AgentView> = {
  view: 'agents',
  columns: [
    col('ID', { min: 8, grow: 2, keep: 9, fixed: true, cut: 'middle' }, (a) => a.agentId),
    col('HOST', { min: 7, grow: 1, keep: 8 }, (a) => a.host),
    // The master's view, as an operator of a real cluster sees it; ACTUAL is what the simulation knows of the host.
    col('STATE', { min: 12, keep: 9 }, (a) => a.registry),
    col('ACTUAL', { min: 6, keep: 4 }, (a) => a.condition ?? '-'),
    col('CPUS', { min: 9, align: 'right', keep: 6 }, (a) => usedOfTotal(a.used.cpus, a.resources.cpus), (a) => a.used.cpus),
    col('MEM', { min: 11, align: 'right', keep: 5 }, (a) => usedOfTotal(a.used.mem, a.resources.mem), (a) => a.used.mem),
    col('TASKS', { min: 5, align: 'right', keep: 7 }, (a) => String(a.taskCount), (a) => a.taskCount),
  ],
  items: ({ cluster }) => [...cluster.agents.values()],
  id: (a) => a.agentId,
  search: (a) => `${a.agentId} ${a.host} ${a.registry} ${a.condition ?? ''}`,
  warning: (a) => a.registry !== 'registered' || (a.condition !== null && a.condition !== 'up'),
};

/** Frameworks: id, name, state, partition-aware, tasks, resources. */
export const FRAMEWORK_SPEC: TableSpec<FrameworkView> = {
  view: 'frameworks',
  columns: [
    col('ID', { min: 9, grow: 2, keep: 9, fixed: true, cut: 'middle' }, (f) => f.frameworkId),
    col('NAME', { min: 8, grow: 2, keep: 8 }, (f) => f.name),
    col('STATE', { min: 12, keep: 9 }, (f) => f.state),
    col('AWARE', { min: 5, keep: 4 }, (f) => (f.partitionAware ? 'yes' : 'no')),
    col('TASKS', { min: 5, align: 'right', keep: 7 }, (f) => String(f.activeTasks), (f) => f.activeTasks),
    col('CPUS', { min: 6, align: 'right', keep: 5 }, (f) => formatAmount(f.used.cpus), (f) => f.used.cpus),
    col('MEM', { min: 7, align: 'right', keep: 5 }, (f) => formatAmount(f.used.mem), (f) => f.used.mem),
  ],
  items: ({ cluster }) => [...cluster.frameworks.values()],
  id: (f) => f.frameworkId,
  search: (f) => `${f.frameworkId} ${f.name} ${f.state} ${f.roles.join(' ')}`,
  warning: (f) => f.state !== 'active',
};

/** Tasks: id, name, framework, agent, state, reason, age. */
export const TASK_SPEC: TableSpec<TaskView> = {
  view: 'tasks',
  columns: [
    col('ID', { min: 12, grow: 3, keep: 9, fixed: true, cut: 'middle' }, (t) => t.taskId),
    col('NAME', { min: 6, grow: 1, keep: 7 }, (t) => t.name),
    col('FRAMEWORK', { min: 9, grow: 1, keep: 4 }, (t, ctx) => frameworkName(ctx, t.frameworkId)),
    col('AGENT', { min: 8, grow: 1, keep: 6, cut: 'middle' }, (t) => t.host ?? t.agentId),
    col('STATE', { min: 11, keep: 8 }, (t) => stateWord(t.state)),
    col('REASON', { min: 12, grow: 1, keep: 3 }, (t) => reasonWord(t.reason)),
    col('AGE', { min: 6, align: 'right', keep: 5 }, (t, ctx) => formatAge(ctx.cluster.nowMs - t.launchedAtMs), (t, ctx) => ctx.cluster.nowMs - t.launchedAtMs),
  ],
  // Active and completed apart, as the Mesos UI lists them: completed (terminal) tasks only on `c`.
  items: ({ cluster, showCompleted }) => (showCompleted ? [...cluster.tasks.values()] : [...cluster.tasks.values()].filter((t) => !isTerminal(t.state))),
  id: (t) => t.taskId,
  search: (t, ctx) => `${t.taskId} ${t.name} ${frameworkName(ctx, t.frameworkId)} ${t.host ?? ''} ${t.agentId} ${t.state} ${t.reason ?? ''}`,
  warning: (t) => t.state !== 'TASK_RUNNING' && t.state !== 'TASK_STAGING' && t.state !== 'TASK_STARTING' && t.state !== 'TASK_FINISHED',
};

/** Outstanding offers. */
export const OFFER_SPEC: TableSpec<OfferView> = {
  view: 'offers',
  columns: [
    col('ID', { min: 10, grow: 2, keep: 9, fixed: true, cut: 'middle' }, (o) => o.offerId),
    col('FRAMEWORK', { min: 9, grow: 1, keep: 8 }, (o, ctx) => frameworkName(ctx, o.frameworkId)),
    col('AGENT', { min: 8, grow: 1, keep: 7 }, (o, ctx) => ctx.cluster.agents.get(o.agentId)?.host ?? o.agentId),
    col('CPUS', { min: 6, align: 'right', keep: 6 }, (o) => formatAmount(o.resources.cpus), (o) => o.resources.cpus),
    col('MEM', { min: 7, align: 'right', keep: 5 }, (o) => formatAmount(o.resources.mem), (o) => o.resources.mem),
    col('AGE', { min: 6, align: 'right', keep: 4 }, (o, ctx) => formatAge(ctx.cluster.nowMs - o.createdAtMs), (o, ctx) => ctx.cluster.nowMs - o.createdAtMs),
  ],
  items: ({ cluster }) => [...cluster.offers.values()],
  id: (o) => o.offerId,
  search: (o, ctx) => `${o.offerId} ${frameworkName(ctx, o.frameworkId)} ${o.agentId} ${ctx.cluster.agents.get(o.agentId)?.host ?? ''}`,
  warning: () => false,
};

/** The history, newest first by default; `!` marks warnings. */
export const EVENT_SPEC: TableSpec<HistoryRecord> = {
  view: 'events',
  columns: [
    col('SEQ', { min: 6, align: 'right', keep: 3, fixed: true }, (e) => String(e.seq), (e) => e.seq),
    col('TIME', { min: 8, keep: 6, fixed: true }, (e) => formatClock(e.atMs), (e) => e.atMs),
    col('!', { min: 1, keep: 8, fixed: true }, (e) => (isWarning(e) ? '!' : ' '), (e) => (isWarning(e) ? 0 : 1)),
    col('TYPE', { min: 16, grow: 1, keep: 9, fixed: true }, (e) => e.type),
    col('DETAIL', { min: 10, grow: 4, keep: 7, fixed: true }, (e) => eventDetail(e)),
  ],
  items: ({ events, warningsOnly }) => (warningsOnly ? events.filter(isWarning) : events),
  id: (e) => String(e.seq),
  search: (e) => `${e.type} ${eventDetail(e)}`,
  warning: (e) => isWarning(e),
};

/** Masters: node, state, master id, epoch, elected at. */
export const MASTER_SPEC: TableSpec<MasterView> = {
  view: 'masters',
  columns: [
    col('NODE', { min: 10, grow: 1, keep: 9, fixed: true }, (m) => m.node),
    col('STATE', { min: 8, keep: 8 }, (m) => m.state),
    col('MASTER ID', { min: 10, grow: 1, keep: 5 }, (m) => m.masterId ?? '-'),
    col('EPOCH', { min: 5, align: 'right', keep: 7 }, (m) => (m.epoch === null ? '-' : String(m.epoch)), (m) => m.epoch ?? -1),
    col('ELECTED', { min: 8, align: 'right', keep: 4 }, (m) => (m.electedAtMs === null ? '-' : formatClock(m.electedAtMs)), (m) => m.electedAtMs ?? -1),
  ],
  items: ({ cluster }) => [...cluster.masters.values()],
  id: (m) => m.node,
  search: (m) => `${m.node} ${m.state} ${m.masterId ?? ''}`,
  warning: (m) => m.state === 'down' || m.state === 'paused',
};
