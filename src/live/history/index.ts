/**
 * The live runtime's event logs: what each daemon writes with `--event-log`
 * (one JSON line per ClusterEvent its core actors emit), and the pieces a
 * live runner uses to make one history of several processes' logs: a tail
 * that follows a growing file, and a merger that orders entries by time.
 * Format and guarantees: README.md here.
 */
export { formatEventLine, parseEventLine, type EventLogEntry } from './entry.js';
export { createEpochClock, type EpochClock } from './epoch-clock.js';
export { openEventLogWriter, type EventLogWriter, type EventLogWriterOptions } from './event-log-writer.js';
export { EventLogTail, type EventLogTailOptions } from './event-log-tail.js';
export { DEFAULT_HOLD_MS, EventMerger, type EventMergerOptions } from './event-merger.js';
