/**
 * Table models: a view's rows filtered and sorted, with cells formatted only
 * when asked (only the visible rows ever are). Memoised per view on the inputs'
 * identity, so a redraw without new data costs nothing and a store update
 * re-sorts only the table on screen, starting from its last order (row-order.ts).
 */
import { compileFilter } from './filter.js';
import { assertNever } from '../core/errors.js';
import type { HistoryRecord } from '../core/events.js';
import type { AgentView, ClusterState, FrameworkView, MasterView, OfferView, TaskView } from '../core/state.js';
import { NaturalKeys } from './natural.js';
import { RowOrder } from './row-order.js';
import {
  AGENT_SPEC,
  EVENT_SPEC,
  FRAMEWORK_SPEC,
  MASTER_SPEC,
  OFFER_SPEC,
  TASK_SPEC,
  type ColumnInfo,
  type RowContext,
  type TableSpec,
} from './table-specs.js';
import type { SortOrder, UiState } from './ui-state.js';
import type { TableViewName } from './views.js';

/** A filtered, sorted table, ready to draw any window of rows. */
export interface TableModel {
  readonly view: TableViewName;
  readonly columns: readonly ColumnInfo[];
  /** Rows before the filter. */
  readonly total: number;
  /** Rows after the filter. */
  readonly length: number;
  /** The sort actually applied (column index clamped to the columns). */
  readonly sort: SortOrder;
  idAt(index: number): string | undefined;
  cellsAt(index: number): readonly string[];
  warningAt(index: number): boolean;
  /** Row index of an id, or -1. */
  indexOf(id: string): number;
}

/** What a table is computed from. */
export interface TableInput {
  readonly cluster: ClusterState;
  readonly events: readonly HistoryRecord[];
  readonly warningsOnly: boolean;
  /** Tasks: completed ones too. */
  readonly showCompleted: boolean;
  readonly filter: string;
  readonly sort: SortOrder;
}

/** Filters and sorts a spec's items into a model; `order` remembers the last sort of this table. */
export function buildTable<T extends object>(spec: TableSpec<T>, input: TableInput, keys: NaturalKeys, order: RowOrder<T>): TableModel {
  const ctx: RowContext = { cluster: input.cluster };
  const all = spec.items({ cluster: input.cluster, events: input.events, warningsOnly: input.warningsOnly, showCompleted: input.showCompleted });
  const filter = compileFilter(input.filter);
  const rows = filter === null ? all : all.filter((item) => filter.test(spec.search(item, ctx)));
  const columnIndex = ((input.sort.column % spec.columns.length) + spec.columns.length) % spec.columns.length;
  const column = spec.columns[columnIndex];
  const sorted: readonly T[] = column
    ? order.sort(rows, { column, inputOf: (item) => (column.key ? column.key(item, ctx) : column.text(item, ctx)), fixed: column.fixed === true, descending: input.sort.descending }, keys)
    : rows;
  // The selected row's index is looked up on every refresh: a scan (remembering the last answer) is
  // far cheaper than building a map of 10,000+ ids for the one or two lookups a model gets.
  let lastId: string | null = null;
  let lastIndex = -1;
  return {
    view: spec.view,
    columns: spec.columns,
    total: all.length,
    length: sorted.length,
    sort: { column: columnIndex, descending: input.sort.descending },
    idAt: (i) => {
      const item = sorted[i];
      return item === undefined ? undefined : spec.id(item);
    },
    cellsAt: (i) => {
      const item = sorted[i];
      return item === undefined ? [] : spec.columns.map((c) => c.text(item, ctx));
    },
    warningAt: (i) => {
      const item = sorted[i];
      return item !== undefined && spec.warning(item);
    },
    indexOf: (id) => {
      if (id !== lastId) {
        lastId = id;
        lastIndex = sorted.findIndex((item) => spec.id(item) === id);
      }
      return lastIndex;
    },
  };
}

interface Memo {
  readonly input: TableInput;
  readonly model: TableModel;
}

/** Builds table models for a session, remembering the last one per view. */
export class TableCache {
  private readonly keys = new NaturalKeys();
  private readonly memo = new Map<TableViewName, Memo>();
  private readonly orders = {
    agents: new RowOrder<AgentView>(),
    frameworks: new RowOrder<FrameworkView>(),
    tasks: new RowOrder<TaskView>(),
    offers: new RowOrder<OfferView>(),
    events: new RowOrder<HistoryRecord>(),
    masters: new RowOrder<MasterView>(),
  };

  /** The model of `view` for this state (the current view unless given). */
  of(state: UiState, view: TableViewName): TableModel {
    const input: TableInput = {
      cluster: state.cluster,
      events: state.events,
      warningsOnly: state.warningsOnly,
      showCompleted: state.showCompleted,
      filter: state.filter[view],
      sort: state.sort[view],
    };
    const last = this.memo.get(view);
    if (last && sameInput(view, last.input, input)) return last.model;
    const model = this.build(view, input);
    this.memo.set(view, { input, model });
    return model;
  }

  private build(view: TableViewName, input: TableInput): TableModel {
    const { keys, orders } = this;
    switch (view) {
      case 'agents':
        return buildTable(AGENT_SPEC, input, keys, orders.agents);
      case 'frameworks':
        return buildTable(FRAMEWORK_SPEC, input, keys, orders.frameworks);
      case 'tasks':
        return buildTable(TASK_SPEC, input, keys, orders.tasks);
      case 'offers':
        return buildTable(OFFER_SPEC, input, keys, orders.offers);
      case 'events':
        return buildTable(EVENT_SPEC, input, keys, orders.events);
      case 'masters':
        return buildTable(MASTER_SPEC, input, keys, orders.masters);
      default:
        return assertNever(view, 'view');
    }
  }
}

function sameInput(view: TableViewName, a: TableInput, b: TableInput): boolean {
  const sameSource = view === 'events' ? a.events === b.events && a.warningsOnly === b.warningsOnly : a.cluster === b.cluster && a.showCompleted === b.showCompleted;
  return sameSource && a.filter === b.filter && a.sort.column === b.sort.column && a.sort.descending === b.sort.descending;
}

/** The column titles of a view (for the sort indicator and help). */
export function columnsOf(view: TableViewName): readonly ColumnInfo[] {
  switch (view) {
    case 'agents':
      return AGENT_SPEC.columns;
    case 'frameworks':
      return FRAMEWORK_SPEC.columns;
    case 'tasks':
      return TASK_SPEC.columns;
    case 'offers':
      return OFFER_SPEC.columns;
    case 'events':
      return EVENT_SPEC.columns;
    case 'masters':
      return MASTER_SPEC.columns;
    default:
      return assertNever(view, 'view');
  }
}
