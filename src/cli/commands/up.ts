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
import type { TuiHandle } from '../../tui/index.js';
import type { TuiSession } from '../../tui/session.js';

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

/** Why the TUI cannot run on these streams, or null: it needs a terminal on both ends that can move the cursor. */
function noTuiReason(io: CliIo): string | null {
  if (!io.stdout.isTTY) return 'stdout is not a terminal';
  if (!io.stdin.isTTY) return 'stdin is not a terminal (no keys would reach it)';
  if (io.env.TERM === 'dumb') return 'TERM=dumb cannot move the cursor';
  return null;
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
  const stdout = io.stdout as NodeJS.WriteStream;
  const options = {
    feed,
    stdin: io.stdin as NodeJS.ReadStream,
    stdout,
    readonly: flags.readonly,
    noColor: !flags.color || io.env.FORCE_COLOR === '0',
    scenario: flags.scenario ?? null,
  };
  // The first frame goes up before Ink loads (src/tui/first-paint.ts): loading Ink and React is most of
  // the time to it. Both modules are Ink-free; Ink is imported only below, after the launcher set
  // FORCE_COLOR and CI for it.
  const { paintFirstFrame } = await import('../../tui/first-paint.js');
  const { restoreTerminal } = await import('../../tui/terminal.js');
  const { runExitLine } = await import('../../tui/run-panel.js');
  return await new Promise<number>((resolve) => {
    let settled = false;
    let handle: TuiHandle | null = null;
    let session: TuiSession | null = null;
    const cleanup: Array<() => void> = [];
    const finish = (code: number, error?: unknown): void => {
      if (settled) return;
      settled = true;
      const run = session?.store.getState().run ?? null;
      feed.stop();
      void api?.close();
      session?.dispose();
      for (const undo of cleanup) undo();
      restoreTerminal(stdout);
      if (error) io.stderr.write(`faultline: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (run !== null) io.stderr.write(`faultline: ${runExitLine(run)}\n`);
      io.stderr.write(`faultline: seed ${seed} (replay the cluster with --seed ${seed})\n`);
      for (const line of listening) io.stderr.write(`faultline: ${line.replace('listening on', 'served on')} (closed)\n`);
      resolve(code);
    };
    // Until Ink is up there is no handle: a signal or a crash then restores the terminal directly.
    const onSignal = (code: number) => () => (handle === null ? finish(code) : handle.exit(code));
    const onTerm = onSignal(EXIT.terminated);
    const onHup = onSignal(EXIT.hangup);
    const onCrash = (error: unknown): void => {
      handle?.unmount();
      finish(EXIT.internal, error);
    };
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    process.on('uncaughtException', onCrash);
    cleanup.push(
      () => process.off('SIGTERM', onTerm),
      () => process.off('SIGHUP', onHup),
      () => process.off('uncaughtException', onCrash),
    );
    try {
      session = paintFirstFrame(options);
    } catch (error) {
      finish(EXIT.internal, error);
      return;
    }
    const painted = session;
    import('../../tui/index.js').then(
      ({ runTui }) => {
        if (settled) return;
        handle = runTui({ ...options, session: painted, onExit: (code, error) => finish(code, error) });
        feed.start();
      },
      (error: unknown) => finish(EXIT.internal, error),
    );
  });
}
