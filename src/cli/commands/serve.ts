/**
 * `faultline serve`: the embedded simulation, headless and paced to the wall
 * clock, with the Mesos HTTP API on every master (consecutive ports from
 * `--listen`), so a real v1 framework runs against the simulated cluster and
 * every fault of the simulator reaches it. With `--scenario FILE` the cluster
 * is the scenario's and its method runs (paced); the cluster keeps serving
 * after it. Runs until SIGINT (exit 130) or SIGTERM (exit 0), servers closed.
 * Its yargs declaration is in serve-cli.ts.
 */
import { verdictLine } from '../../chaos/report/index.js';
import { parseScenarioFile, type Scenario } from '../../chaos/scenario/index.js';
import { err, ok, type Result } from '../../core/errors.js';
import type { TimingProfileName } from '../../core/timing.js';
import { serveMesosApi, type ServedApi } from '../../live/http/server.js';
import type { Cluster } from '../../cluster/index.js';
import { runScenario } from '../sim-runtime.js';
import { clusterOfScenario, embeddedScenario } from '../embedded-cluster.js';
import { EXIT } from '../../core/exit-codes.js';
import { fail, println, type CliIo } from '../io.js';
import { parseHeartbeatInterval, parseListen, withHeartbeat, type ListenAddress } from '../listen.js';
import { createPaceGate } from '../pace-gate.js';
import { Pacer, realWallClock } from '../pacer.js';
import { seedOf } from '../seed.js';
import { servedWorldOf } from '../served-cluster.js';
import { stopSignal, type DaemonStop } from '../daemon-flags.js';

/** Flags of `faultline serve`. */
export interface ServeFlags {
  readonly agents: number;
  readonly masters: number;
  readonly seed?: string;
  readonly speed: number;
  readonly timing: TimingProfileName;
  readonly scenario?: string;
  readonly listen: string;
  readonly heartbeatInterval: string;
}

/** Why serving stops. */
export type StopSignal = DaemonStop;

/** Hooks for tests: when to stop (default: the process's SIGINT/SIGTERM) and the served API once it listens. */
export interface ServeHooks {
  readonly until?: Promise<StopSignal>;
  readonly onServing?: (api: ServedApi, cluster: Cluster) => void;
}

/** Serves the cluster until a signal; the exit code. */
export async function serveCommand(flags: ServeFlags, io: CliIo, hooks: ServeHooks = {}): Promise<number> {
  const setup = await prepare(flags);
  if (!setup.ok) return fail(io, setup.error);
  const { listen, heartbeatIntervalMs, scenario, seed, scenarioPath } = setup.value;
  const until = hooks.until ?? stopSignal();
  let stopped: StopSignal | null = null;
  void until.then((signal) => {
    stopped = signal;
  });

  let api: ServedApi | null = null;
  let pacer: Pacer | null = null;
  const startServing = async (cluster: Cluster): Promise<boolean> => {
    try {
      // The simulation is faultline's own: the browser view may inject faults (FAULTLINE_INJECT_FAULT).
      api = await serveMesosApi({ world: servedWorldOf(cluster), host: listen.host, port: listen.port, heartbeatIntervalMs, chaos: { inject: (fault) => cluster.inject(fault) } });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      io.stderr.write(`faultline: --listen: cannot listen on ${listen.host}:${listen.port}${typeof code === 'string' ? ` (${code})` : ''}\n`);
      return false;
    }
    for (const m of api.masters) println(io, `${m.node} listening on http://${m.address.ip}:${m.address.port}`);
    const first = api.masters[0];
    if (first) println(io, `browser view: open http://${first.address.ip}:${first.address.port}/`);
    hooks.onServing?.(api, cluster);
    return true;
  };
  const keepServing = (cluster: Cluster): void => {
    pacer = new Pacer(cluster, { clock: realWallClock, speed: flags.speed });
    pacer.start();
  };

  let failedToListen = false;
  if (scenarioPath === null) {
    const cluster = clusterOfScenario(scenario, seed);
    if (!cluster.ok) return fail(io, cluster.error);
    if (!(await startServing(cluster.value))) return EXIT.usage;
    keepServing(cluster.value);
  } else {
    // The scenario's own run builds the cluster: serve it as soon as it exists, pace the method, keep serving after.
    let ready: Promise<boolean> = Promise.resolve(false);
    let built: Cluster | null = null;
    const gate = createPaceGate(0, { clock: realWallClock, speed: flags.speed, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    const result = await runScenario(scenario, scenarioPath, {
      seed,
      keepHistory: false,
      chunkMs: 50,
      onCluster: (cluster) => {
        built = cluster;
        ready = startServing(cluster);
      },
      shouldStop: () => stopped !== null || failedToListen,
      yieldControl: async () => {
        if (!(await ready)) failedToListen = true;
        if (built) await gate.wait((built as Cluster).now());
      },
    });
    if (failedToListen || built === null) return EXIT.usage;
    if (!result.interrupted) println(io, verdictLine(result));
    if (stopped === null) keepServing(built);
  }

  const signal = stopped ?? (await until);
  (pacer as Pacer | null)?.stop();
  await (api as ServedApi | null)?.close();
  return signal === 'SIGINT' ? EXIT.interrupted : EXIT.pass;
}

interface Prepared {
  readonly listen: ListenAddress;
  readonly heartbeatIntervalMs: number;
  readonly scenario: Scenario;
  readonly seed: string;
  readonly scenarioPath: string | null;
}

async function prepare(flags: ServeFlags): Promise<Result<Prepared>> {
  if (!Number.isFinite(flags.speed) || flags.speed <= 0) return err('USAGE', 'must be a number above 0', '--speed');
  const heartbeat = parseHeartbeatInterval(flags.heartbeatInterval);
  if (!heartbeat.ok) return heartbeat;
  let scenario: Scenario;
  let seed: string;
  if (flags.scenario !== undefined) {
    const parsed = await parseScenarioFile(flags.scenario);
    if (!parsed.ok) return parsed;
    scenario = parsed.value;
    seed = flags.seed ?? scenario.seed;
  } else {
    seed = seedOf(flags.seed);
    const embedded = embeddedScenario({ agents: flags.agents, masters: flags.masters, seed, timing: flags.timing });
    if (!embedded.ok) return embedded;
    scenario = embedded.value;
  }
  const listen = parseListen(flags.listen, scenario.cluster.masters);
  if (!listen.ok) return listen;
  return ok({ listen: listen.value, heartbeatIntervalMs: heartbeat.value, scenario: withHeartbeat(scenario, heartbeat.value), seed, scenarioPath: flags.scenario ?? null });
}
