/**
 * `faultline sim`: a headless simulation that prints a summary (JSON with --json).
 * Its options and yargs declaration are in sim-cli.ts, which imports this
 * module only when the command runs.
 */
import { formatDuration } from '../../core/duration.js';
import { parseResources } from '../../core/resources.js';
import { TASK_STATES } from '../../core/task-state.js';
import { timingOf, type TimingProfileName } from '../../core/timing.js';
import { HistoryHasher, HistoryWriter } from '../../chaos/history/index.js';
import { frameworkNodesOf, serviceAppOf } from '../../schedulers/workload.js';
import { SimCluster } from '../../sim/cluster.js';
import { uniformAgents } from '../../cluster/index.js';
import { EXIT, type ExitCode } from '../../core/exit-codes.js';
import { fail, println, type CliIo } from '../io.js';
import { durationFlag, MAX_AGENTS, MAX_MASTERS, wholeNumberFlag } from '../flag-values.js';
import { seedOf } from '../seed.js';
import { parseServiceFlags } from '../workload-flags.js';

/** Flags of `faultline sim`. */
export interface SimFlags {
  readonly agents: number;
  readonly masters: number;
  readonly services: readonly string[];
  readonly duration: string;
  readonly seed?: string | number;
  readonly timing: TimingProfileName;
  readonly resources: string;
  readonly json: boolean;
  readonly history?: string;
}

/** Runs the simulation and prints the summary. */
export async function simCommand(flags: SimFlags, io: CliIo): Promise<ExitCode> {
  const durationMs = durationFlag(flags.duration, '--duration');
  if (!durationMs.ok) return fail(io, durationMs.error);
  const agentResources = parseResources(flags.resources, '--resources');
  if (!agentResources.ok) return fail(io, agentResources.error);
  const services = parseServiceFlags(flags.services);
  if (!services.ok) return fail(io, services.error);
  const agents = wholeNumberFlag(flags.agents, '--agents', 1, MAX_AGENTS);
  if (!agents.ok) return fail(io, agents.error);
  const masters = wholeNumberFlag(flags.masters, '--masters', 1, MAX_MASTERS);
  if (!masters.ok) return fail(io, masters.error);
  const timing = timingOf(flags.timing);
  if (!timing.ok) return fail(io, timing.error);
  const seed = seedOf(flags.seed);

  const workload = { services: services.value.map((s) => serviceAppOf({ name: s.name, instances: s.instances }, timing.value)), batch: [], execute: [] };
  const hasher = new HistoryHasher();
  // One hash per run, the same with or without --history: every record from the first on goes through
  // the hasher (and, with --history, streams to the file through it: the hash is the file's sha256).
  let writer: HistoryWriter | null = null;
  if (flags.history) {
    const opened = HistoryWriter.open(flags.history, { hasher });
    if (!opened.ok) return fail(io, opened.error);
    writer = opened.value;
  }
  let events = 0;
  const created = SimCluster.create({
    seed,
    timing: timing.value,
    masters: flags.masters,
    agents: uniformAgents(flags.agents, agentResources.value),
    frameworks: (leader) => frameworkNodesOf(workload, { timing: timing.value, leader }),
    historyLimit: 0,
    onRecord: (record) => {
      if (writer) writer.write(record);
      else hasher.add(record);
      events += 1;
    },
  });
  if (!created.ok) {
    writer?.close();
    return fail(io, created.error);
  }
  const cluster = created.value;

  const wallStart = performance.now();
  cluster.runFor(durationMs.value);
  const wallMs = Math.round(performance.now() - wallStart);
  const state = cluster.state();
  if (writer) {
    const written = writer.close();
    if (!written.ok) return fail(io, written.error);
  }

  const tasksByState = Object.fromEntries(TASK_STATES.filter((s) => state.counts.tasksByState[s] > 0).map((s) => [s, state.counts.tasksByState[s]]));
  const summary = {
    seed,
    timing: timing.value.profile,
    simulatedMs: cluster.now(),
    wallMs,
    historyHash: hasher.digest(),
    events,
    leader: state.leader,
    agents: { total: flags.agents, byState: state.counts.agentsByState },
    tasks: { byState: tasksByState },
    frameworks: [...state.frameworks.values()].map((f) => ({ frameworkId: f.frameworkId, name: f.name, state: f.state, activeTasks: f.activeTasks })),
    services: services.value.map((s) => ({
      name: s.name,
      instances: s.instances,
      running: [...state.tasks.values()].filter((t) => t.name === s.name && t.state === 'TASK_RUNNING').length,
    })),
  };
  if (flags.json) {
    println(io, JSON.stringify(summary, null, 2));
    return EXIT.pass;
  }
  println(io, `seed ${seed} · ${formatDuration(summary.simulatedMs)} simulated in ${formatDuration(wallMs)} · ${events} events`);
  println(io, `history ${summary.historyHash}`);
  println(io, `leader ${state.leader ? `${state.leader.node} (epoch ${state.leader.epoch})` : 'none'}`);
  println(io, `agents ${Object.entries(state.counts.agentsByState).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}`);
  println(io, `tasks  ${Object.entries(tasksByState).map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}`);
  for (const s of summary.services) println(io, `service ${s.name}: ${s.running}/${s.instances} running`);
  return EXIT.pass;
}
