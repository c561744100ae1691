/**
 * The TUI's views: seven from issue 5 plus the scenario-run panel, which joins
 * the tab cycle only while a scenario has been started.
 */

/** Views that show a table with a selection, a filter and a sort. */
export type TableViewName = 'agents' | 'frameworks' | 'tasks' | 'offers' | 'events' | 'masters';
/** Views that show a scrolling document. */
export type DocViewName = 'overview' | 'run';
/** Every view. */
export type ViewName = TableViewName | DocViewName;

/** A view's tab: the digit that opens it and its title. */
export interface ViewInfo {
  readonly name: ViewName;
  readonly digit: string;
  readonly title: string;
}

/** Tab order; `run` is listed only while a scenario run exists. */
export const VIEWS: readonly ViewInfo[] = [
  { name: 'overview', digit: '1', title: 'Overview' },
  { name: 'agents', digit: '2', title: 'Agents' },
  { name: 'frameworks', digit: '3', title: 'Frameworks' },
  { name: 'tasks', digit: '4', title: 'Tasks' },
  { name: 'offers', digit: '5', title: 'Offers' },
  { name: 'events', digit: '6', title: 'Events' },
  { name: 'masters', digit: '7', title: 'Masters' },
  { name: 'run', digit: '8', title: 'Run' },
];

/** Every table view, for per-view records. */
export const TABLE_VIEWS: readonly TableViewName[] = ['agents', 'frameworks', 'tasks', 'offers', 'events', 'masters'];

/** Whether the view shows a table. */
export function isTableView(view: ViewName): view is TableViewName {
  return view !== 'overview' && view !== 'run';
}

/** The tabs currently in the cycle (the run panel joins once a run exists). */
export function visibleViews(hasRun: boolean): readonly ViewInfo[] {
  return hasRun ? VIEWS : VIEWS.filter((v) => v.name !== 'run');
}

/** The view's title. */
export function viewTitle(view: ViewName): string {
  return VIEWS.find((v) => v.name === view)?.title ?? view;
}
