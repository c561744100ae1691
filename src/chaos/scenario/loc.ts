/** Locations in messages. */
import type { Loc } from './types.js';

/** `file:line:column`, the `where` of a FaultlineError about a step. */
export function formatLoc(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}
