/**
 * Node control over real processes: the live runtime's side of the cluster
 * seam (src/cluster/node-control.ts). Masters and agents are `faultline
 * master` / `faultline agent` processes; start spawns one, stop is SIGKILL,
 * pause and resume are SIGSTOP and SIGCONT. Schedulers are core actors in
 * this process (the runner), reached by the masters over the WebSocket
 * transport. Partitions and lossy links are iptables rules in the run's
 * network namespace, or, without root, cuts and loss in the masters'
 * transport through their chaos channel; delay, jitter and duplication are
 * always the transport's (this kernel has no netem; TCP never duplicates). A crashed host's tasks are killed by process
 * group, from the agent's executor checkpoint; a rebooted host starts without
 * its checkpoint, so it registers as a new agent, as in the simulation.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ActorFactory } from '../../core/actor.js';
import type { Result } from '../../core/errors.js';
import type { NodeRole } from '../../core/events.js';
import type { Fault, LinkFaultSpec, NodeGroup } from '../../core/faults.js';
import type { NodeId, TaskId } from '../../core/ids.js';
import type { NodeControl, NodeStatus } from '../../cluster/node-control.js';
import type { ClusterSpec } from '../../cluster/spec.js';
import { AGENT_CHECKPOINT_FILE } from '../agent/file-disk.js';
import { EXECUTOR_CHECKPOINT_FILE } from '../executor/process-executor.js';
import { readExecutorCheckpoint } from '../executor/checkpoint.js';
import { agentArgv, hostPort, masterArgv, type DaemonAddress } from './daemon-argv.js';
import { DaemonProcess, type Launch } from './daemon-process.js';
import { zooKeeperLaunch } from '../zookeeper/server.js';

/** How a live run applies network faults (the lab of src/live/lab satisfies it). */
export interface LiveNetwork {
  readonly mode: 'iptables' | 'transport';
  /** One line for the report: which mechanism and why. */
  readonly why: string;
  drop(from: readonly string[], to: readonly string[], options: { readonly oneWay: boolean; readonly probability?: number }): Promise<Result<true>>;
  heal(): Promise<Result<true>>;
}

/** The schedulers this process hosts. */
export interface SchedulerHosting {
  start(node: NodeId, factory: ActorFactory): void;
  stop(node: NodeId): void;
}

/** What the node control is built with. */
export interface LiveNodeControlOptions {
  readonly spec: ClusterSpec;
  /** How to run faultline itself (the subcommand and its flags are appended). */
  readonly launcher: Launch;
  /** The run's directory: one work dir, log and event logs per node. */
  readonly dir: string;
  /** Where each master and agent listens, by node id. */
  readonly addressOf: (node: NodeId) => DaemonAddress;
  /** The address this process's schedulers connect from. */
  readonly runnerIp: string;
  readonly network: LiveNetwork;
  /** With several masters: the election's zk:// URL and where the coordinator node (the ZooKeeper server) listens; null with one master. */
  readonly zk: { readonly url: string; readonly address: DaemonAddress } | null;
  readonly zkSessionTimeoutMs: number;
  readonly schedulers: SchedulerHosting;
  /** A daemon start writes a new event log here; the cluster follows it. */
  readonly onEventLog: (node: NodeId, path: string) => void;
  /** Where a task runs, as the history has it. */
  readonly taskHost: (taskId: TaskId) => NodeId | undefined;
  /** Expires a master's ZooKeeper session (removes its election node). */
  readonly expireSession?: (master: NodeId) => void;
  /** A fault that could not be carried out as asked: the run's notes. */
  readonly note: (line: string) => void;
}

interface LiveNode {
  readonly role: NodeRole;
  readonly factory: ActorFactory;
  status: NodeStatus;
  readonly process: DaemonProcess | null;
  starts: number;
}

