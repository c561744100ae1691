/**
 * Reports of scenario runs: human text, JSON, JUnit XML. (The JSONL history is
 * written by src/chaos/history's writer.) Import from here.
 */
export { textReport, pairRecovery, type TextReportOptions } from './text.js';
export { jsonReport, type JsonReport } from './json.js';
export { junitReport } from './junit.js';
export { verdictLine, verdictWords, seconds } from './format.js';
export { historyMetaOf, writeHistoryMeta, readHistoryMeta, inferCheckContext, metaPathOf, type HistoryMeta } from './history-meta.js';
