/**
 * `faultline` / `faultline up`: the full-screen TUI over an embedded simulated
 * cluster, paced to the wall clock. Without a terminal it never draws: it says
 * so, and `--once --json` prints one snapshot instead.
 * Its options and yargs declaration are in up-cli.ts, which imports this
 * module only when the command runs.
 */
import type { TimingProfileName } from '../../core/timing.js';
import { parseScenarioFile } from '../../chaos/scenario/index.js';
import { clusterOfScenario, embeddedScenario } from '../embedded-cluster.js';
import { createEmbeddedFeed } from '../embedded-feed.js';
import { EXIT } from '../../core/exit-codes.js';
import { durationFlag } from '../flag-values.js';
import { fail, println, type CliIo } from '../io.js';
import { realWallClock } from '../pacer.js';
import { seedOf } from '../seed.js';
import { snapshotJson } from '../../core/snapshot-json.js';
import { parseHeartbeatInterval, parseListen, withHeartbeat, type ListenAddress } from '../listen.js';
import type { ServedApi } from '../../live/http/server.js';
import type { Scenario } from '../../chaos/scenario/index.js';
import { launchTui, noTuiReason } from '../tui-launch.js';

/** Flags of `faultline up`. */
export interface UpFlags {
  readonly agents: number;
  readonly masters: number;
  readonly seed?: string;
  readonly speed: number;
  readonly timing: TimingProfileName;
  readonly scenario?: string;
  readonly readonly: boolean;
  readonly color: boolean;
  readonly once: boolean;
  readonly json: boolean;
  readonly duration: string;
  /** Serve the Mesos HTTP API too (`faultline serve` with the TUI on top). */
  readonly listen?: string;
  readonly heartbeatInterval?: string;
}

/** Runs the TUI (or one snapshot with --once). */
export async function upCommand(flags: UpFlags, io: CliIo): Promise<number> {
  if (!Number.isFinite(flags.speed) || flags.speed <= 0) return fail(io, { code: 'USAGE', message: 'must be a number above 0', where: '--speed' });
  const seed = seedOf(flags.seed);
  const embedded = embeddedScenario({ agents: flags.agents, masters: flags.masters, seed, timing: flags.timing });
  if (!embedded.ok) return fail(io, embedded.error);
  let scenario: Scenario = embedded.value;
  let listen: ListenAddress | null = null;
  let heartbeatIntervalMs = 0;
  if (flags.listen !== undefined) {
    if (flags.once) return fail(io, { code: 'USAGE', message: 'serves only with the TUI; for a headless server use faultline serve', where: '--listen' });
    // A scenario run in the TUI builds its own cluster; the served one would be left behind.
    if (flags.scenario !== undefined) return fail(io, { code: 'USAGE', message: 'cannot serve a scenario inside the TUI yet; use faultline serve --scenario FILE', where: '--listen' });
    const parsed = parseListen(flags.listen, flags.masters);
    if (!parsed.ok) return fail(io, parsed.error);
    const heartbeat = parseHeartbeatInterval(flags.heartbeatInterval ?? '15s');
    if (!heartbeat.ok) return fail(io, heartbeat.error);
    listen = parsed.value;
    heartbeatIntervalMs = heartbeat.value;
    scenario = withHeartbeat(embedded.value, heartbeatIntervalMs);
  }
  if (flags.scenario !== undefined) {
    // A broken or missing file fails now, with its one line, whatever mode follows.
    const parsed = await parseScenarioFile(flags.scenario);
    if (!parsed.ok) return fail(io, parsed.error);
    if (flags.once) return fail(io, { code: 'USAGE', message: `runs inside the TUI, not with --once; for a headless run: faultline run ${flags.scenario}`, where: '--scenario' });
  }

  if (flags.once) {
    const durationMs = durationFlag(flags.duration, '--duration');
    if (!durationMs.ok) return fail(io, durationMs.error);
    const cluster = clusterOfScenario(scenario, seed);
    if (!cluster.ok) return fail(io, cluster.error);
    await cluster.value.advanceTo(cluster.value.now() + durationMs.value);
    const snapshot = snapshotJson(cluster.value.state(), { seed, timing: flags.timing });
    if (flags.json) println(io, JSON.stringify(snapshot, null, 2));
    else {
      const state = cluster.value.state();
      println(io, `seed ${seed} · ${state.nowMs} ms simulated · leader ${state.leader?.node ?? 'none'} · ${state.agents.size} agents · ${state.tasks.size} tasks`);
    }
    return EXIT.pass;
  }

  const noTui = noTuiReason(io);
  if (noTui !== null) {
    io.stderr.write(`faultline: ${noTui}, so the TUI does not draw. For one JSON snapshot: faultline up --once --json [--duration 30s]; for scripted runs: faultline run scenarios/*.yaml (seed ${seed})\n`);
    return EXIT.usage;
  }

  const cluster = clusterOfScenario(scenario, seed);
  if (!cluster.ok) return fail(io, cluster.error);
  let api: ServedApi | null = null;
  if (listen !== null) {
    // Loaded only when serving, so a plain `faultline up` pays nothing for the HTTP API.
    const [{ serveMesosApi }, { servedWorldOf }] = await Promise.all([import('../../live/http/server.js'), import('../served-cluster.js')]);
    try {
      api = await serveMesosApi({ world: servedWorldOf(cluster.value), host: listen.host, port: listen.port, heartbeatIntervalMs });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      io.stderr.write(`faultline: --listen: cannot listen on ${listen.host}:${listen.port}${typeof code === 'string' ? ` (${code})` : ''}\n`);
      return EXIT.usage;
    }
  }
  const listening = api === null ? [] : api.masters.map((m) => `${m.node} listening on http://${m.address.ip}:${m.address.port}`);
  for (const line of listening) io.stderr.write(`faultline: ${line}\n`);
  const feed = createEmbeddedFeed({
    cluster: cluster.value,
    scenario: scenario,
    seed,
    clock: realWallClock,
    speed: flags.speed,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  const { runExitLine } = await import('../../tui/run-panel.js');
  return launchTui(
    {
      feed,
      readonly: flags.readonly,
      noColor: !flags.color || io.env.FORCE_COLOR === '0',
      scenario: flags.scenario ?? null,
      start: () => feed.start(),
      stop: () => {
        feed.stop();
        void api?.close();
      },
      closingLines: (session) => {
        const run = session?.store.getState().run ?? null;
        return [
          ...(run === null ? [] : [runExitLine(run)]),
          `seed ${seed} (replay the cluster with --seed ${seed})`,
          ...listening.map((line) => `${line.replace('listening on', 'served on')} (closed)`),
        ];
      },
    },
    io,
  );
}
