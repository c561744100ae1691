/**
 * The Mesos agent actor: registers with the leading master (and reregisters
 * with its checkpointed tasks after a restart or after losing the master),
 * answers pings, runs and kills tasks through the injected executor, and turns
 * executor reports into reliable status updates. Every master message is fenced
 * by epoch; anything unexpected is ignored, never thrown on.
 */
import { hexId } from '../ids.js';
import type { Actor, ActorContext, TaskExecutor } from '../actor.js';
import type { AgentCommand } from '../events.js';
import { createDetector, type LeaderSource, type MasterDetector } from '../detector.js';
import type { FrameworkId, NodeId, TaskId } from '../ids.js';
import type { AgentMessage, AgentTaskReport, Attributes, ExecutorMessage, MasterToAgentMessage, Message, TaskReconciliation } from '../messages.js';
import type { Resources } from '../resources.js';
import { isTerminal } from '../task-state.js';
import type { Timing } from '../timing.js';
import { firstRegistrationDelayMs, nextRegistrationBoundMs, registrationRetryDelayMs } from './backoff.js';
import type { AgentDisk } from './disk.js';
import { rebootAgentDisk } from './disk.js';
import { createStatusUpdateManager, type StatusUpdateManager } from './status-updates.js';
import { PingWatchdog } from './ping-watchdog.js';

/** How an agent is built; its host name is `ctx.self`. */
export interface AgentOptions {
  readonly resources: Resources;
  readonly attributes: Attributes;
  readonly timing: Timing;
  readonly leader: LeaderSource;
  readonly executor: TaskExecutor;
  /** The checkpoint the runtime keeps across process restarts. */
  readonly disk: AgentDisk;
}

/** The timer that drives (re)registration attempts. */
export const REGISTER_TIMER = 'register';
/** The timer that declares the master lost when no ping arrives in time. */
export const PING_TIMEOUT_TIMER = 'ping-timeout';

/** Where the agent is in its life: looking for / registering with a master, registered, or shut down by the master. */
type Phase = 'registering' | 'registered' | 'shutdown';

/** The message of the TASK_DROPPED the agent answers a kill of a task it does not know with. */
const UNKNOWN_TASK_MESSAGE = 'task unknown to the agent';

/** The master -> agent message types; a Record so that a new one fails to compile until the agent handles it. */
const MASTER_TO_AGENT: Readonly<Record<MasterToAgentMessage['type'], true>> = {
  'master.agent_registered': true,
  'master.agent_reregistered': true,
  'master.ping': true,
  'master.run_task': true,
  'master.kill_task': true,
  'master.status_update_ack': true,
  'master.shutdown_framework': true,
  'master.shutdown_agent': true,
};

/** Whether a message is one a master sends to agents. */
function isMasterToAgent(message: Message): message is MasterToAgentMessage {
  return Object.hasOwn(MASTER_TO_AGENT, message.type);
}

