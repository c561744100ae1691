/**
 * What each fault means, in terms of node control: a killed agent is a host
 * crash (the process and its tasks die together), a restarted one is a host
 * reboot after a crash (its checkpoint is gone, it registers as new) or else a
 * process restart (its tasks survive and report to it again), a failover
 * expires the leader's coordinator session (or restarts a lone master), and so
 * on. Both runtimes apply a fault through here, so a fault means the same in
 * the simulation and on real processes. Lifecycle events go through `Lifecycle`,
 * which emits the `node.*` records around each operation.
 */
import { rebootAgentDisk, type AgentDisk } from '../core/agent/index.js';
import { assertNever, err, ok, type Result } from '../core/errors.js';
import type { NodeRole } from '../core/events.js';
import type { Fault } from '../core/faults.js';
import type { NodeId } from '../core/ids.js';
import type { Lifecycle } from './lifecycle.js';
import type { NodeControl } from './node-control.js';

/** What the fault meaning reads and keeps besides node control. */
export interface FaultContext {
  readonly control: NodeControl;
  readonly lifecycle: Lifecycle;
  readonly agentDisks: ReadonlyMap<NodeId, AgentDisk>;
  /** Hosts whose agent was killed (crashed) and not started since: a restart is a reboot. */
  readonly crashedHosts: Set<NodeId>;
}

/** The nodes a network fault names (none for heal). */
function networkNodesOf(fault: Extract<Fault, { kind: 'partition' | 'heal' | 'link' | 'clog' | 'unclog' | 'swizzle-clog' }>): readonly NodeId[] {
  switch (fault.kind) {
    case 'partition':
      return fault.groups.flat();
    case 'link':
      return [...fault.from, ...fault.to];
    case 'heal':
      return [];
    case 'clog':
    case 'unclog':
    case 'swizzle-clog':
      return fault.nodes;
    default:
      return assertNever(fault);
  }
}

/** Checks that a fault's targets exist with the right role (a typed error names the first that does not). */
export function validateFault(fault: Fault, control: NodeControl): Result<true> {
  const known = (node: NodeId, role: NodeRole): Result<true> => (control.role(node) === role ? ok(true) : err('UNKNOWN_TARGET', `no ${role} named "${node}"`, 'target'));
  switch (fault.kind) {
    case 'kill-agent':
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent':
      return known(fault.node, 'agent');
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'resume-master':
    case 'failover':
      return known(fault.node, 'master');
    case 'crash-framework':
    case 'restart-framework':
      return known(fault.node, 'scheduler');
    case 'kill-task':
      return control.taskHost(fault.taskId) === undefined ? err('UNKNOWN_TARGET', `no live task "${fault.taskId}"`, 'target') : ok(true);
    case 'partition':
    case 'heal':
    case 'link':
    case 'clog':
    case 'unclog':
    case 'swizzle-clog': {
      const unknown = networkNodesOf(fault).find((n) => control.role(n) === undefined);
      return unknown === undefined ? ok(true) : err('UNKNOWN_TARGET', `no node named "${unknown}"`, 'target');
    }
    default:
      return assertNever(fault);
  }
}

/** Applies a validated fault now. */
export function applyFault(fault: Fault, context: FaultContext): void {
  const { control, lifecycle } = context;
  switch (fault.kind) {
    case 'kill-agent':
      // A host crash: the agent process and its tasks die together.
      lifecycle.stop(fault.node, 'killed');
      control.crashHostTasks(fault.node);
      context.crashedHosts.add(fault.node);
      return;
    case 'restart-agent': {
      const disk = context.agentDisks.get(fault.node);
      if (context.crashedHosts.delete(fault.node)) {
        // Host reboot: the agent cannot recover its old id and registers as new.
        if (disk) rebootAgentDisk(disk);
      } else {
        // Process restart: tasks survive, the agent recovers its checkpoint.
        lifecycle.stop(fault.node, 'restarted');
      }
      lifecycle.start(fault.node);
      control.reattachTasks(fault.node);
      return;
    }
    case 'pause-agent':
    case 'pause-master':
      lifecycle.pause(fault.node);
      return;
    case 'resume-agent':
    case 'resume-master':
      lifecycle.resume(fault.node);
      return;
    case 'kill-master':
      lifecycle.stop(fault.node, 'killed');
      return;
    case 'restart-master':
      lifecycle.stop(fault.node, 'restarted');
      lifecycle.start(fault.node);
      return;
    case 'failover':
      // With a coordinator the leader's session is expired (it aborts and a standby takes over);
      // with one master, failing over is a restart of that master.
      if (!control.expireSessions(fault.node)) {
        lifecycle.stop(fault.node, 'failover');
        lifecycle.start(fault.node);
      }
      return;
    case 'kill-task':
      control.killTask(fault.taskId, 'killed by an operator');
      return;
    case 'crash-framework':
      lifecycle.stop(fault.node, 'crashed');
      return;
    case 'restart-framework':
      lifecycle.stop(fault.node, 'restarted');
      lifecycle.start(fault.node);
      return;
    case 'partition':
      control.cut(fault.groups, fault.oneWay);
      return;
    case 'heal':
      control.healLinks();
      return;
    case 'link':
      control.degrade(fault.from, fault.to, fault.oneWay, fault.spec);
      return;
    case 'clog':
      control.clog(fault.nodes);
      return;
    case 'unclog':
      control.unclog(fault.nodes);
      return;
    case 'swizzle-clog':
      control.swizzleClog(fault.nodes, fault.stepMs);
      return;
    default:
      assertNever(fault);
  }
}
