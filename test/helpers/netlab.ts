/**
 * For the network lab's root tests: why they skip (not root, no iptables),
 * the namespaces `ip netns list` shows, whether a pid is a live process (a
 * zombie is dead), and a probe process inside a lab (test/fixtures/netlab/probe.mjs)
 * that listens, connects and sends on the lab's 127.0.0.x addresses.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { NetLab } from '../../src/live/lab/index.js';

const PROBE = join(import.meta.dirname, '..', 'fixtures', 'netlab', 'probe.mjs');

function works(command: string, args: string[]): boolean {
  const ran = spawnSync(command, args, { stdio: 'ignore', timeout: 5_000 });
  return ran.status === 0;
}

function skipReason(): string | false {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root: the network lab needs root for ip netns and iptables';
  for (const dir of ['/usr/sbin', '/sbin', '']) {
    if (works(dir === '' ? 'iptables' : `${dir}/iptables`, ['--version'])) return false;
  }
  return 'iptables is not installed (.ci/run installs it with apt-get)';
}

/** False when the lab's root tests can run, else why not (node:test prints it). */
export const netLabSkip: string | false = skipReason();

/** The names `ip netns list` shows now. */
export function netnsNames(): string[] {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 5_000 });
  return (listed.stdout ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

/** Whether a process runs with this pid (a zombie, dead but not yet reaped, counts as dead). */
export function processRuns(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+[ZX]/m.test(status);
  } catch {
    return false;
  }
}

/** Force-deletes a namespace a test created, killing what is in it; for finally hooks. */
export function removeNamespaceHard(name: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8', timeout: 5_000 }).stdout ?? '';
  for (const pid of pids.split('\n').filter((p) => /^\d+$/.test(p.trim()))) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 5_000 });
}

/** A UDP datagram the probe received. */
export interface Datagram {
  readonly host: string;
  readonly msg: string;
}

/** A probe process in a lab; send it commands, read its answers and the datagrams it received. */
export class LabProbe {
  readonly datagrams: Datagram[] = [];
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, (answer: Record<string, unknown>) => void>();
  private nextId = 0;
  private readonly datagramWaiters: Array<() => void> = [];
  private readonly ready: Promise<void>;

  constructor(lab: NetLab) {
    const wrapped = lab.wrap(process.execPath, [PROBE]);
    this.child = spawn(wrapped.command, wrapped.args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let markReady = (): void => {};
    this.ready = new Promise((resolve) => (markReady = resolve));
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      if (message.ready === true) markReady();
      else if (message.udp === true) {
        this.datagrams.push({ host: String(message.host), msg: String(message.msg) });
        for (const wake of this.datagramWaiters.splice(0)) wake();
      } else this.waiting.get(Number(message.id))?.(message);
    });
  }

  /** The probe's pid (the node process itself: `ip netns exec` execs it). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Resolves with how the probe process ended. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve({ code: this.child.exitCode, signal: this.child.signalCode });
    return new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Runs one probe command and returns its answer. */
  async run(command: Record<string, unknown>): Promise<Record<string, unknown>> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin?.write(`${JSON.stringify({ ...command, id })}\n`);
    });
  }

  /** Waits until a datagram with this text has arrived (the test's own timeout bounds it). */
  async datagram(msg: string): Promise<void> {
    while (!this.datagrams.some((d) => d.msg === msg)) await new Promise<void>((resolve) => this.datagramWaiters.push(resolve));
  }

  /** Kills the probe (for finally hooks; lab.close kills it too). */
  kill(): void {
    this.child.kill('SIGKILL');
  }
}