/** Builds an agent actor bound to its context. */
export function createAgent(ctx: ActorContext, options: AgentOptions): Actor {
  const { timing, executor, disk } = options;
  // Declared first, so they sit together: every ping reads them.
  let phase: Phase = 'registering';
  let detector: MasterDetector | null = null;
  const watchdog = new PingWatchdog(ctx, PING_TIMEOUT_TIMER, timing.agentPingTimeoutMs * timing.maxAgentPingTimeouts);
  const random = (): number => ctx.random();
  /** This process's boot id: a retried register carries the same one (see agent.register). */
  let bootId = '';
  let backoffBoundMs = 0;
  /** The epoch of the master that last (re)registered this agent. */
  let registeredEpoch = 0;
  /** Task ids per framework (tasks on disk and unknown tasks with a pending TASK_DROPPED), for framework shutdown. */
  const tasksByFramework = new Map<FrameworkId, Set<TaskId>>();
  const updates: StatusUpdateManager = createStatusUpdateManager({
    ctx,
    timing,
    streams: disk.updates,
    forward(update) {
      const leader = detector?.leader() ?? null;
      if (leader === null || disk.agentId === null) return;
      ctx.send(leader, { type: 'agent.status_update', agentId: disk.agentId, update });
    },
  });

  const index = (frameworkId: FrameworkId, taskId: TaskId): void => {
    const ids = tasksByFramework.get(frameworkId);
    if (ids) ids.add(taskId);
    else tasksByFramework.set(frameworkId, new Set([taskId]));
  };

  /** Removes a task from the disk and the index; the framework goes with its last task. */
  const forgetTask = (frameworkId: FrameworkId, taskId: TaskId): void => {
    disk.tasks.delete(taskId);
    const ids = tasksByFramework.get(frameworkId);
    if (ids === undefined) return;
    ids.delete(taskId);
    if (ids.size > 0) return;
    tasksByFramework.delete(frameworkId);
    disk.frameworks.delete(frameworkId);
  };

  // --- registration -------------------------------------------------------

  /** Starts (re)registering from a fresh backoff, with whichever leader the detector names at each attempt. */
  const connect = (): void => {
    phase = 'registering';
    updates.pause();
    watchdog.disarm();
    // Mesos waits a random share of the backoff factor first so a herd of agents does not register at one instant.
    backoffBoundMs = Math.min(timing.registrationBackoffMs, timing.registrationBackoffMaxMs);
    ctx.setTimer(REGISTER_TIMER, firstRegistrationDelayMs(timing, random));
  };

  const registrationMessage = (): AgentMessage => {
    const host = ctx.self;
    const { resources, attributes } = options;
    if (disk.agentId === null) return { type: 'agent.register', host, resources, attributes, bootId };
    // Copies: the disk keeps changing while the message is in flight.
    const tasks: AgentTaskReport[] = [];
    for (const entry of disk.tasks.values()) tasks.push({ task: entry.task, frameworkId: entry.frameworkId, state: entry.state });
    return { type: 'agent.reregister', agentId: disk.agentId, host, resources, attributes, tasks, frameworks: [...disk.frameworks.values()] };
  };

  const attemptRegistration = (): void => {
    if (phase !== 'registering') return;
    // A ZooKeeper client re-establishes its watch on every reconnect: ask the coordinator
    // again each attempt, so a watch lost in a partition (or a dead leader) cannot strand us.
    if (options.leader.kind === 'coordinator') detector?.redetect();
    const leader = detector?.leader() ?? null;
    if (leader !== null) ctx.send(leader, registrationMessage());
    backoffBoundMs = nextRegistrationBoundMs(backoffBoundMs, timing);
    ctx.setTimer(REGISTER_TIMER, registrationRetryDelayMs(backoffBoundMs, random));
  };

  const onRegistered = (message: Extract<MasterToAgentMessage, { type: 'master.agent_registered' | 'master.agent_reregistered' }>): void => {
    if (phase !== 'registering') return; // the answer to a retried attempt: already registered
    disk.agentId = message.agentId;
    registeredEpoch = message.epoch;
    phase = 'registered';
    ctx.cancelTimer(REGISTER_TIMER);
    // Armed now too, not only on pings: a master that never pings must still be noticed as lost.
    watchdog.ping();
    updates.resume();
    if (message.type === 'master.agent_reregistered') for (const r of message.reconciliations ?? []) reconcileTasks(r);
  };

  /**
   * The master holds tasks this agent did not report (Mesos `Slave::reconcileTasks`):
   * each one it does not know gets a reliable TASK_DROPPED (TASK_LOST when the
   * framework is not partition-aware), SOURCE_AGENT, REASON_RECONCILIATION.
   */
  const reconcileTasks = (request: TaskReconciliation): void => {
    const agentId = disk.agentId;
    if (agentId === null) return;
    for (const taskId of request.taskIds) {
      if (disk.tasks.has(taskId) || updates.has(taskId)) continue; // known here: its own updates tell the master
      index(request.frameworkId, taskId);
      updates.update({
        taskId,
        frameworkId: request.frameworkId,
        agentId,
        state: request.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST',
        reason: 'REASON_RECONCILIATION',
        source: 'SOURCE_AGENT',
        message: 'Reconciliation: task unknown to the agent',
      });
    }
  };

  /** No ping for agentPingTimeoutMs x maxAgentPingTimeouts: ask who leads, reregister keeping the tasks. */
  const onPingTimeout = (): void => {
    if (phase !== 'registered' || detector === null) return;
    detector.redetect(); // a static source calls back at once and we are registering already
    if (phase === 'registered') connect();
  };

  /**
   * The coordinator named the node we are registered with again, under a newer
   * epoch: that master restarted and won again with empty memory (the detector
   * reports only a change of node), so reregister rather than wait out the pings.
   */
  const onLeaderNotice = (message: Message): void => {
    if (message.type !== 'coordinator.leader' || phase !== 'registered' || detector === null) return;
    const leader = detector.leader();
    if (leader !== null && message.leader === leader && message.epoch === detector.epoch() && message.epoch > registeredEpoch) connect();
  };

  // --- tasks --------------------------------------------------------------

  const runTask = (message: Extract<MasterToAgentMessage, { type: 'master.run_task' }>): void => {
    const { framework, task } = message;
    if (disk.tasks.has(task.taskId)) return; // a duplicated message: never launch twice
    // Already answered as unknown here (TASK_DROPPED on the way): a launch that arrives after that is never run.
    if (updates.has(task.taskId)) return;
    disk.frameworks.set(framework.frameworkId, framework);
    disk.tasks.set(task.taskId, { task, frameworkId: framework.frameworkId, state: 'TASK_STAGING' });
    index(framework.frameworkId, task.taskId);
    executor.launch(task); // last: the executor may report back at once
  };

  const killTask = (frameworkId: FrameworkId, taskId: TaskId): void => {
    const entry = disk.tasks.get(taskId);
    if (entry !== undefined) {
      // A task that already ended has its terminal update on the way; nothing to kill.
      if (!isTerminal(entry.state)) executor.kill(taskId);
      return;
    }
    if (updates.has(taskId) || disk.agentId === null) return; // its TASK_DROPPED is already on the way
    // Never launched here (or long gone): tell the master so it can clean up.
    index(frameworkId, taskId);
    updates.update({
      taskId,
      frameworkId,
      agentId: disk.agentId,
      state: 'TASK_DROPPED',
      reason: 'REASON_TASK_UNKNOWN',
      source: 'SOURCE_AGENT',
      message: UNKNOWN_TASK_MESSAGE,
    });
  };

  /**
   * Kills the framework's tasks and forgets them and their pending updates at
   * once, like Mesos, which drops updates of a terminating framework: the master
   * has already marked those tasks killed, and nobody would acknowledge them.
   */
  const shutdownFramework = (frameworkId: FrameworkId): void => {
    const ids = tasksByFramework.get(frameworkId);
    const toKill: TaskId[] = [];
    if (ids !== undefined) {
      for (const taskId of ids) {
        const entry = disk.tasks.get(taskId);
        if (entry !== undefined && !isTerminal(entry.state)) toKill.push(taskId);
        disk.tasks.delete(taskId);
        updates.drop(taskId);
      }
    }
    tasksByFramework.delete(frameworkId);
    disk.frameworks.delete(frameworkId);
    for (const taskId of toKill) executor.kill(taskId); // after forgetting: a synchronous TASK_KILLED is then ignored
  };

  /** Kills everything and stops for good; wipes the checkpoint so a later start registers as a new agent (Mesos drops its `latest` link). */
  const shutdownAgent = (): void => {
    phase = 'shutdown';
    const toKill: TaskId[] = [];
    for (const [taskId, entry] of disk.tasks) if (!isTerminal(entry.state)) toKill.push(taskId);
    updates.dropAll();
    ctx.cancelTimer(REGISTER_TIMER);
    watchdog.disarm();
    tasksByFramework.clear();
    rebootAgentDisk(disk);
    for (const taskId of toKill) executor.kill(taskId);
  };

  const onExecutorStatus = (message: ExecutorMessage): void => {
    const entry = disk.tasks.get(message.taskId);
    // Unknown (forgotten, or its framework shut down) or already ended: nothing legal can follow.
    if (entry === undefined || isTerminal(entry.state)) return;
    // An executor re-reporting what the agent already knows (after an agent restart) is not news.
    if (entry.state === message.state) return;
    entry.state = message.state;
    updates.update({
      taskId: message.taskId,
      frameworkId: entry.frameworkId,
      agentId: disk.agentId ?? entry.task.agentId,
      state: message.state,
      source: 'SOURCE_EXECUTOR',
      message: message.message,
    });
  };

  const onAck = (taskId: TaskId, uuid: string): void => {
    const acked = updates.acknowledge(taskId, uuid);
    if (acked !== null && isTerminal(acked.state)) forgetTask(acked.frameworkId, taskId);
  };

  // --- dispatch -----------------------------------------------------------

  /** A master command the agent acts on, recorded with its epoch (checked by no-stale-epoch). */
  const accepted = (message: Extract<MasterToAgentMessage, { type: AgentCommand }>): void => {
    ctx.emit({ type: 'agent.accepted', host: ctx.self, command: message.type, epoch: message.epoch });
  };

  /** A master message that passed the epoch fence. */
  const onMaster = (from: NodeId, message: MasterToAgentMessage): void => {
    switch (message.type) {
      case 'master.agent_registered':
      case 'master.agent_reregistered':
        onRegistered(message);
        return;
      case 'master.ping':
        ctx.send(from, { type: 'agent.pong', agentId: message.agentId, epoch: message.epoch });
        if (phase === 'registered') watchdog.ping();
        return;
      case 'master.run_task':
        // Like Mesos: a launch that reaches an agent still (re)registering is dropped;
        // the master reconciles it away (TASK_DROPPED) when the reregistration lands.
        if (phase === 'registered') {
          accepted(message);
          runTask(message);
        }
        return;
      case 'master.kill_task':
        accepted(message);
        killTask(message.frameworkId, message.taskId);
        return;
      case 'master.status_update_ack':
        onAck(message.taskId, message.uuid);
        return;
      case 'master.shutdown_framework':
        accepted(message);
        shutdownFramework(message.frameworkId);
        return;
      case 'master.shutdown_agent':
        accepted(message);
        shutdownAgent();
        return;
      default: {
        // Exhaustive at compile time; at run time an unknown message is ignored, never thrown on.
        const unexpected: never = message;
        return unexpected;
      }
    }
  };

  const receive = (from: NodeId, message: Message): void => {
    if (phase === 'shutdown' || detector === null) return;
    if (detector.receive(from, message)) {
      onLeaderNotice(message);
      return;
    }
    if (isMasterToAgent(message)) {
      if (detector.accept(message.epoch)) onMaster(from, message);
    } else if (message.type === 'executor.status') {
      if (from === ctx.self) onExecutorStatus(message); // executors are local, never remote
    }
    // Anything else is not for an agent (other actors' traffic, a standby's redirect: the detector finds the leader).
  };

  return {
    start() {
      phase = 'registering';
      bootId = hexId(() => ctx.random(), 8);
      tasksByFramework.clear();
      for (const [taskId, entry] of disk.tasks) index(entry.frameworkId, taskId);
      for (const [taskId, stream] of disk.updates) {
        const head = stream[0];
        if (head !== undefined && !disk.tasks.has(taskId)) index(head.frameworkId, taskId);
      }
      updates.pause();
      detector = createDetector(ctx, options.leader, () => {
        if (phase !== 'shutdown') connect();
      });
      detector.start();
      // No leader known yet (coordinator source): keep asking on the registration backoff.
      if (detector.leader() === null) connect();
    },
    receive,
    timer(key) {
      if (phase === 'shutdown') return;
      if (key === REGISTER_TIMER) attemptRegistration();
      else if (key === PING_TIMEOUT_TIMER) {
        if (watchdog.fired()) onPingTimeout();
      } else updates.timer(key);
    },
  };
}
