/**
 * The live cluster: the `Cluster` interface over real processes, for
 * `faultline run --live`. The runtime-independent half is `ClusterCore`, as
 * for the simulation: the same assembly, fault meaning and lifecycle records,
 * so a fault means the same on both runtimes. This class adds the wall clock
 * (advancing is waiting), the processes (LiveNodeControl), a ZooKeeper server
 * when the spec has several masters, and one history merged from every
 * process's event log.
 */
import type { Actor } from '../../core/actor.js';
import { err, ok, type Result } from '../../core/errors.js';
import type { NodeId } from '../../core/ids.js';
import type { Message } from '../../core/messages.js';
import { PrngStreams } from '../../core/prng.js';
import type { Timing } from '../../core/timing.js';
import { ClusterCore, type ClusterFactory } from '../../cluster/cluster.js';
import { CoreBackedCluster } from '../../cluster/core-cluster.js';
import { masterNodes, type ClusterSpec } from '../../cluster/spec.js';
import { EventLogTail } from '../history/index.js';
import { hostPort, type DaemonAddress } from './daemon-argv.js';
import type { Launch } from './daemon-process.js';
import { LiveNodeControl, type LiveNetwork } from './live-node-control.js';
import { epochNowMs, MergedHistoryLog } from './merged-log.js';
import { RunnerSchedulers, type CoordinatorPort, type SchedulerLinkFactory } from './runner-schedulers.js';

/** Addresses of a run's processes, allocated before the cluster is built. */
export interface LiveAddresses {
  readonly zookeeper: DaemonAddress;
  /** This process: its schedulers connect from here. */
  readonly runnerIp: string;
  /** Masters in order (master-1...), then agents in the spec's order. */
  readonly masters: readonly DaemonAddress[];
  readonly agents: readonly DaemonAddress[];
}

/** What a live cluster is built with beside its spec. */
export interface LiveClusterOptions {
  readonly launcher: Launch;
  /** The run's directory (work dirs, logs, event logs, ZooKeeper's data). */
  readonly dir: string;
  readonly network: LiveNetwork;
  readonly addresses: LiveAddresses;
  readonly schedulerLink: SchedulerLinkFactory;
  /** The coordinator stand-in for the schedulers (a ZooKeeper endpoint on `zkUrl`), with several masters. */
  readonly coordinator: (zkUrl: string, deliver: (to: NodeId, message: Message) => void) => CoordinatorPort;
  /** Removes a master's ZooKeeper election node (a `failover` fault). */
  readonly expireSession: (zkUrl: string, master: NodeId) => void;
  readonly zkSessionTimeoutMs: number;
  /** Where a note about a fault not carried out as asked goes. */
  readonly note: (line: string) => void;
}

/** The election path of a live run (never Mesos's /mesos). */
export const LIVE_RUN_ZK_PATH = '/faultline';

/** A running live cluster. */
export class LiveCluster extends CoreBackedCluster {
  readonly clock = 'wall';
  readonly seed: string;
  readonly timing: Timing;
  readonly control: LiveNodeControl;
  protected readonly core: ClusterCore;
  private readonly log: MergedHistoryLog;
  private readonly startEpochMs = epochNowMs();
  private readonly streams: PrngStreams;
  private readonly tails: EventLogTail[] = [];
  private readonly schedulers: RunnerSchedulers;
  private readonly flushTimer: ReturnType<typeof setInterval>;
  private closed = false;

