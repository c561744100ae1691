/**
 * `replay-seek-ms` (issue 16): a jump to a random position of a history of
 * 1,000,000 records (bench/replay-workload.ts), with the seek snapshots
 * already taken (one pass over the history, as playing or `G` does): the
 * median of 60 seeks; the 95th percentile and the worst are logged (a major
 * collection of the ~1 GB heap can land in one).
 */
import { ProjectionTimeline } from '../src/core/projection/timeline.js';
import { churnHistory } from './replay-workload.js';
import type { Bench } from './types.js';

const RECORDS = 1_000_000;
const SEEKS = 60;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function measureSeek(): Promise<number> {
  let started = performance.now();
  const history = await churnHistory(RECORDS);
  log(`  history of ${history.length} records simulated in ${Math.round(performance.now() - started)} ms`);
  const timeline = new ProjectionTimeline(history);
  started = performance.now();
  timeline.seek(history.length);
  log(`  first pass to the end (${Math.ceil(history.length / timeline.snapshotEvery)} snapshots, every ${timeline.snapshotEvery}): ${Math.round(performance.now() - started)} ms; rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  const times: number[] = [];
  let x = 16;
  for (let i = 0; i < SEEKS; i += 1) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    const position = x % history.length;
    const t = performance.now();
    timeline.seek(position);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  log(`  ${SEEKS} seeks to random positions: median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`);
  return at(0.5);
}

/** The replay figures. */
export const benches: Bench[] = [
  {
    name: 'replay-seek-ms',
    unit: 'ms',
    anchor: 'issue 16: a jump to any point of 1,000,000 events',
    goal: '<= 50 ms',
    goalCheck: (value) => value <= 50,
    // A 64 MB young generation: a seek's clone is ~100k short-lived objects (bench/sim-workload.ts says why).
    nodeFlags: ['--max-semi-space-size=64'],
    run: measureSeek,
  },
];