/** The live runtime's node control. */
export class LiveNodeControl implements NodeControl {
  private readonly nodes = new Map<NodeId, LiveNode>();
  private readonly order: NodeId[] = [];
  /** Hosts whose tasks died with them: the next start is a reboot. */
  private readonly crashed = new Set<NodeId>();
  /** Network changes in the order they were asked for (each is a few iptables calls). */
  private network: Promise<void> = Promise.resolve();

  constructor(private readonly options: LiveNodeControlOptions) {
    mkdirSync(join(options.dir, 'events'), { recursive: true });
    mkdirSync(join(options.dir, 'logs'), { recursive: true });
  }

  add(node: NodeId, role: NodeRole, factory: ActorFactory): void {
    const process = role === 'scheduler' ? null : new DaemonProcess(join(this.options.dir, 'logs', `${node}.log`));
    this.nodes.set(node, { role, factory, status: 'stopped', process, starts: 0 });
    this.order.push(node);
  }

  role(node: NodeId): NodeRole | undefined {
    return this.nodes.get(node)?.role;
  }

  status(node: NodeId): NodeStatus | undefined {
    return this.nodes.get(node)?.status;
  }

  nodesWithRole(role: NodeRole): NodeId[] {
    return this.order.filter((n) => this.nodes.get(n)?.role === role);
  }

  /** The pids of the daemons that run (for cleanup checks). */
  pids(): number[] {
    return [...this.nodes.values()].flatMap((n) => {
      const pid = n.process?.pid();
      return pid === null || pid === undefined ? [] : [pid];
    });
  }

  start(node: NodeId): void {
    const entry = this.mustGet(node);
    if (entry.status !== 'stopped') return;
    entry.starts += 1;
    entry.status = 'running';
    if (entry.process === null) {
      this.options.schedulers.start(node, entry.factory);
      return;
    }
    if (entry.role === 'coordinator') {
      this.startZooKeeper(entry.process);
      return;
    }
    const eventLog = join(this.options.dir, 'events', `${node}.${entry.starts}.jsonl`);
    this.options.onEventLog(node, eventLog);
    const argv = entry.role === 'master' ? this.masterArgs(node, eventLog) : this.agentArgs(node, eventLog);
    entry.process.start({ command: this.options.launcher.command, args: [...this.options.launcher.args, ...argv] });
  }

  stop(node: NodeId): void {
    const entry = this.mustGet(node);
    if (entry.status === 'stopped') return;
    entry.status = 'stopped';
    if (entry.process === null) this.options.schedulers.stop(node);
    else void entry.process.kill();
  }

  pause(node: NodeId): void {
    const entry = this.mustGet(node);
    if (entry.status !== 'running' || entry.process === null) return;
    entry.status = 'paused';
    entry.process.signal('SIGSTOP');
  }

  resume(node: NodeId): void {
    const entry = this.mustGet(node);
    if (entry.status !== 'paused' || entry.process === null) return;
    entry.status = 'running';
    entry.process.signal('SIGCONT');
  }

  cut(groups: readonly NodeGroup[], oneWay: boolean): void {
    if (this.options.network.mode === 'transport') {
      if (groups.some((g) => g.some((n) => this.nodes.get(n)?.role === 'coordinator'))) this.options.note('partition: the links to ZooKeeper are not cut without iptables (only the masters\' links to agents and schedulers)');
      this.viaMasters({ kind: 'partition', groups, oneWay });
      return;
    }
    const pairs: Array<[readonly NodeId[], readonly NodeId[]]> = [];
    groups.forEach((a, i) => {
      groups.forEach((b, j) => {
        if (oneWay ? i === 0 && j > 0 : i < j) pairs.push([a, b]);
      });
    });
    for (const [a, b] of pairs) this.drop(a, b, { oneWay });
  }

  healLinks(): void {
    if (this.options.network.mode === 'transport') {
      this.viaMasters({ kind: 'heal' });
      return;
    }
    this.queue(() => this.options.network.heal(), 'heal');
  }

