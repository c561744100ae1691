/**
 * A private ZooKeeper server for tests: Debian's `zookeeper` package started
 * directly (`ZooKeeperServerMain`, no systemd, no zkServer.sh, whose zkEnv.sh
 * pins /etc/zookeeper) on 127.0.0.1 and a free port, with a temporary data dir.
 * `stop` kills it and keeps the data dir so `start` brings the same server
 * back on the same port (ZooKeeper stopped and started again); `close` stops
 * it and removes the dir. Register `close` with `after`/`t.after` so the
 * process is gone also when a test fails; an exit hook kills any server left
 * running by a crashed test file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's server jar; its manifest Class-Path names every dependency. */
export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';

/** Whether the ZooKeeper package is installed (`.ci/run` installs it). */
export function zookeeperInstalled(): boolean {
  return existsSync(ZOOKEEPER_JAR);
}

/**
 * The `skip` option of a ZooKeeper suite: skipped, saying why, where the package is missing on a
 * developer's machine; never under CI (CI=true), where .ci/run installs it and a missing one must fail.
 */
export const zookeeperSkip: string | false =
  zookeeperInstalled() || process.env.CI === 'true' ? false : `Debian's zookeeper is not installed (${ZOOKEEPER_JAR}; .ci/run installs it)`;

/** How a test's ZooKeeper is configured. */
export interface ZooKeeperOptions {
  /** ZooKeeper's tick; sessions are negotiated within [2, 20] ticks. 500 ms allows sessions from 1 s. */
  readonly tickTimeMs?: number;
  /** How long to wait for the server to serve before failing. */
  readonly startTimeoutMs?: number;
}

/** A running (or stopped) private ZooKeeper. */
export interface TestZooKeeper {
  readonly port: number;
  /** `127.0.0.1:PORT`, a client connect string. */
  readonly connectString: string;
  /** Its config and data directory (removed by `close`). */
  readonly dir: string;
  /** The server's process id while it runs. */
  pid(): number | undefined;
  /** Whether the server process is running. */
  running(): boolean;
  /** Kills the server (SIGKILL: a crash; the data dir stays) and waits for the process to exit. */
  stop(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, a silent partition. */
  pause(): void;
  /** Thaws a paused server (SIGCONT). */
  resume(): void;
  /** Starts the stopped server again on the same port and data dir; resolves once it serves. */
  start(): Promise<void>;
  /** Stops the server and removes its directory. Idempotent. */
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test file that crashes before its `after` hooks must not leave a JVM behind.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Sends one four-letter word and returns the whole answer ('' when the server does not answer). */
export function fourLetterWord(port: number, word: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(word));
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts a private ZooKeeper and waits until `srvr` says it serves (Mode: standalone). */
export async function startZooKeeper(options: ZooKeeperOptions = {}): Promise<TestZooKeeper> {
  installExitHook();
  const tickTimeMs = options.tickTimeMs ?? 500;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-zk-'));
  const confDir = join(dir, 'conf');
  const dataDir = join(dir, 'data');
  mkdirSync(confDir);
  mkdirSync(dataDir);
  const port = await freePort();
  const config = join(confDir, 'zoo.cfg');
  writeFileSync(
    config,
    [
      `tickTime=${tickTimeMs}`,
      `dataDir=${dataDir}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      // The 3.5+ AdminServer (Jetty) would otherwise listen on 8080.
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok,srvr,stat,mntr',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | null = null;
  let output = '';
  let closed = false;

  async function start(): Promise<void> {
    if (child !== null) return;
    output = '';
    const started = spawn('java', ['-cp', `${confDir}:${ZOOKEEPER_JAR}`, 'org.apache.zookeeper.server.ZooKeeperServerMain', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    live.add(started);
    const collect = (chunk: Buffer): void => {
      if (output.length < 20_000) output += chunk.toString('utf8');
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    let exited = false;
    started.once('exit', () => {
      exited = true;
      live.delete(started);
      if (child === started) child = null;
    });
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`ZooKeeper exited while starting on port ${port}:\n${output}`);
      if ((await fourLetterWord(port, 'srvr', 500)).includes('Mode: standalone')) return;
      await sleep(100);
    }
    await stop();
    throw new Error(`ZooKeeper did not serve on port ${port} within ${startTimeoutMs} ms:\n${output}`);
  }

  async function stop(): Promise<void> {
    const running = child;
    if (running === null) return;
    child = null;
    if (running.exitCode === null && running.signalCode === null) {
      const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGKILL');
      await gone;
    }
    live.delete(running);
  }

  try {
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    dir,
    pid: () => child?.pid,
    running: () => child !== null,
    pause: () => {
      child?.kill('SIGSTOP');
    },
    resume: () => {
      child?.kill('SIGCONT');
    },
    stop,
    async start() {
      if (closed) throw new Error('this ZooKeeper was closed');
      await start();
    },
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
