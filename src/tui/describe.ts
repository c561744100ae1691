/**
 * The describe pane (enter): everything about one row. A task shows its status
 * history with reasons; an agent shows its resources and its tasks. The pane
 * reads the live snapshot, so it updates while open, and says so when the row
 * has gone.
 */
import { assertNever } from '../core/errors.js';
import type { ClusterState, TaskView } from '../core/state.js';
import { isTerminal } from '../core/task-state.js';
import { eventDetail } from './event-text.js';
import { formatAge, formatAmount, formatClock, formatResourcesShort, formatSpan, reasonWord, stateWord } from './format.js';
import type { UiState } from './ui-state.js';
import type { TableViewName } from './views.js';

/** A pane: its title and lines. */
export interface Pane {
  readonly title: string;
  readonly lines: readonly string[];
}

function field(name: string, value: string): string {
  return `${name.padEnd(14)}${value}`;
}

function describeTask(cluster: ClusterState, id: string): Pane {
  const task = cluster.tasks.get(id);
  if (!task) return { title: `Task ${id}`, lines: ['(gone from the cluster)'] };
  const framework = cluster.frameworks.get(task.frameworkId);
  const lines = [
    field('state', `${stateWord(task.state)}  reason ${reasonWord(task.reason)}`),
    field('name', task.name),
    field('framework', `${framework?.name ?? '?'} (${task.frameworkId})`),
    field('agent', `${task.host ?? '?'} (${task.agentId})`),
    field('resources', formatResourcesShort(task.resources)),
    field('launched', `${formatClock(task.launchedAtMs)} (${formatAge(cluster.nowMs - task.launchedAtMs)} ago)`),
    field('updated', formatClock(task.updatedAtMs)),
    '',
    `Status history (${task.history.length})`,
  ];
  for (const h of task.history) {
    lines.push(`  ${formatClock(h.atMs)}  ${stateWord(h.state).padEnd(11)} ${reasonWord(h.reason)}${h.message ? `  ${h.message}` : ''}`);
  }
  return { title: `Task ${id}`, lines };
}

/** Tasks listed in a pane (the rest counted): an agent's or a framework's, active first. */
const PANE_TASKS = 200;

/** The tasks matching `which`, active before completed, each with its state, the other side (agent or framework) and resources. */
function taskList(cluster: ClusterState, which: (t: TaskView) => boolean, other: 'agent' | 'framework'): string[] {
  // A scan of every task, but only while the pane is open and only at the refresh rate.
  const tasks = [...cluster.tasks.values()].filter(which);
  tasks.sort((a, b) => Number(isTerminal(a.state)) - Number(isTerminal(b.state)));
  const lines = [`Tasks (${tasks.length}: ${tasks.filter((t) => !isTerminal(t.state)).length} active)`];
  for (const t of tasks.slice(0, PANE_TASKS)) {
    const where = other === 'agent' ? (t.host ?? t.agentId) : (cluster.frameworks.get(t.frameworkId)?.name ?? t.frameworkId);
    lines.push(`  ${t.taskId.padEnd(24)} ${stateWord(t.state).padEnd(11)} ${where.padEnd(12)} ${formatResourcesShort(t.resources)}`);
  }
  if (tasks.length > PANE_TASKS) lines.push(`  ... and ${tasks.length - PANE_TASKS} more (the Tasks view filters: /${other === 'agent' ? 'name' : 'host'})`);
  return lines;
}

function describeAgent(cluster: ClusterState, id: string): Pane {
  const agent = cluster.agents.get(id);
  if (!agent) return { title: `Agent ${id}`, lines: ['(gone from the cluster)'] };
  const free = {
    cpus: Math.max(0, agent.resources.cpus - agent.used.cpus - agent.offered.cpus),
    mem: Math.max(0, agent.resources.mem - agent.used.mem - agent.offered.mem),
  };
  const lines = [
    field('state', `${agent.registry} (the master's view)`),
    field('actually', agent.condition === null ? 'unknown (the runtime does not say)' : `${agent.condition} (the simulation's ground truth)`),
    field('host', agent.host),
    field('registered', formatClock(agent.registeredAtMs)),
    field('unreachable', agent.unreachableSinceMs === null ? '-' : `since ${formatClock(agent.unreachableSinceMs)}`),
    field('total', formatResourcesShort(agent.resources)),
    field('used', formatResourcesShort(agent.used)),
    field('offered', formatResourcesShort(agent.offered)),
    field('idle', `cpus ${formatAmount(free.cpus)} mem ${formatAmount(free.mem)}`),
    field('attributes', Object.entries(agent.attributes).map(([k, v]) => `${k}:${v}`).join(' ') || '-'),
    '',
  ];
  lines.push(...taskList(cluster, (t) => t.agentId === id, 'framework'));
  return { title: `Agent ${agent.host} (${id})`, lines };
}

