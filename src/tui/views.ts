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
  /** `:` commands that switch to it (k9s style): the name, then short aliases. */
  readonly commands: readonly string[];
}

/** Tab order; `run` is listed only while a scenario run exists. */
export const VIEWS: readonly ViewInfo[] = [
  { name: 'overview', digit: '1', title: 'Overview', commands: ['overview', 'ov'] },
  { name: 'agents', digit: '2', title: 'Agents', commands: ['agents', 'agent', 'ag', 'slaves'] },
  { name: 'frameworks', digit: '3', title: 'Frameworks', commands: ['frameworks', 'framework', 'fw'] },
  { name: 'tasks', digit: '4', title: 'Tasks', commands: ['tasks', 'task', 'tk'] },
  { name: 'offers', digit: '5', title: 'Offers', commands: ['offers', 'offer', 'of'] },
  { name: 'events', digit: '6', title: 'Events', commands: ['events', 'event', 'ev'] },
  { name: 'masters', digit: '7', title: 'Masters', commands: ['masters', 'master', 'ms'] },
  { name: 'run', digit: '8', title: 'Run', commands: ['runs', 'rn'] },
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

/** The view a `:` command names (`:tasks`, `:tk`), if any. */
export function viewOfCommand(word: string): ViewName | null {
  return VIEWS.find((v) => v.commands.includes(word))?.name ?? null;
}

/** The view's title. */
export function viewTitle(view: ViewName): string {
  return VIEWS.find((v) => v.name === view)?.title ?? view;
}
