/**
 * `faultline run --live`: the same scenarios, checkers and reports as the
 * simulation, on real processes. As root, the run lives in a network
 * namespace of its own: this process (the supervisor) creates it, runs the
 * runner again inside it, forwards Ctrl-C, and when the runner ends, however
 * it ends, kills every process left in the namespace and deletes it. Inside
 * (or without root) the runner starts a ZooKeeper (with several masters), the
 * masters and agents as `faultline master` / `faultline agent` processes on
 * their own 127.0.0.x addresses, hosts the scenario's schedulers itself, and
 * applies faults with signals and iptables (or, without root, in the masters'
 * transport). A scenario with a fault that cannot be made real is refused
 * before anything starts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeId } from '../../core/ids.js';
import type { SchedulerMessage } from '../../core/messages.js';
import { EXIT } from '../../core/exit-codes.js';
import { createScenarioRunner, type RunResult, type RunScenario } from '../../chaos/runner/index.js';
import { liveRefusals } from '../../chaos/runner/live-support.js';
import { parseScenarioFile, type Scenario } from '../../chaos/scenario/index.js';
import { liveClusterFactory, type LiveAddresses, type LiveCluster } from '../../live/cluster/live-cluster.js';
import type { Launch } from '../../live/cluster/daemon-process.js';
import type { LiveNetwork } from '../../live/cluster/live-node-control.js';
import type { SchedulerLinkFactory } from '../../live/cluster/runner-schedulers.js';
import { attachNetLab, openNetLab, sweepStaleLabs } from '../../live/lab/index.js';
import { ClientTransport } from '../../live/transport/client-transport.js';
import { createZooKeeperCoordinator, parseZkUrl, removeElectionNodes } from '../../live/zookeeper/index.js';
import { ZOOKEEPER_JAR } from '../../live/zookeeper/server.js';
import { fail, type CliIo } from '../io.js';
import { version } from '../version.js';
import { runCommand, type RunFlags, type RunHooks } from './run.js';

/** The environment variable that tells the runner it already runs inside its lab (the namespace's name). */
export const LAB_ENV = 'FAULTLINE_LAB';

/** Flags of a live run beside `faultline run`'s. */
export interface LiveRunFlags extends RunFlags {
  /** `auto`: iptables in a namespace when root, else the transport; `transport`: never iptables. */
  readonly net: 'auto' | 'transport';
}

/** The runner's own address in a run: its schedulers and their ZooKeeper watch talk from it. */
const RUNNER_IP = '127.0.0.2';

/** The ZooKeeper session of a live run's masters: short, so a dead leader's election node goes quickly (fast profile). */
const LIVE_ZK_SESSION_TIMEOUT_MS = 4_000;

/** How faultline runs itself: the same node, flags and entry script as this process. */
function selfLaunch(): Launch {
  return { command: process.execPath, args: [...process.execArgv, process.argv[1] ?? ''] };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Runs scenarios live; the exit code. */
export async function runLiveCommand(flags: LiveRunFlags, io: CliIo, hooks: RunHooks = {}): Promise<number> {
  if (flags.scenarios.length === 0) return fail(io, { code: 'USAGE', message: 'name at least one scenario file' });
  const inside = process.env[LAB_ENV];
  const supervise = inside === undefined && flags.net === 'auto' && isRoot();
  const refused = await refusalsOf(flags.scenarios);
  if (refused !== null) {
    for (const line of refused) io.stderr.write(`faultline: ${line}\n`);
    return EXIT.usage;
  }
  const zkLess = await needsMissingZooKeeper(flags.scenarios);
  if (zkLess !== null) {
    io.stderr.write(`faultline: ${zkLess}: several masters elect through ZooKeeper, which is not installed (${ZOOKEEPER_JAR}; apt-get install zookeeper)\n`);
    return EXIT.unavailable;
  }
  if (supervise) return superviseInLab(io);
  const network: LiveNetwork =
    inside !== undefined
      ? attachNetLab(inside)
      : { mode: 'transport', why: `${isRoot() ? '--net transport' : 'not root'}: partitions and lossy links are applied in the masters' transport`, drop: async () => ({ ok: true, value: true }), heal: async () => ({ ok: true, value: true }) };
  return runCommand(flags, io, { ...hooks, runScenario: liveRunner(network, io), live: true });
}

/** Every file's refusals (`file: cannot run live: reason`), or null when all can run; a file that does not parse is left to the run's own error. */
async function refusalsOf(files: readonly string[]): Promise<string[] | null> {
  const lines: string[] = [];
  for (const file of files) {
    const parsed = await parseScenarioFile(file);
    if (!parsed.ok) continue;
    for (const reason of liveRefusals(parsed.value)) lines.push(`${file}: cannot run live: ${reason}`);
  }
  return lines.length === 0 ? null : lines;
}

/** A scenario with several masters needs ZooKeeper: the first file that does, when `jar` is not installed. */
export async function needsMissingZooKeeper(files: readonly string[], jar = ZOOKEEPER_JAR): Promise<string | null> {
  if (existsSync(jar)) return null;
  for (const file of files) {
    const parsed = await parseScenarioFile(file);
    if (parsed.ok && parsed.value.cluster.masters > 1) return file;
  }
  return null;
}

/**
 * Creates the namespace, runs this same command inside it, forwards SIGINT
 * and SIGTERM, and removes the namespace with everything in it at the end.
 */
async function superviseInLab(io: CliIo): Promise<number> {
  const swept = await sweepStaleLabs();
  if (swept.length > 0) io.stderr.write(`faultline: removed network namespaces left by killed runs: ${swept.join(', ')}\n`);
  const opened = await openNetLab({ mode: 'iptables' });
  if (!opened.ok) return fail(io, opened.error);
  const lab = opened.value;
  const self = selfLaunch();
  const inner = lab.wrap(self.command, [...self.args, ...process.argv.slice(2)]);
  const child = spawn(inner.command, inner.args, { stdio: 'inherit', detached: true, env: { ...process.env, [LAB_ENV]: lab.namespace ?? '' } });
  const forward = (signal: NodeJS.Signals) => () => {
    try {
      child.kill(signal);
    } catch {
      // gone already
    }
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve) => {
      child.once('error', () => resolve(EXIT.internal));
      child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? EXIT.interrupted : EXIT.internal)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await lab.close();
  }
}

