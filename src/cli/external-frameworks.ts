/**
 * The host of a scenario's external frameworks for `faultline run`: serves
 * the cluster's Mesos HTTP API on 127.0.0.1 and runs each framework's command
 * with `sh -c` in a process group of its own, with $FAULTLINE_MASTER (the
 * master's host:port) and $FRAMEWORK_NAME in its environment and its output
 * in a log file. Stopping sends SIGTERM to the group, then SIGKILL after a
 * grace, and closes the servers; it is idempotent, so the runner may stop
 * before the checks and again in its `finally`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from '../cluster/index.js';
import type { ExternalFrameworksHost, ExternalFrameworksRun } from '../chaos/runner/index.js';
import type { ExternalFrameworkSpec } from '../chaos/scenario/index.js';

/** The cluster's API, served: the address frameworks are given, and how to stop serving. */
export interface ServedApi {
  /** `host:port` of the master frameworks should subscribe to (they follow 307s to the leader). */
  readonly masterAddress: string;
  close(): Promise<void>;
}

/** Serves a cluster's Mesos HTTP API (src/live/http). */
export type ServeApi = (cluster: Cluster) => Promise<ServedApi>;

/** Options of the host. */
export interface ExternalHostOptions {
  readonly serve: ServeApi;
  /** Time between SIGTERM and SIGKILL; default 2 s. */
  readonly killGraceMs?: number;
  /** Folder for the frameworks' output; default a new temporary folder. */
  readonly logDir?: string;
}

interface Running {
  readonly spec: ExternalFrameworkSpec;
  readonly child: ChildProcess;
  readonly logFile: string;
  exit: string | null;
}

/** Serves the API and runs the frameworks of each run. */
export function externalFrameworksHost(options: ExternalHostOptions): ExternalFrameworksHost {
  return {
    async start(cluster, frameworks) {
      const served = await options.serve(cluster);
      const dir = options.logDir ?? mkdtempSync(join(tmpdir(), 'faultline-frameworks-'));
      const running = frameworks.map((spec) => startFramework(spec, served.masterAddress, dir));
      return externalRun(running, served, options.killGraceMs ?? 2_000);
    },
  };
}

function startFramework(spec: ExternalFrameworkSpec, masterAddress: string, dir: string): Running {
  const logFile = join(dir, `${spec.name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn('sh', ['-c', spec.command], {
    env: { ...process.env, ...spec.env, FAULTLINE_MASTER: masterAddress, FRAMEWORK_NAME: spec.name },
    stdio: ['ignore', fd, fd],
    // Its own process group, so a stop reaches what the command started too.
    detached: true,
  });
  closeSync(fd);
  const entry: Running = { spec, child, logFile, exit: null };
  child.on('exit', (code, signal) => {
    entry.exit = signal !== null ? `killed by ${signal}` : `exited with status ${code}`;
  });
  child.on('error', (error) => {
    entry.exit = `could not start: ${error.message}`;
  });
  return entry;
}

function externalRun(running: readonly Running[], served: ServedApi, killGraceMs: number): ExternalFrameworksRun {
  let stopping: Promise<void> | null = null;
  return {
    notes: () => running.map((r) => `framework ${r.spec.name}: ${r.exit ?? 'running'}; output in ${r.logFile}`),
    stop() {
      stopping ??= (async () => {
        await Promise.all(running.map((r) => stopProcess(r, killGraceMs)));
        await served.close();
      })();
      return stopping;
    },
  };
}

/** SIGTERM to the process group, SIGKILL after the grace; resolves when the process is gone. */
async function stopProcess(entry: Running, killGraceMs: number): Promise<void> {
  const { child } = entry;
  if (child.pid === undefined || entry.exit !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid as number, 'SIGKILL'), killGraceMs);
  await exited;
  clearTimeout(timer);
  // Whatever the command left behind in its group goes too.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}
