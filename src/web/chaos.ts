/**
 * The fault actions of the page, the TUI's keys (src/tui/fault-keys.ts): kill
 * or restart an agent, kill a task, isolate a node or heal, fail the leader
 * over; each as a core Fault and the question the confirm dialog asks.
 */
import type { Fault } from '../core/faults.js';
import type { WebModel } from './model.js';
import type { PendingFault } from './store.js';

/** The coordinator's node id (src/core/PROTOCOL.md): a master cut off from it loses leadership. */
const COORDINATOR_NODE = 'coordinator';

/** Kill an agent host (the agent and its tasks die). */
export function killAgent(hostname: string): PendingFault {
  return { question: `Kill agent ${hostname}? Its tasks die with it and their frameworks reschedule them.`, fault: { kind: 'kill-agent', node: hostname } };
}

/** Start an agent again. */
export function restartAgent(hostname: string): PendingFault {
  return { question: `Restart agent ${hostname}?`, fault: { kind: 'restart-agent', node: hostname } };
}

/** Kill one task from outside. */
export function killTask(taskId: string, frameworkId: string): PendingFault {
  return { question: `Kill task ${taskId}?`, fault: { kind: 'kill-task', taskId, frameworkId } };
}

/** Cut a node off from every other node the page knows (and a master from the coordinator). */
export function isolateNode(model: WebModel, node: string): PendingFault {
  const others = new Set<string>();
  for (const agent of model.agents.values()) others.add(agent.hostname);
  for (const framework of model.frameworks.values()) if (framework.hostname !== '') others.add(framework.hostname);
  const masters = model.info?.masters.map((m) => m.node) ?? [];
  for (const m of masters) others.add(m);
  if (masters.includes(node)) others.add(COORDINATOR_NODE);
  others.delete(node);
  const fault: Fault = { kind: 'partition', groups: [[node], [...others]], oneWay: false };
  return { question: `Isolate ${node} from the other ${others.size} nodes (a network partition)?`, fault };
}

/** Remove every partition, link fault and clog. */
export function heal(): PendingFault {
  return { question: 'Heal the network (remove every partition, link fault and clog)?', fault: { kind: 'heal' } };
}

/** Fail the leading master over; null when no leader is known. */
export function failover(model: WebModel): PendingFault | null {
  const leader = model.info?.masters.find((m) => m.state === 'leading');
  if (!leader) return null;
  return { question: `Fail over the leading master ${leader.node} (epoch ${leader.epoch ?? '?'})? A standby takes over; this page follows only if it is served by the new leader.`, fault: { kind: 'failover', node: leader.node } };
}
