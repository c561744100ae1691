/** The Agents view: every agent with its state in words, resources, running tasks and fault actions. */
import { useMemo, type ReactNode } from 'react';
import { AgentState } from '../badge.js';
import { isolateNode, killAgent, restartAgent } from '../chaos.js';
import { useWeb, useWebStore } from '../context.js';
import type { AgentRow } from '../model.js';
import { naturalCompare, useThrottled } from '../sorting.js';
import { nextSort, VirtualTable, type Column } from '../virtual-table.js';
import { ChaosBar } from './chaos-bar.js';

/** The agents page. */
export function Agents(): ReactNode {
  const version = useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const filter = useWeb((s) => s.agentFilter);
  const sort = useWeb((s) => s.agentSort);
  const chaos = useWeb((s) => s.chaos.allowed);
  const store = useWebStore();
  const listVersion = useThrottled(version, 1000);
  const runningByAgent = useMemo(() => {
    const out = new Map<string, number>();
    for (const t of model.tasks.values()) if (t.state === 'TASK_RUNNING') out.set(t.agentId, (out.get(t.agentId) ?? 0) + 1);
    return out;
    // listVersion: the model is mutable; the store bumps the version when the data changed.
  }, [model, listVersion]);
  // Re-sort at most once a second; the rows are live objects, so their cells still update every batch.
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const list = [...model.agents.values()].filter((a) => needle === '' || a.hostname.toLowerCase().includes(needle) || a.id.toLowerCase().includes(needle) || a.state.includes(needle));
    const key = (a: AgentRow): string | number => {
      switch (sort.key) {
        case 'cpus':
          return a.total.cpus;
        case 'mem':
          return a.total.mem;
        case 'running':
          return runningByAgent.get(a.id) ?? 0;
        case 'state':
          return a.state;
        case 'id':
          return a.id;
        default:
          return a.hostname;
      }
    };
    list.sort((a, b) => naturalCompare(key(a), key(b)) * (sort.descending ? -1 : 1));
    return list;
  }, [model, listVersion, filter, sort, runningByAgent]);
  const columns: Column<AgentRow>[] = [
    { key: 'hostname', label: 'Host', width: 'minmax(8rem, 1.5fr)', sortable: true, render: (a) => a.hostname },
    { key: 'state', label: 'State', width: '8rem', sortable: true, render: (a) => <AgentState state={a.state} /> },
    { key: 'id', label: 'Agent id', width: 'minmax(10rem, 2fr)', sortable: true, render: (a) => <code>{a.id}</code> },
    { key: 'cpus', label: 'CPUs', width: '5rem', sortable: true, align: 'right', render: (a) => a.total.cpus },
    { key: 'mem', label: 'Mem MB', width: '6rem', sortable: true, align: 'right', render: (a) => a.total.mem },
    { key: 'running', label: 'Running', width: '5.5rem', sortable: true, align: 'right', render: (a) => runningByAgent.get(a.id) ?? 0 },
  ];
  if (chaos) {
    columns.push({
      key: 'actions',
      label: 'Faults',
      width: '15rem',
      render: (a) => (
        <span className="row-actions">
          {a.state === 'active' || a.state === 'inactive' || a.state === 'paused' || a.state === 'disconnected' ? (
            <button type="button" aria-label={`Kill agent ${a.hostname}`} onClick={() => store.setState({ pending: killAgent(a.hostname) })}>
              Kill
            </button>
          ) : null}
          <button type="button" aria-label={`Restart agent ${a.hostname}`} onClick={() => store.setState({ pending: restartAgent(a.hostname) })}>
            Restart
          </button>
          <button type="button" aria-label={`Isolate agent ${a.hostname}`} onClick={() => store.setState({ pending: isolateNode(model, a.hostname) })}>
            Isolate
          </button>
        </span>
      ),
    });
  }
  return (
    <section aria-labelledby="agents-title">
      <h1 id="agents-title">
        Agents <span className="count">{rows.length === model.agents.size ? model.agents.size : `${rows.length} of ${model.agents.size}`}</span>
      </h1>
      <ChaosBar />
      <label className="filter">
        Filter <input type="search" value={filter} placeholder="host, id or state" onChange={(e) => store.setState({ agentFilter: e.target.value })} />
      </label>
      <VirtualTable label="Agents" rows={rows} columns={columns} rowKey={(a) => a.id} sort={sort} onSort={(key) => store.setState({ agentSort: nextSort(sort, key) })} minWidth={chaos ? '62rem' : '46rem'} empty="No agents." />
    </section>
  );
}