  degrade(from: NodeGroup, to: NodeGroup, oneWay: boolean, spec: LinkFaultSpec): void {
    const loss = spec.loss ?? 0;
    // Delay, jitter and duplication are the masters' transport's (no netem here; TCP never duplicates); loss is iptables' when there is iptables.
    const viaTransport: LinkFaultSpec = {
      ...(spec.delayMs === undefined ? {} : { delayMs: spec.delayMs }),
      ...(spec.jitterMs === undefined ? {} : { jitterMs: spec.jitterMs }),
      ...(spec.duplicate === undefined ? {} : { duplicate: spec.duplicate }),
      ...(this.options.network.mode === 'transport' && loss > 0 ? { loss } : {}),
    };
    if (Object.keys(viaTransport).length > 0) this.viaMasters({ kind: 'link', from, to, oneWay, spec: viaTransport });
    if (loss <= 0 || this.options.network.mode === 'transport') return;
    const all = [...this.order];
    this.drop(from.length === 0 ? all : from, to.length === 0 ? all : to, { oneWay, probability: Math.min(1, loss) });
  }

  clog(nodes: NodeGroup): void {
    this.options.note(`clog ${nodes.join(',')}: not applied live (no real counterpart)`);
  }

  unclog(nodes: NodeGroup): void {
    this.options.note(`unclog ${nodes.join(',')}: not applied live (no real counterpart)`);
  }

  swizzleClog(nodes: NodeGroup): void {
    this.options.note(`swizzle-clog ${nodes.join(',')}: not applied live (no real counterpart)`);
  }

  taskHost(taskId: TaskId): NodeId | undefined {
    return this.options.taskHost(taskId);
  }

  killTask(taskId: TaskId): boolean {
    const host = this.options.taskHost(taskId);
    if (host === undefined) return false;
    const pid = this.taskPids(host).get(taskId);
    if (pid === undefined) return false;
    return killGroup(pid);
  }

  crashHostTasks(host: NodeId): void {
    for (const pid of this.taskPids(host).values()) killGroup(pid);
    this.crashed.add(host);
  }

  reattachTasks(): void {
    // A restarted agent process recovers its tasks from its own checkpoint.
  }

  expireSessions(master: NodeId): boolean {
    if (this.options.zk === null || this.options.expireSession === undefined) return false;
    this.options.expireSession(master);
    return true;
  }

  /** Kills every task of every agent (the end of a run: agents leave their tasks running when they stop). */
  killAllTasks(): void {
    for (const node of this.nodesWithRole('agent')) for (const pid of this.taskPids(node).values()) killGroup(pid);
  }

  /** SIGKILLs every daemon and waits until each is gone. */
  async killAll(): Promise<void> {
    await Promise.all([...this.nodes.values()].map(async (n) => {
      n.process?.signal('SIGCONT');
      await n.process?.kill();
      n.status = 'stopped';
    }));
  }

  /** Settles once every network change asked for so far is applied. */
  settled(): Promise<void> {
    return this.network;
  }

  private masterArgs(node: NodeId, eventLog: string): string[] {
    return masterArgv({ node, listen: this.options.addressOf(node), workDir: this.workDirOf(node), eventLog, timing: this.options.spec.timing.profile, zk: this.options.zk?.url ?? null, zkSessionTimeoutMs: this.options.zkSessionTimeoutMs });
  }

  /** The coordinator node's process: a private ZooKeeper server, its data in the run's directory (kept across a restart). */
  private startZooKeeper(process: DaemonProcess): void {
    const zk = this.options.zk;
    if (zk === null) return;
    const launch = zooKeeperLaunch({ host: zk.address.ip, port: zk.address.port, dir: join(this.options.dir, 'zookeeper') });
    if (!launch.ok) {
      this.options.note(launch.error.message);
      return;
    }
    process.start(launch.value);
  }

