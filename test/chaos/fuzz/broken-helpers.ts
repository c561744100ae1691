/**
 * Shared by the broken-scheduler fuzz tests: fuzz the default cluster with a
 * deliberately broken service scheduler, and replay a written file through
 * `faultline run`. Modest sizes keep them fast: a 2-minute method and agent
 * faults only (where the healthy cluster is known to pass).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { defaultBaseScenario, runFuzz, type FuzzConfig, type FuzzSummary, type ScenarioExecutor } from '../../../src/chaos/fuzz/index.js';
import { runCommand } from '../../../src/cli/commands/run.js';
import type { CliIo } from '../../../src/cli/io.js';
import type { ServiceBugs } from '../../../src/schedulers/workload.js';

/** The fuzz method length in these tests. */
export const METHOD_MS = 2 * 60_000;

/** Fuzzes seeds 1..200 with agent faults until the first failure, writing files under a fresh temp dir. */
export async function fuzzWithBug(
  executor: ScenarioExecutor,
  kinds: FuzzConfig['kinds'] = ['kill-agent', 'pause-agent'],
): Promise<{ summary: FuzzSummary; cleanup: () => Promise<void> }> {
  const outDir = await mkdtemp(join(tmpdir(), 'faultline-fuzz-'));
  const config: FuzzConfig = {
    start: 1,
    seeds: 200,
    base: defaultBaseScenario(),
    baseFile: null,
    kinds,
    kindsFlag: kinds.join(','),
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

/** What `faultline run <file> --json` said. */
export interface Replay {
  readonly exitCode: number;
  readonly verdict: string;
  readonly historyHash: string;
  /** Faults the method injected (not the liveness heal). */
  readonly faults: number;
}

/** Runs a written file through `faultline run --json` (with or without the bug). */
export async function replay(file: string, bugs?: Readonly<Record<string, ServiceBugs>>): Promise<Replay> {
  let out = '';
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const io: CliIo = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: { CI: 'true' } };
  const exitCode = await runCommand({ scenarios: [file], json: true, quiet: false }, io, { onInterrupt: () => () => {}, ...(bugs ? { bugs } : {}) });
  const report = JSON.parse(out) as { verdict: string; historyHash: string; faults: Array<{ phase: string }> };
  assert.ok(typeof report.verdict === 'string' && typeof report.historyHash === 'string');
  return { exitCode, verdict: report.verdict, historyHash: report.historyHash, faults: report.faults.filter((f) => f.phase === 'method').length };
}
