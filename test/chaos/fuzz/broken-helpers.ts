/**
 * Shared by the broken-scheduler fuzz tests: fuzz the default cluster with a
 * deliberately broken service scheduler, and replay a written file the way
 * `faultline run` does. Modest sizes keep them fast: a 2-minute method and agent
 * faults only (where the healthy cluster is known to pass).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultBaseScenario, runFuzz, type FuzzConfig, type FuzzSummary, type ScenarioExecutor } from '../../../src/chaos/fuzz/index.js';
import { runScenario, type RunResult } from '../../../src/chaos/runner/index.js';
import { parseScenarioFile } from '../../../src/chaos/scenario/index.js';
import type { ServiceBugs } from '../../../src/schedulers/workload.js';

/** The fuzz method length in these tests. */
export const METHOD_MS = 2 * 60_000;

/** Fuzzes seeds 1..200 with agent faults until the first failure, writing files under a fresh temp dir. */
export async function fuzzWithBug(executor: ScenarioExecutor): Promise<{ summary: FuzzSummary; cleanup: () => Promise<void> }> {
  const outDir = await mkdtemp(join(tmpdir(), 'faultline-fuzz-'));
  const config: FuzzConfig = {
    start: 1,
    seeds: 200,
    base: defaultBaseScenario(),
    baseFile: null,
    kinds: ['kill-agent', 'pause-agent'],
    kindsFlag: 'kill-agent,pause-agent',
    methodMs: METHOD_MS,
    outDir,
    maxFailures: 1,
  };
  try {
    const summary = await runFuzz(config, {
      executor,
      writeFile: async (path, text) => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, text, 'utf8');
      },
    });
    return { summary, cleanup: () => rm(outDir, { recursive: true, force: true }) };
  } finally {
    await executor.close();
  }
}

/** Runs a written file as `faultline run` does: parse it, run it (with or without the bug). */
export async function replay(file: string, bugs?: Readonly<Record<string, ServiceBugs>>): Promise<RunResult> {
  const parsed = await parseScenarioFile(file);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  return runScenario(parsed.value, file, { keepHistory: false, ...(bugs ? { bugs } : {}) });
}