  private agentArgs(node: NodeId, eventLog: string): string[] {
    const agent = this.options.spec.agents.find((a) => a.host === node);
    if (agent === undefined) throw new Error(`no agent spec for ${node}`);
    const workDir = this.workDirOf(node);
    // A host reboot: the agent's identity and its executor's checkpoint are gone, so it registers anew.
    if (this.crashed.delete(node)) {
      rmSync(join(workDir, AGENT_CHECKPOINT_FILE), { force: true });
      rmSync(join(workDir, EXECUTOR_CHECKPOINT_FILE), { force: true });
    }
    return agentArgv({ node, listen: this.options.addressOf(node), workDir, eventLog, timing: this.options.spec.timing.profile, master: this.masterUrl(), resources: agent.resources, attributes: agent.attributes });
  }

  /** What agents are given as --master. */
  masterUrl(): string {
    return this.options.zk?.url ?? hostPort(this.options.addressOf('master-1'));
  }

  private workDirOf(node: NodeId): string {
    return join(this.options.dir, 'nodes', node);
  }

  /** Task id -> the pid leading its process group, for the tasks of `host` that have not ended. */
  private taskPids(host: NodeId): Map<TaskId, number> {
    const pids = new Map<TaskId, number>();
    try {
      for (const task of readExecutorCheckpoint(join(this.workDirOf(host), EXECUTOR_CHECKPOINT_FILE)).tasks) {
        if (task.final === null && task.pid !== null) pids.set(task.taskId, task.pid);
      }
    } catch {
      // No checkpoint yet (no task ever ran there), or one being replaced: nothing to kill.
    }
    return pids;
  }

  private ipOf(node: NodeId): string {
    switch (this.nodes.get(node)?.role) {
      case 'master':
      case 'agent':
        return this.options.addressOf(node).ip;
      case 'coordinator':
        return this.options.zk?.address.ip ?? this.options.runnerIp;
      default:
        return this.options.runnerIp;
    }
  }

  private drop(from: readonly NodeId[], to: readonly NodeId[], options: { oneWay: boolean; probability?: number }): void {
    const a = [...new Set(from.map((n) => this.ipOf(n)))];
    const b = [...new Set(to.map((n) => this.ipOf(n)))];
    // Two schedulers share the runner's address: a cut between them is not a network link.
    const bOnly = b.filter((ip) => !a.includes(ip));
    if (a.length === 0 || bOnly.length === 0) return;
    this.queue(() => this.options.network.drop(a, bOnly, options), `drop ${a.join(',')} -> ${bOnly.join(',')}`);
  }

  private queue(op: () => Promise<Result<true>>, what: string): void {
    this.network = this.network.then(async () => {
      const done = await op();
      if (!done.ok) this.options.note(`${what}: ${done.error.message}`);
    });
  }

  /** Every running master applies the partition, link fault or heal to its own links, in its transport. */
  private viaMasters(fault: Fault): void {
    const masters = this.nodesWithRole('master').filter((m) => this.nodes.get(m)?.status === 'running');
    for (const master of masters) {
      const body = JSON.stringify({ type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault } });
      const url = `http://${hostPort(this.options.addressOf(master))}/api/v1`;
      this.network = this.network.then(async () => {
        try {
          const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(2_000) });
          const text = await res.text();
          if (!res.ok) this.options.note(`${fault.kind} on ${master}: HTTP ${res.status} ${text.trim().slice(0, 200)}`);
        } catch (error) {
          this.options.note(`${fault.kind} on ${master}: ${(error as Error).message}`);
        }
      });
    }
  }

  private mustGet(node: NodeId): LiveNode {
    const entry = this.nodes.get(node);
    if (entry === undefined) throw new Error(`unknown node ${node}`);
    return entry;
  }
}

/** SIGKILLs a process group; false when it is gone already. */
function killGroup(pid: number): boolean {
  try {
    process.kill(-pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
