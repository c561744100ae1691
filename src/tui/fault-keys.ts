/**
 * The faults behind the fault keys (x K R p i h F): which fault the current
 * selection means, and the question to confirm it with. Pure: the controller
 * asks, and injects on `y`.
 */
import { assertNever, err, ok, type Result } from '../core/errors.js';
import type { Fault } from '../core/faults.js';
import type { AgentView, ClusterState } from '../core/state.js';
import { failoverFault, findAgent, findMaster, isolateFault, killableTask } from './targets.js';
import { resolveIndex } from './actions.js';
import type { KeyCommand } from './keymap.js';
import type { TableCache } from './tables.js';
import type { UiState } from './ui-state.js';
import { isTableView, type TableViewName } from './views.js';

/** The keys that inject a fault. */
export type FaultKeyCommand = Extract<KeyCommand, 'kill-task' | 'kill-node' | 'restart-node' | 'pause-node' | 'isolate-node' | 'heal' | 'failover'>;

/** A fault and the y/n question that guards it. */
export interface FaultProposal {
  readonly fault: Fault;
  readonly prompt: string;
}

/** The id the fault keys act on: the open describe pane's row, else the selected row of the current table view. */
export function targetRow(state: UiState, tables: TableCache): { view: TableViewName; id: string } | null {
  if (state.overlay.kind === 'describe') return { view: state.overlay.view, id: state.overlay.id };
  if (!isTableView(state.view)) return null;
  const table = tables.of(state, state.view);
  const id = table.idAt(resolveIndex(state.selection[state.view], table));
  return id === undefined ? null : { view: state.view, id };
}

/**
 * How a fault names an agent: its host (the simulation's node id), or its
 * agent id when other registered agents share that host, as live agents on
 * one machine do (a live master resolves agent ids to the agent's process).
 */
function agentNode(cluster: ClusterState, agent: AgentView): string {
  let sharing = 0;
  for (const other of cluster.agents.values()) if (other.host === agent.host && other.registry === 'registered') sharing += 1;
  return sharing > 1 ? agent.agentId : agent.host;
}

function nodeFault(command: 'kill-node' | 'restart-node' | 'pause-node' | 'isolate-node', state: UiState, row: { view: TableViewName; id: string } | null): Result<FaultProposal> {
  const cluster = state.cluster;
  if (row?.view === 'agents') {
    const found = findAgent(cluster, row.id);
    if (!found.ok) return found;
    const agent = found.value;
    const node = agentNode(cluster, agent);
    const what = `agent ${agent.host} (${agent.agentId}, ${agent.taskCount} tasks)`;
    switch (command) {
      case 'kill-node':
        return ok({ fault: { kind: 'kill-agent', node }, prompt: `kill ${what}?` });
      case 'restart-node':
        return ok({ fault: { kind: 'restart-agent', node }, prompt: `restart ${what}?` });
      case 'pause-node':
        return agent.state === 'paused'
          ? ok({ fault: { kind: 'resume-agent', node }, prompt: `resume ${what}?` })
          : ok({ fault: { kind: 'pause-agent', node }, prompt: `pause ${what}?` });
      case 'isolate-node': {
        const fault = isolateFault(cluster, node);
        return ok({ fault, prompt: `isolate ${what} from the masters and every other node?` });
      }
      default:
        return assertNever(command, 'command');
    }
  }
  if (row?.view === 'masters') {
    const found = findMaster(cluster, row.id);
    if (!found.ok) return found;
    const master = found.value;
    const what = `master ${master.node} (${master.state})`;
    switch (command) {
      case 'kill-node':
        return ok({ fault: { kind: 'kill-master', node: master.node }, prompt: `kill ${what}?` });
      case 'restart-node':
        return ok({ fault: { kind: 'restart-master', node: master.node }, prompt: `restart ${what}?` });
      case 'pause-node':
        return master.state === 'paused'
          ? ok({ fault: { kind: 'resume-master', node: master.node }, prompt: `resume ${what}?` })
          : ok({ fault: { kind: 'pause-master', node: master.node }, prompt: `pause ${what}?` });
      case 'isolate-node':
        return ok({ fault: isolateFault(cluster, master.node), prompt: `isolate ${what} from every other node and the coordinator?` });
      default:
        return assertNever(command, 'command');
    }
  }
  return err('UNKNOWN_TARGET', 'select an agent first: open Agents (2), or Masters (7) for a master');
}

/** The fault a fault key proposes for the current state, or why it cannot. */
export function proposeFault(command: FaultKeyCommand, state: UiState, tables: TableCache): Result<FaultProposal> {
  const cluster = state.cluster;
  switch (command) {
    case 'kill-task': {
      const row = targetRow(state, tables);
      if (row?.view !== 'tasks') return err('UNKNOWN_TARGET', 'select a task first: open Tasks (4)');
      const task = killableTask(cluster, row.id);
      if (!task.ok) return task;
      const where = task.value.host ?? task.value.agentId;
      return ok({ fault: { kind: 'kill-task', taskId: task.value.taskId, frameworkId: task.value.frameworkId }, prompt: `kill task ${task.value.taskId} on ${where}?` });
    }
    case 'kill-node':
    case 'restart-node':
    case 'pause-node':
    case 'isolate-node':
      return nodeFault(command, state, targetRow(state, tables));
    case 'heal':
      return ok({ fault: { kind: 'heal' }, prompt: 'heal every partition?' });
    case 'failover': {
      const fault = failoverFault(cluster);
      if (!fault.ok) return fault;
      return ok({ fault: fault.value, prompt: `fail over the leading master ${cluster.leader?.node ?? ''}?` });
    }
    default:
      return assertNever(command, 'command');
  }
}
