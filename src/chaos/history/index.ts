/**
 * History files: the canonical JSONL form, its sha256 fingerprint, writing
 * (whole or streaming) and reading back with line-numbered errors.
 */
export { canonicalLine } from './canonical.js';
export { HistoryHasher, hashHistory } from './hasher.js';
export { HistoryWriter, writeHistory, type HistoryWriterOptions } from './writer.js';
export { parseHistoryLine, readHistory, scanHistory, type ReadHistoryOptions } from './reader.js';
export { checkRecord } from './validate.js';
export { checkHistoryComplete } from './complete.js';
