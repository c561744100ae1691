/**
 * One line of a daemon's event log (`--event-log FILE`): the JSON of
 * `{"atEpochMs": <epoch ms with a sub-ms fraction>, "node": "<emitting node>", "event": {...ClusterEvent}}`
 * and a newline. Pure: formatting and parsing only, so a runner can trust
 * nothing it reads from a file written by another process (a half-written
 * line, a foreign file) and never throw on it.
 */
import { err, ok, type Result } from '../../core/errors.js';
import type { ClusterEvent } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';

/** One event as a daemon wrote it: when (wall-clock epoch ms), which node emitted it, what. */
export interface EventLogEntry {
  readonly atEpochMs: number;
  readonly node: NodeId;
  readonly event: ClusterEvent;
}

/** The line of an entry, newline included. */
export function formatEventLine(entry: EventLogEntry): string {
  return `${JSON.stringify({ atEpochMs: entry.atEpochMs, node: entry.node, event: entry.event })}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one line (a trailing `\n` or `\r\n` is allowed). It checks the
 * envelope and that `event` is an object with a string `type`; the event's
 * own fields are the writer's (the same core that wrote them), not checked
 * here. Never throws.
 */
export function parseEventLine(line: string): Result<EventLogEntry> {
  const text = line.endsWith('\n') ? line.slice(0, line.endsWith('\r\n') ? -2 : -1) : line;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err('PROTOCOL', 'not JSON');
  }
  if (!isObject(value)) return err('PROTOCOL', 'not a JSON object');
  const { atEpochMs, node, event } = value;
  if (typeof atEpochMs !== 'number' || !Number.isFinite(atEpochMs)) return err('PROTOCOL', 'atEpochMs is not a finite number');
  if (typeof node !== 'string' || node === '') return err('PROTOCOL', 'node is not a non-empty string');
  if (!isObject(event)) return err('PROTOCOL', 'event is not an object');
  if (typeof event.type !== 'string' || event.type === '') return err('PROTOCOL', 'event.type is not a non-empty string');
  return ok({ atEpochMs, node, event: event as unknown as ClusterEvent });
}
