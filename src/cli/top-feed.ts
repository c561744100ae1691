/**
 * The TUI's ClusterFeed over a live master (`faultline top`): the operator
 * client's events and polls folded by the operator model into ClusterState.
 * Faults go to FAULTLINE_INJECT_FAULT when the master allows chaos; `l` reads
 * a task's sandbox from its agent when the master says agents serve files.
 * The clock is the master's: never paused, always x1.
 */
import { err, ok } from '../core/errors.js';
import type { Fault } from '../core/faults.js';
import { faultTarget } from '../core/faults.js';
import { OperatorModel } from '../api/operator-model.js';
import type { FaultlineInfo } from '../api/faultline-call.js';
import { fetchTaskOutput, OperatorClient, type MasterKind } from '../live/operator-client/index.js';
import type { MasterEndpoint } from '../live/scheduler-client/endpoint.js';
import { formatEndpoint } from '../live/scheduler-client/endpoint.js';
import type { Timers } from '../live/scheduler-client/timers.js';
import type { ClusterFeed, TaskOutput } from '../tui/index.js';

/** Options of the live feed. */
export interface TopFeedOptions {
  readonly endpoint: MasterEndpoint;
  /** The master named on the command line, asked again for the leader when the current one is gone (default `endpoint`). */
  readonly given?: MasterEndpoint;
  /** Where the leader is now by other means (zk://: the ZooKeeper detector's leader). */
  readonly redetect?: () => MasterEndpoint | null;
  /** The header's words (default `top HOST:PORT` of `endpoint`; a zk:// top names its URL, the leader moves). */
  readonly title?: string;
  readonly master: MasterKind;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
  readonly pollBaseMs?: number;
  readonly retryIntervalMs?: number;
  readonly timers?: Timers;
}

/** The feed plus its lifecycle. */
export interface TopFeed extends ClusterFeed {
  /** Why the fault keys are off, or null when chaos is allowed. */
  readonly readonlyReason: string | null;
  /** The header's words for this cluster (`top 127.0.0.1:5050`). */
  readonly title: string;
  readonly model: OperatorModel;
  readonly client: OperatorClient;
  start(): void;
  stop(): void;
  /** Resolves once the first SUBSCRIBED and the first round of polls after it are in. */
  readonly ready: Promise<void>;
}

/** How often the header's clock and ages move without events. */
const TICK_MS = 1000;

/** Why the fault keys are off on this master, or null. */
export function readonlyReasonOf(master: MasterKind): string | null {
  if (master.kind === 'mesos') return master.reason;
  return master.info.chaos_allowed ? null : master.info.chaos_reason || 'chaos is off on this master';
}

/** Builds the feed; `start()` connects. */
export function createTopFeed(options: TopFeedOptions): TopFeed {
  const { now, endpoint } = options;
  const listeners = new Set<() => void>();
  const model = new OperatorModel({ attachedAtMs: now(), masterName: formatEndpoint(endpoint) });
  const readonlyReason = readonlyReasonOf(options.master);
  let info: FaultlineInfo | null = options.master.kind === 'faultline' ? options.master.info : null;
  const outputs = new Map<string, TaskOutput>();
  let tick: ReturnType<typeof setInterval> | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  if (info !== null) model.setInfo(info, now());

  const client = new OperatorClient({
    master: endpoint,
    ...(options.given === undefined ? {} : { given: options.given }),
    ...(options.redetect === undefined ? {} : { redetect: options.redetect }),
    faultline: options.master.kind === 'faultline',
    ...(options.pollBaseMs === undefined ? {} : { pollBaseMs: options.pollBaseMs }),
    ...(options.retryIntervalMs === undefined ? {} : { retryIntervalMs: options.retryIntervalMs }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    onEvent: (event) => {
      if (model.apply(event, now()) && event.type !== 'HEARTBEAT') changed();
    },
    onAgents: (json) => {
      model.setAgents(json, now());
      changed();
    },
    // Attached once the snapshot and a first round of polls (the master's name, offers) are in, even if a poll failed.
    onPolled: () => {
      if (model.subscribed) markReady();
    },
    onFrameworks: (json) => {
      model.setFrameworks(json, now());
      changed();
    },
    onMaster: (json) => {
      model.setMaster(json);
      changed();
    },
    onInfo: (next) => {
      info = next;
      model.setInfo(next, now());
      changed();
    },
    onNotice: (text) => {
      model.note(text, now());
      changed();
    },
  });

  const fetchOutput = (taskId: string, pid: string): void => {
    void fetchTaskOutput({ pid, taskId, timeoutMs: 5000 }).then((result) => {
      outputs.set(taskId, result.ok ? result.value : { source: `no output: ${result.error.message}`, stdout: [], stderr: [] });
      changed();
    });
  };

  return {
    seed: 'live',
    timingProfile: 'live',
    generation: 0,
    readonlyReason,
    title: options.title ?? `top ${formatEndpoint(endpoint)}`,
    model,
    client,
    ready,
    snapshot: () => model.state(now()),
    events: (sinceSeq, limit) => model.records(sinceSeq, limit),
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    inject(fault: Fault) {
      if (readonlyReason !== null) return err('FAULT_INVALID', `read-only: ${readonlyReason}`);
      const what = `${fault.kind}${faultTarget(fault) ? ` ${faultTarget(fault)}` : ''}`;
      void client.call({ type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault } }).then((answer) => {
        if (!answer.ok) model.note(`fault ${what} refused: ${answer.failure.message}`, now());
        client.pollSoon();
        changed();
      });
      return ok(`sent ${what} to ${formatEndpoint(client.endpoint)} (FAULTLINE_INJECT_FAULT)`);
    },
    clock: {
      paused: () => false,
      speed: () => 1,
      setPaused: () => {},
      setSpeed: () => {},
    },
    writeScenario: () => err('USAGE', 'top watches a live master: there is no scenario to write (faultline up records one)'),
    runScenario: () => err('USAGE', 'top watches a live master: run scenarios with faultline run or faultline up'),
    taskOutput(taskId) {
      const task = model.state(now()).tasks.get(taskId);
      if (!task) return { source: `no task ${taskId}`, stdout: [], stderr: [] };
      if (info !== null && !info.agents_serve_files) return { source: 'no output: this master’s agents serve no files (simulated agents have no sandbox)', stdout: [], stderr: [] };
      const agent = model.agent(task.agentId);
      if (agent === null || agent.pid === '') return { source: `no output: the master gives no address for agent ${task.agentId}`, stdout: [], stderr: [] };
      const known = outputs.get(taskId);
      fetchOutput(taskId, agent.pid);
      return known ?? { source: `reading the sandbox from ${agent.pid}… (press l again)`, stdout: [], stderr: [] };
    },
    start() {
      client.start();
      tick = setInterval(() => {
        model.tick();
        changed();
      }, TICK_MS);
      tick.unref();
    },
    stop() {
      client.stop();
      if (tick !== null) clearInterval(tick);
      tick = null;
    },
  };
}
