/**
 * Real `faultline master` / `faultline agent` processes for tests, started
 * from source through tsx on free loopback ports. `LiveDaemons.stopAll` (call
 * it in an after hook) SIGKILLs every process it started and every task
 * process group an agent's checkpoint names, so nothing outlives a test, also
 * when it fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'test/helpers/cli-entry.ts');

/** A free TCP port on 127.0.0.1 (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** One started process and what it printed. */
export interface Daemon {
  readonly child: ChildProcess;
  readonly args: readonly string[];
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** Whether the process group `pgid` still has a member. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The task pids (process group leaders) an agent's executor checkpoint names. */
export function checkpointedTaskPids(workDir: string): number[] {
  const path = join(workDir, 'executor.json');
  if (!existsSync(path)) return [];
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as { tasks?: Array<{ pid?: number | null }> };
    return (json.tasks ?? []).map((t) => t.pid).filter((pid): pid is number => typeof pid === 'number');
  } catch {
    return [];
  }
}

/** Starts and always stops real daemons. */
export class LiveDaemons {
  readonly dir = mkdtempSync(join(tmpdir(), 'faultline-live-'));
  private readonly daemons: Daemon[] = [];
  private readonly agentDirs = new Set<string>();
  /** Every task pid ever seen in a checkpoint (the checkpoint forgets ended tasks). */
  private readonly taskPids = new Set<number>();

  /** Runs `faultline <args>` as a process; resolves once `ready` appears in its stdout (or rejects when it exits first). */
  async start(args: readonly string[], ready: RegExp | null, timeoutMs = 20_000, nodeFlags: readonly string[] = []): Promise<Daemon> {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', ENTRY, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')));
    const daemon: Daemon = { child, args, output: () => out, exited };
    this.daemons.push(daemon);
    if (ready === null) return daemon;
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    void exited.then(() => (gone = true));
    while (!ready.test(out)) {
      if (gone) throw new Error(`faultline ${args.join(' ')} exited before ready:\n${out}`);
      if (Date.now() > deadline) throw new Error(`faultline ${args.join(' ')} not ready in ${timeoutMs} ms:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return daemon;
  }

  /** A master on a free port with its own work dir (extra flags appended). */
  async master(extra: readonly string[] = [], port?: number, nodeFlags: readonly string[] = []): Promise<{ daemon: Daemon; port: number; address: string; workDir: string }> {
    const p = port ?? (await freePort());
    const workDir = join(this.dir, `master-${p}`);
    const daemon = await this.start(['master', '--listen', `127.0.0.1:${p}`, '--work-dir', workDir, '--timing', 'fast', ...extra], /listening on/, 20_000, nodeFlags);
    return { daemon, port: p, address: `127.0.0.1:${p}`, workDir };
  }

  /** An agent of `master` on `port` (a free one by default) with its own work dir; `nodeId` passes --node-id. */
  async agent(master: string, options: { port?: number; extra?: readonly string[]; resources?: string; nodeId?: string } = {}): Promise<{ daemon: Daemon; port: number; node: string; workDir: string }> {
    const p = options.port ?? (await freePort());
    const workDir = join(this.dir, `agent-${p}`);
    this.agentDirs.add(workDir);
    const daemon = await this.start(
      ['agent', '--master', master, '--listen', `127.0.0.1:${p}`, '--work-dir', workDir, '--timing', 'fast', '--resources', options.resources ?? 'cpus:4;mem:4096;disk:1000;ports:[31000-31100]', ...(options.nodeId === undefined ? [] : ['--node-id', options.nodeId]), ...(options.extra ?? [])],
      /serving on/,
    );
    return { daemon, port: p, node: options.nodeId ?? `127.0.0.1:${p}`, workDir };
  }

  /** Notes the task pids in every agent checkpoint now (so stopAll can reap them later). */
  noteTasks(): number[] {
    for (const dir of this.agentDirs) for (const pid of checkpointedTaskPids(dir)) this.taskPids.add(pid);
    return [...this.taskPids];
  }

  /** SIGKILLs every daemon and every task process group, then removes the directory. */
  async stopAll(): Promise<void> {
    this.noteTasks();
    for (const d of this.daemons) if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
    await Promise.all(this.daemons.map((d) => Promise.race([d.exited, new Promise((r) => setTimeout(r, 5000))])));
    for (const pid of this.taskPids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls until `condition` holds; throws with `what` and `explain()` after `timeoutMs`. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, explain?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${explain ? `\n${explain()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GETs a JSON document from 127.0.0.1:port. */
export async function getJson(port: number, path: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  return res.json();
}
