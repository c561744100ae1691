/**
 * The Mesos master as an actor. Leadership is isolated in becomeLeader/stepDown
 * (one master leads from start() at epoch 1; master HA drives them from an
 * election). Messages and timers are dispatched to the handler modules; a
 * master that does not lead ignores everything.
 */
import type { ActorContext } from '../actor.js';
import { assert, assertNever } from '../errors.js';
import { hexId, type AgentId, type FrameworkId, type NodeId } from '../ids.js';
import type { Message, SchedulerMessage } from '../messages.js';
import { afterWrite, emptyMemory, sendError, sendToFramework, type MasterCore } from './core.js';
import { cancelFirstPingTimers, FIRST_PING_TIMER_KIND, HEALTH_CHECK_TIMER, onFirstPingTimer, onHealthCheck, onPong, registerAgent } from './agents.js';
import { disconnect, frameworkTimer, onFailoverTimer, onHeartbeatTimer, onSilenceTimer, removeFramework, subscribe } from './frameworks.js';
import { inspectMaster } from './inspect.js';
import { acceptOffers } from './launch.js';
import { declineOffers, runAllocation } from './offers.js';
import { onReconcile } from './reconcile.js';
import { committing, createInMemoryRegistry } from './registry.js';
import { reregisterAgent } from './reregister.js';
import { onAcknowledge, onKill, onStatusUpdate } from './status.js';
import type { FrameworkRecord, MasterActor, MasterOptions } from './types.js';

const ALLOCATION_TIMER = 'allocate';
/** After a failover: how long recovered agents have to reregister (`--agent_reregister_timeout`). */
const REREGISTER_TIMER = 'reregister-timeout';

