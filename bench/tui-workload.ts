/**
 * The process `tui-cpu-10k-pct` measures (bench/tui.bench.ts runs it in tmux):
 * an embedded cluster with 10,000 churning service tasks, paced to the wall
 * clock exactly as `faultline up` paces its demo (createEmbeddedFeed, speed 1),
 * either drawn by the TUI (`tui`) or not drawn at all (`bare`: the same
 * simulation, the same pacing, no TUI).
 *
 *   node --import tsx bench/tui-workload.ts tui|bare [--refresh-ms N] [--seed S]
 *
 * The churn: 40 services of 250 instances (cpus:0.25;mem:128) on 1,000 agents,
 * fast timing, 3 masters. Service i's tasks finish after (20 + i) s and are
 * replaced, so about 250 tasks end and 250 start every second (~1,000 task
 * state changes a second), and with `--refresh-ms 250` the screen gets a
 * changed 10,000-task snapshot 4 times a second.
 */
import { parseScenario } from '../src/chaos/scenario/index.js';
import { clusterOfScenario } from '../src/cli/embedded-cluster.js';
import { createEmbeddedFeed } from '../src/cli/embedded-feed.js';
import { realWallClock } from '../src/cli/pacer.js';

/** The churning cluster as a scenario (the embedded feed wants one, for `w`). */
export function churnScenarioYaml(seed: string): string {
  const services = Array.from(
    { length: 40 },
    (_, i) => `    - name: svc-${String(i + 1).padStart(2, '0')}
      instances: 250
      resources: "cpus:0.25;mem:128"
      duration: ${20 + i}s`,
  ).join('\n');
  return `name: tui-churn
description: 10,000 service tasks that finish after 20-59 s and are replaced
seed: "${seed}"
timing:
  profile: fast
cluster:
  masters: 3
  agents:
    count: 1000
    resources: "cpus:4;mem:8192;disk:10240;ports:[31000-32000]"
workload:
  services:
${services}
method: []
`;
}

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode !== 'tui' && mode !== 'bare') throw new Error('usage: tui-workload.ts tui|bare [--refresh-ms N] [--seed S]');
  const seed = flag('--seed', '10000');
  const refreshMs = Number(flag('--refresh-ms', '250'));
  // As bin/faultline does before React loads: the production build, and an interactive Ink.
  process.env.NODE_ENV = 'production';
  delete process.env.CI;
  const scenario = parseScenario(churnScenarioYaml(seed), '<tui-churn>');
  if (!scenario.ok) throw new Error(scenario.error.message);
  const cluster = clusterOfScenario(scenario.value, seed);
  if (!cluster.ok) throw new Error(cluster.error.message);
  const feed = createEmbeddedFeed({ cluster: cluster.value, scenario: scenario.value, seed, clock: realWallClock, speed: 1, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
  if (mode === 'bare') {
    feed.start();
    setInterval(() => {}, 1 << 30); // the pacer's timer is unref'd; keep the process alive like the TUI's stdin does
    return;
  }
  const { runTui } = await import('../src/tui/index.js');
  runTui({
    feed,
    stdin: process.stdin,
    stdout: process.stdout,
    readonly: false,
    noColor: false,
    refreshMs,
    onExit: (code) => process.exit(code),
  });
  feed.start();
}

main().catch((e: unknown) => {
  process.stderr.write(`tui-workload: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(70);
});