function describeFramework(cluster: ClusterState, id: string): Pane {
  const f = cluster.frameworks.get(id);
  if (!f) return { title: `Framework ${id}`, lines: ['(gone from the cluster)'] };
  const byState = new Map<string, number>();
  for (const t of cluster.tasks.values()) if (t.frameworkId === id) byState.set(t.state, (byState.get(t.state) ?? 0) + 1);
  return {
    title: `Framework ${f.name} (${id})`,
    lines: [
      field('state', f.state),
      field('node', f.node),
      field('roles', f.roles.join(', ') || '-'),
      field('partition', f.partitionAware ? 'PARTITION_AWARE' : 'not partition-aware (sees TASK_LOST)'),
      field('failover', formatSpan(f.failoverTimeoutMs)),
      field('subscribed', formatClock(f.subscribedAtMs)),
      // Why and when the master disconnected it (a closed connection, or 3 silent heartbeat intervals), until it resubscribes.
      ...(f.disconnectedAtMs === null ? [] : [field('disconnected', `${formatClock(f.disconnectedAtMs)}: ${f.disconnectReason ?? 'no reason recorded'}`)]),
      field('active tasks', String(f.activeTasks)),
      field('used', formatResourcesShort(f.used)),
      field('offered', formatResourcesShort(f.offered)),
      field('tasks', [...byState].map(([s, n]) => `${n} ${stateWord(s)}`).join(', ') || 'none'),
      '',
      ...taskList(cluster, (t) => t.frameworkId === id, 'agent'),
    ],
  };
}

function describeOffer(cluster: ClusterState, id: string): Pane {
  const o = cluster.offers.get(id);
  if (!o) return { title: `Offer ${id}`, lines: ['(gone: accepted, declined or rescinded)'] };
  return {
    title: `Offer ${id}`,
    lines: [
      field('framework', `${cluster.frameworks.get(o.frameworkId)?.name ?? '?'} (${o.frameworkId})`),
      field('agent', `${cluster.agents.get(o.agentId)?.host ?? '?'} (${o.agentId})`),
      field('resources', formatResourcesShort(o.resources)),
      field('created', `${formatClock(o.createdAtMs)} (${formatAge(cluster.nowMs - o.createdAtMs)} ago)`),
    ],
  };
}

function describeEvent(state: UiState, id: string): Pane {
  const seq = Number(id);
  const record = state.events.find((e) => e.seq === seq);
  if (!record) return { title: `Event ${id}`, lines: ['(scrolled out of the buffer)'] };
  const lines = [field('time', formatClock(record.atMs)), field('type', record.type), field('detail', eventDetail(record)), ''];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'seq' || key === 'atMs' || key === 'type') continue;
    lines.push(field(key, typeof value === 'string' ? value : JSON.stringify(value)));
  }
  return { title: `Event ${id}`, lines };
}

function describeMaster(cluster: ClusterState, id: string): Pane {
  const m = cluster.masters.get(id);
  if (!m) return { title: `Master ${id}`, lines: ['(gone from the cluster)'] };
  return {
    title: `Master ${id}`,
    lines: [
      field('state', m.state),
      field('master id', m.masterId ?? '-'),
      field('epoch', m.epoch === null ? '-' : String(m.epoch)),
      field('elected', m.electedAtMs === null ? '-' : formatClock(m.electedAtMs)),
      field('leader', cluster.leader?.node === id ? 'yes' : 'no'),
    ],
  };
}

/** The describe pane of a row. */
export function describePane(state: UiState, view: TableViewName, id: string): Pane {
  const cluster = state.cluster;
  switch (view) {
    case 'tasks':
      return describeTask(cluster, id);
    case 'agents':
      return describeAgent(cluster, id);
    case 'frameworks':
      return describeFramework(cluster, id);
    case 'offers':
      return describeOffer(cluster, id);
    case 'events':
      return describeEvent(state, id);
    case 'masters':
      return describeMaster(cluster, id);
    default:
      return assertNever(view, 'view');
  }
}