/** Builds a master bound to its context. */
export function createMaster(ctx: ActorContext, options: MasterOptions): MasterActor {
  let recovering = false;
  /** Set while recovered agents are still expected to reregister after a failover. */
  let failover: { readonly startedMs: number; readonly recoveredTotal: number } | null = null;
  const core: MasterCore = {
    ctx,
    timing: options.timing,
    allocator: options.allocator,
    registry: committing(ctx, options.registry ?? createInMemoryRegistry(), () => core.epoch),
    limits: {
      completedTasksPerFramework: options.maxCompletedTasksPerFramework ?? 1000,
      completedFrameworks: options.maxCompletedFrameworks ?? 50,
    },
    leading: false,
    epoch: 0,
    masterId: '',
    term: 0,
    abort: (reason) => stepDown(reason),
    mem: emptyMemory(),
  };

  function becomeLeader(epoch: number): void {
    assert(!core.leading && !recovering, 'becomeLeader while already leading');
    core.term += 1;
    const term = core.term;
    core.epoch = epoch;
    core.masterId = hexId(() => ctx.random());
    core.mem = emptyMemory();
    recovering = true;
    core.registry.recover((outcome) => {
      if (core.term !== term) return;
      recovering = false;
      if (!outcome.ok) {
        ctx.emit({ type: 'master.deposed', node: ctx.self, epoch, reason: `registry recovery failed: ${outcome.reason}` });
        return;
      }
      core.leading = true;
      core.mem.nextAgent = outcome.value.nextAgentNumber;
      let inRegistry = 0;
      const unreachableAgentIds: AgentId[] = [];
      for (const agent of outcome.value.agents) {
        if (agent.state === 'gone') continue;
        inRegistry += 1;
        // Unreachable ones stay unreachable until they reregister; admitted ones are "recovered" until then.
        if (agent.state === 'admitted') core.mem.recovered.set(agent.agentId, agent.host);
        else unreachableAgentIds.push(agent.agentId);
      }
      for (const [role, weight] of Object.entries(options.weights ?? {})) core.allocator.setWeight(role, weight);
      ctx.emit({ type: 'master.elected', node: ctx.self, masterId: core.masterId, epoch });
      // The unreachable ones are listed: the leader that marked one may have been deposed before it saw the
      // commit, and then nothing in the history says so (fuzz seed 516).
      if (inRegistry > 0) ctx.emit({ type: 'master.recovered', node: ctx.self, epoch, agentsInRegistry: inRegistry, unreachableAgentIds });
      if (core.mem.recovered.size > 0) {
        failover = { startedMs: ctx.now(), recoveredTotal: core.mem.recovered.size };
        ctx.setTimer(REREGISTER_TIMER, core.timing.agentReregisterTimeoutMs);
      }
      ctx.setTimer(ALLOCATION_TIMER, core.timing.allocationIntervalMs);
      ctx.setTimer(HEALTH_CHECK_TIMER, core.timing.agentPingTimeoutMs);
    });
  }

  function stepDown(reason: string): void {
    if (!core.leading && !recovering) return;
    core.term += 1;
    core.leading = false;
    recovering = false;
    failover = null;
    ctx.cancelTimer(ALLOCATION_TIMER);
    ctx.cancelTimer(REREGISTER_TIMER);
    ctx.cancelTimer(HEALTH_CHECK_TIMER);
    cancelFirstPingTimers(core);
    for (const frameworkId of core.mem.frameworks.keys()) {
      for (const key of Object.values(frameworkTimer)) ctx.cancelTimer(key(frameworkId));
    }
    // Like Mesos, a deposed master keeps nothing but the registry; it must be rebuilt (new allocator) to lead again.
    core.mem = emptyMemory();
    ctx.emit({ type: 'master.deposed', node: ctx.self, epoch: core.epoch, reason });
  }

  /**
   * The framework a scheduler call is about, if `from` may make it. ERROR is
   * fatal to a scheduler (Mesos: "the subscriber should exit"), so it is sent
   * only when the framework is really gone (removed, or failed over to another
   * scheduler). A call from a framework this master does not know yet (after a
   * master failover) or one that is disconnected is dropped: the scheduler
   * resubscribes when it misses the heartbeats, and keeps its framework id.
   */
  function callerFramework(from: NodeId, frameworkId: FrameworkId): FrameworkRecord | null {
    const framework = core.mem.frameworks.get(frameworkId);
    if (!framework) {
      if (core.mem.completedFrameworks.has(frameworkId)) sendError(core, from, `framework ${frameworkId} has been removed`);
      return null;
    }
    if (framework.node !== from) {
      sendError(core, from, `framework ${frameworkId} is subscribed from ${framework.node}`);
      return null;
    }
    if (framework.state !== 'active') return null;
    framework.lastHeardMs = ctx.now(); // any call is a sign of life
    return framework;
  }

  function onSchedulerCall(from: NodeId, message: Exclude<SchedulerMessage, { type: 'scheduler.subscribe' }>): void {
    const framework = callerFramework(from, message.frameworkId);
    if (!framework) return;
    switch (message.type) {
      case 'scheduler.accept':
        acceptOffers(core, framework, message);
        return;
      case 'scheduler.decline':
        declineOffers(core, framework, message.offerIds, message.refuseMs);
        return;
      case 'scheduler.revive':
        // As in Mesos (`Master::revive`), outstanding offers stay: the framework may be accepting one right
        // now (its REVIVE crossed the offers on the wire). Offers that were really lost come back through
        // the offer timeout (expireOffers).
        core.allocator.revive(framework.frameworkId);
        ctx.emit({ type: 'framework.revived', frameworkId: framework.frameworkId, epoch: core.epoch });
        return;
      case 'scheduler.suppress':
        core.allocator.suppress(framework.frameworkId);
        ctx.emit({ type: 'framework.suppressed', frameworkId: framework.frameworkId, epoch: core.epoch });
        return;
      case 'scheduler.kill':
        onKill(core, framework, message);
        return;
      case 'scheduler.acknowledge':
        onAcknowledge(core, framework, message);
        return;
      case 'scheduler.reconcile':
        onReconcile(core, framework, message.tasks);
        return;
      case 'scheduler.teardown':
        removeFramework(core, framework, 'teardown');
        return;
      case 'scheduler.heartbeat':
        return;
      case 'scheduler.disconnected':
        disconnect(core, framework, message.reason);
        return;
      default:
        assertNever(message, 'scheduler call');
    }
  }

  /** The failover is complete once every recovered agent has reregistered (or been timed out). */
  function checkFailoverCompleted(): void {
    if (failover === null || core.mem.recovered.size > 0) return;
    ctx.cancelTimer(REREGISTER_TIMER);
    ctx.emit({ type: 'master.failover_completed', node: ctx.self, epoch: core.epoch, durationMs: ctx.now() - failover.startedMs });
    failover = null;
  }

  /**
   * Recovered agents that did not reregister in time are marked unreachable
   * (registry first); if that would be more than the removal limit allows, the
   * master steps down instead (Mesos `Master::recoveredSlavesTimeout`).
   */
  function onReregisterTimeout(): void {
    if (failover === null) return;
    const missing = [...core.mem.recovered];
    if (missing.length / failover.recoveredTotal > core.timing.recoveryAgentRemovalLimit) {
      stepDown(`${missing.length} of ${failover.recoveredTotal} agents did not reregister (over the recovery removal limit)`);
      return;
    }
    const atMs = ctx.now();
    core.registry.write(
      missing.map(([agentId]) => ({ op: 'mark_unreachable', agentId, atMs })),
      afterWrite(core, 'mark recovered agents unreachable', () => {
        for (const [agentId, host] of missing) {
          if (!core.mem.recovered.delete(agentId)) continue; // it reregistered meanwhile
          ctx.emit({ type: 'agent.unreachable', agentId, host, epoch: core.epoch });
          // The master knows none of its tasks, but every framework hears the agent is lost (Mesos `slaveLost`).
          for (const framework of core.mem.frameworks.values()) sendToFramework(core, framework, { type: 'master.failure', epoch: core.epoch, agentId });
        }
        checkFailoverCompleted();
      }),
    );
  }

  function receive(from: NodeId, message: Message): void {
    if (!core.leading) return; // a standby (master HA answers with redirects)
    dispatch(from, message);
    if (failover !== null) checkFailoverCompleted();
  }

  function dispatch(from: NodeId, message: Message): void {
    switch (message.type) {
      case 'agent.register':
        registerAgent(core, from, message);
        return;
      case 'agent.reregister':
        reregisterAgent(core, from, message);
        return;
      case 'agent.pong':
        onPong(core, from, message.agentId, message.epoch);
        return;
      case 'agent.status_update':
        onStatusUpdate(core, from, message.agentId, message.update);
        return;
      case 'scheduler.subscribe':
        subscribe(core, from, message.framework);
        return;
      case 'scheduler.accept':
      case 'scheduler.decline':
      case 'scheduler.revive':
      case 'scheduler.suppress':
      case 'scheduler.kill':
      case 'scheduler.acknowledge':
      case 'scheduler.reconcile':
      case 'scheduler.teardown':
      case 'scheduler.heartbeat':
      case 'scheduler.disconnected':
        onSchedulerCall(from, message);
        return;
      default:
        // Not for a master (another master's, an executor's, coordinator traffic outside HA):
        // a bug or a misrouted message, so it goes into the history instead of vanishing.
        ctx.emit({ type: 'master.unhandled', node: ctx.self, from, message: message.type });
        return;
    }
  }

  function timer(key: string): void {
    if (!core.leading) return;
    if (key === ALLOCATION_TIMER) {
      ctx.setTimer(ALLOCATION_TIMER, core.timing.allocationIntervalMs);
      runAllocation(core);
      return;
    }
    if (key === HEALTH_CHECK_TIMER) {
      ctx.setTimer(HEALTH_CHECK_TIMER, core.timing.agentPingTimeoutMs);
      onHealthCheck(core);
      return;
    }
    if (key === REREGISTER_TIMER) {
      onReregisterTimeout();
      return;
    }
    const colon = key.indexOf(':');
    const kind = key.slice(0, colon);
    const id = key.slice(colon + 1);
    if (kind === 'heartbeat') onHeartbeatTimer(core, id);
    else if (kind === 'silence') onSilenceTimer(core, id);
    else if (kind === 'failover') onFailoverTimer(core, id);
    else if (kind === FIRST_PING_TIMER_KIND) onFirstPingTimer(core, id);
  }

  return {
    start() {
      if ((options.leadership ?? 'static') === 'static') becomeLeader(1);
    },
    receive,
    timer,
    becomeLeader,
    stepDown,
    status: () => (core.leading ? 'leading' : recovering ? 'recovering' : 'standby'),
    inspect: () => inspectMaster(core),
  };
}