/** Addresses inside a run: ZooKeeper .10, masters .11-.19, agents from .21, the runner .2; free ports on each. */
async function allocateAddresses(scenario: Scenario): Promise<LiveAddresses> {
  const masters = scenario.cluster.masters;
  const agents = scenario.cluster.agents.length;
  if (masters > 9 || agents > 230) throw new Error(`a live run has room for 9 masters and 230 agents (${masters} and ${agents} asked)`);
  const at = async (ip: string) => ({ ip, port: await freePort(ip) });
  return {
    zookeeper: await at('127.0.0.10'),
    runnerIp: RUNNER_IP,
    masters: await Promise.all(Array.from({ length: masters }, (_, i) => at(`127.0.0.${11 + i}`))),
    agents: await Promise.all(Array.from({ length: agents }, (_, i) => at(`127.0.0.${21 + i}`))),
  };
}

function freePort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, ip, () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The scheduler's WebSocket to the masters, from the runner's own address. */
const schedulerLink: SchedulerLinkFactory = ({ node, master, onMessage }) => {
  const transport = new ClientTransport({ master, node, role: 'scheduler', secret: null, localAddress: RUNNER_IP, onMessage });
  transport.start();
  return { send: (message) => transport.send(message as SchedulerMessage), setMaster: (hostPort) => transport.setMaster(hostPort), close: () => transport.close() };
};

/** The runner of one live scenario: its cluster, its directory, its notes; everything stopped before the result is returned. */
function liveRunner(network: LiveNetwork, io: CliIo): RunScenario {
  return async (scenario, file, options = {}) => {
    const dir = mkdtempSync(join(tmpdir(), `faultline-live-${scenario.name}-`));
    const notes: string[] = [];
    const factory = liveClusterFactory({
      launcher: selfLaunch(),
      dir,
      network,
      addresses: await allocateAddresses(scenario),
      schedulerLink,
      coordinator: (zkUrl, deliver) => {
        const url = parseZkUrl(zkUrl);
        if (!url.ok) throw new Error(url.error.message);
        const endpoint = createZooKeeperCoordinator({ url: url.value, addressOf: () => ({ ip: RUNNER_IP, port: 0 }), version, deliver, watchSessionTimeoutMs: LIVE_ZK_SESSION_TIMEOUT_MS, localAddress: RUNNER_IP });
        return { receive: (from: NodeId, message) => endpoint.receive(from, message), close: () => endpoint.close() };
      },
      expireSession: (zkUrl, master) => {
        const url = parseZkUrl(zkUrl);
        if (url.ok) void removeElectionNodes(url.value, master).then((removed) => (removed.ok ? undefined : notes.push(`failover ${master}: ${removed.error.message}`)));
      },
      zkSessionTimeoutMs: LIVE_ZK_SESSION_TIMEOUT_MS,
      note: (line) => notes.push(line),
    });
    let cluster: LiveCluster | null = null;
    let result: RunResult;
    try {
      result = await createScenarioRunner(factory)(scenario, file, {
        ...options,
        onCluster: (built) => {
          cluster = built as LiveCluster;
          options.onCluster?.(built);
        },
        onProgress: (progress) => {
          // The checkers read the history next: what the merger still holds joins it first.
          if (progress.phase === 'checks') cluster?.settle();
          options.onProgress?.(progress);
        },
      });
    } finally {
      await factory.last()?.close();
    }
    const passed = result.verdict === 'pass' && !result.interrupted;
    if (passed) rmSync(dir, { recursive: true, force: true });
    else io.stderr.write(`faultline: ${scenario.name}: the daemons' logs and event logs are kept in ${dir}\n`);
    return { ...result, reproduce: `${result.reproduce} --live`, live: { network: network.why, notes, dir: passed ? null : dir } };
  };
}