  private constructor(spec: ClusterSpec, options: LiveClusterOptions) {
    super();
    this.seed = spec.seed;
    this.timing = spec.timing;
    this.streams = new PrngStreams(spec.seed);
    const { addresses } = options;
    const zkUrl = spec.masters > 1 ? `zk://${addresses.zookeeper.ip}:${addresses.zookeeper.port}${LIVE_RUN_ZK_PATH}` : null;
    this.log = new MergedHistoryLog(this.startEpochMs);
    const addressOfNode = new Map<NodeId, DaemonAddress>();
    masterNodes(spec.masters).forEach((node, i) => addressOfNode.set(node, addresses.masters[i] as DaemonAddress));
    spec.agents.forEach((agent, i) => addressOfNode.set(agent.host, addresses.agents[i] as DaemonAddress));
    const addressOf = (node: NodeId): DaemonAddress => {
      const address = addressOfNode.get(node);
      if (address === undefined) throw new Error(`no address for ${node}`);
      return address;
    };
    this.schedulers = new RunnerSchedulers({
      emit: (node, event) => this.log.emit(event, node),
      link: options.schedulerLink,
      masterAddress: (master) => hostPort(addressOf(master)),
      coordinator: zkUrl === null ? null : (deliver) => options.coordinator(zkUrl, deliver),
    });
    let core: ClusterCore | null = null;
    this.control = new LiveNodeControl({
      spec,
      launcher: options.launcher,
      dir: options.dir,
      addressOf,
      runnerIp: addresses.runnerIp,
      network: options.network,
      zk: zkUrl === null ? null : { url: zkUrl, address: addresses.zookeeper },
      zkSessionTimeoutMs: options.zkSessionTimeoutMs,
      schedulers: this.schedulers,
      onEventLog: (_node, path) => this.follow(path),
      taskHost: (taskId) => {
        const state = core?.state(0);
        const task = state?.tasks.get(taskId);
        if (task === undefined || task.agentId === null) return undefined;
        return state?.agents.get(task.agentId)?.host;
      },
      ...(zkUrl === null ? {} : { expireSession: (master: NodeId) => options.expireSession(zkUrl, master) }),
      note: options.note,
    });
    this.flushTimer = setInterval(() => this.log.flush(), 25);
    // With several masters the coordinator is a node of the cluster, as in the simulation, so partitions
    // name it; its process is the run's ZooKeeper server (the assembly's actor factory is not used).
    core = new ClusterCore(spec, { control: this.control, log: this.log, executorFor: () => NO_EXECUTOR, coordinatorActor: zkUrl !== null });
    this.core = core;
  }

  /** Builds and starts a live cluster; a bad spec is a typed error. */
  static create(spec: ClusterSpec, options: LiveClusterOptions): Result<LiveCluster> {
    const valid = ClusterCore.validate(spec);
    if (!valid.ok) return valid;
    if (options.addresses.masters.length < spec.masters || options.addresses.agents.length < spec.agents.length) return err('SPEC_INVALID', 'fewer addresses than nodes', 'cluster');
    return ok(new LiveCluster(spec, options));
  }

  now(): number {
    return epochNowMs() - this.startEpochMs;
  }

  /** Waits for the wall clock (the driver asks in chunks of a second, so Ctrl-C is seen promptly). */
  async advanceTo(timeMs: number): Promise<void> {
    const waitMs = timeMs - this.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(waitMs)));
    this.log.flush();
  }

  /** Seeded draws, as in the simulation: which agent "random" picks depends on the seed, not on the machine. */
  randomStream(name: string): () => number {
    const stream = this.streams.get(name);
    return () => stream.next();
  }

  override addFrameworkNode(): Result<true> {
    return err('UNSUPPORTED', 'a live run starts only the scenario\'s own frameworks', 'node');
  }

  actorOf(): Actor | null {
    return null;
  }

  /** The pids of the daemons that run now (ZooKeeper included). */
  pids(): number[] {
    return this.control.pids();
  }

  /** Stops everything: daemons and their tasks, ZooKeeper, the schedulers; then the rest of the logs joins the history. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.schedulers.close();
    this.control.killAllTasks();
    await this.control.killAll();
    this.control.healLinks();
    await this.control.settled();
    for (const tail of this.tails) await tail.stop();
    clearInterval(this.flushTimer);
    this.log.flush(true);
  }

  /** Events of the records still held by the merger become history now (before the checkers read it). */
  settle(): void {
    this.log.flush(true);
  }

  private follow(path: string): void {
    const tail = new EventLogTail({ path, onEntry: (entry) => this.log.pushDaemon(path, entry) });
    tail.start();
    this.tails.push(tail);
  }
}

/** Live agents run their tasks in their own processes: the core assembly's executor is never called here. */
const NO_EXECUTOR = {
  launch: () => {
    throw new Error('a live cluster has no in-process executor');
  },
  kill: () => undefined,
} as never;

/** A factory for the runner (`createScenarioRunner`), which remembers the cluster it built last (to close it). */
export function liveClusterFactory(options: LiveClusterOptions): ClusterFactory & { last(): LiveCluster | null } {
  let last: LiveCluster | null = null;
  const factory: ClusterFactory = (spec) => {
    const created = LiveCluster.create(spec, options);
    if (!created.ok) return created;
    last = created.value;
    return ok(created.value);
  };
  return Object.assign(factory, { last: () => last });
}
