/**
 * The Overview document: leader and epoch, agents by state, frameworks, task
 * counts by state, resource meters (total, allocated, offered, idle), a
 * sparkline of running tasks, and the last faults. Plain lines; the frame cuts
 * them to the screen.
 */
import type { AgentRegistryState, ClusterState } from '../core/state.js';
import { TASK_STATES } from '../core/task-state.js';
import { formatAmount, formatClock, meter, sparkline, stateWord } from './format.js';
import { eventDetail } from './event-text.js';
import type { UiState } from './ui-state.js';

const LABEL_WIDTH = 11;

function label(text: string): string {
  return text.padEnd(LABEL_WIDTH);
}

function leaderLine(cluster: ClusterState): string {
  const counts = new Map<string, number>();
  for (const m of cluster.masters.values()) counts.set(m.state, (counts.get(m.state) ?? 0) + 1);
  const masters = [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
  const leader = cluster.leader ? `${cluster.leader.node} epoch ${cluster.leader.epoch} (id ${cluster.leader.masterId})` : 'NONE (no leading master)';
  return `${label('Leader')}${leader}   masters: ${masters || 'none'}`;
}

const REGISTRY_STATES: readonly AgentRegistryState[] = ['registered', 'unreachable', 'disconnected', 'removed'];

/** The master's view of the agents, then what the simulation knows that the master does not (yet). */
function agentsLine(cluster: ClusterState): string {
  const registry = new Map<AgentRegistryState, number>();
  const truth = new Map<string, number>();
  for (const a of cluster.agents.values()) {
    registry.set(a.registry, (registry.get(a.registry) ?? 0) + 1);
    if (a.registry !== 'removed' && a.condition !== null && a.condition !== 'up') truth.set(a.condition, (truth.get(a.condition) ?? 0) + 1);
  }
  const byState = REGISTRY_STATES.filter((s) => (registry.get(s) ?? 0) > 0).map((s) => `${registry.get(s) ?? 0} ${s}`);
  const actually = [...truth].map(([c, n]) => `${n} ${c}`).join(', ');
  return `${label('Agents')}${cluster.agents.size}${byState.length > 0 ? `: ${byState.join(', ')}` : ''}${actually === '' ? '' : ` (actually: ${actually})`}`;
}

function frameworksLine(cluster: ClusterState): string {
  const items = [...cluster.frameworks.values()].map((f) => `${f.name} ${f.state} ${f.activeTasks}`);
  return `${label('Frameworks')}${items.length > 0 ? items.join(' | ') : 'none'}`;
}

function tasksLine(cluster: ClusterState): string {
  const items = TASK_STATES.filter((s) => cluster.counts.tasksByState[s] > 0).map((s) => `${cluster.counts.tasksByState[s]} ${stateWord(s)}`);
  return `${label('Tasks')}${items.length > 0 ? items.join(', ') : 'none'}`;
}

function resourceLines(cluster: ClusterState, width: number): string[] {
  const { total, used, offered } = cluster.counts;
  const rows: Array<[string, number, number, number]> = [
    ['cpus', total.cpus, used.cpus, offered.cpus],
    ['mem', total.mem, used.mem, offered.mem],
  ];
  if (total.disk > 0) rows.push(['disk', total.disk, used.disk, offered.disk]);
  if (total.gpus > 0) rows.push(['gpus', total.gpus, used.gpus, offered.gpus]);
  const numberWidth = Math.max(5, ...rows.map(([, t]) => formatAmount(t).length));
  const figures = (values: number[]): string => values.map((v) => formatAmount(v).padStart(numberWidth)).join(' ');
  const barWidth = Math.max(6, Math.min(40, width - LABEL_WIDTH - 4 * (numberWidth + 1) - 1));
  const header = `${label('Resources')}${' '.repeat(barWidth)} ${['total', 'alloc', 'offer', 'idle'].map((h) => h.padStart(numberWidth)).join(' ')}`;
  const lines = [header];
  for (const [name, t, u, o] of rows) {
    const idle = Math.max(0, t - u - o);
    lines.push(`${label(`  ${name}`)}${meter({ used: u, offered: o, total: t, width: barWidth })} ${figures([t, u, o, idle])}`);
  }
  lines.push(`${label('')}# allocated  + offered  . idle`);
  return lines;
}

/** The overview's lines for a screen `width` wide. */
export function overviewLines(state: UiState, width: number): string[] {
  const cluster = state.cluster;
  const ascii = state.noColor;
  const running = cluster.counts.tasksByState.TASK_RUNNING;
  const sparkWidth = Math.max(0, width - LABEL_WIDTH - String(running).length - 1);
  const lines = [
    leaderLine(cluster),
    agentsLine(cluster),
    frameworksLine(cluster),
    tasksLine(cluster),
    ...resourceLines(cluster, width),
    `${label('Running')}${sparkline(state.samples, sparkWidth, ascii)} ${running}`,
    'Last faults',
  ];
  if (state.lastFaults.length === 0) lines.push(state.replay !== null ? '  none yet at this point of the replay (] jumps to the next fault)' : state.readonly ? '  none yet' : '  none yet (x K R p i h F, or :help)');
  for (const record of [...state.lastFaults].reverse()) lines.push(`  ${formatClock(record.atMs)}  ${eventDetail(record)}`);
  return lines;
}
