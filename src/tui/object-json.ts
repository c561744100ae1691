/**
 * `y`: one object of a table view as JSON, in the shape `faultline up --once
 * --json` prints it (core/snapshot-json.ts), so a script and the screen agree.
 */
import { assertNever } from '../core/errors.js';
import { taskJson } from '../core/snapshot-json.js';
import type { UiState } from './ui-state.js';
import type { TableViewName } from './views.js';

/** The object behind a row, as JSON-ready data; undefined when it is gone. */
export function objectJson(state: UiState, view: TableViewName, id: string): unknown {
  const cluster = state.cluster;
  switch (view) {
    case 'agents':
      return cluster.agents.get(id);
    case 'frameworks':
      return cluster.frameworks.get(id);
    case 'tasks': {
      const task = cluster.tasks.get(id);
      return task === undefined ? undefined : taskJson(task);
    }
    case 'offers':
      return cluster.offers.get(id);
    case 'events':
      return state.events.find((e) => String(e.seq) === id);
    case 'masters':
      return cluster.masters.get(id);
    default:
      return assertNever(view, 'view');
  }
}
