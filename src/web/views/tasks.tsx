/** The Tasks view: a filter, state chips with counts, sortable columns, a windowed table. */
import { useMemo, type ReactNode } from 'react';
import { TaskState } from '../badge.js';
import { killTask } from '../chaos.js';
import { useWeb, useWebStore } from '../context.js';
import type { TaskRow } from '../model.js';
import { frameworkHref, taskHref } from '../route.js';
import { naturalCompare, useThrottled } from '../sorting.js';
import { nextSort, VirtualTable, type Column } from '../virtual-table.js';
import { isTerminalTask, TASK_STATES, taskTone, taskWord } from '../words.js';

/** The tasks page. */
export function Tasks(): ReactNode {
  const version = useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const filter = useWeb((s) => s.taskFilter);
  const states = useWeb((s) => s.taskStates);
  const sort = useWeb((s) => s.taskSort);
  const chaos = useWeb((s) => s.chaos.allowed);
  const store = useWebStore();
  // Re-filter and re-sort at most once a second; the rows are live objects, so their cells update every batch.
  const listVersion = useThrottled(version, 1000);
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const wanted = new Set(states);
    const list: TaskRow[] = [];
    for (const t of model.tasks.values()) {
      if (wanted.size > 0 && !wanted.has(t.state)) continue;
      if (needle !== '' && !t.id.toLowerCase().includes(needle) && !t.name.toLowerCase().includes(needle) && !model.agentName(t.agentId).toLowerCase().includes(needle)) continue;
      list.push(t);
    }
    const key = (t: TaskRow): string | number => {
      switch (sort.key) {
        case 'name':
          return t.name;
        case 'state':
          return t.state;
        case 'agent':
          return model.agentName(t.agentId);
        case 'framework':
          return model.frameworks.get(t.frameworkId)?.name ?? t.frameworkId;
        case 'cpus':
          return t.resources.cpus;
        case 'mem':
          return t.resources.mem;
        default:
          return t.id;
      }
    };
    const keys = new Map<TaskRow, string | number>();
    for (const t of list) keys.set(t, key(t));
    const sign = sort.descending ? -1 : 1;
    list.sort((a, b) => naturalCompare(keys.get(a) as string | number, keys.get(b) as string | number) * sign);
    return list;
  }, [model, listVersion, filter, states, sort]);
  const toggle = (state: string): void => {
    const now = new Set(states);
    if (now.has(state)) now.delete(state);
    else now.add(state);
    store.setState({ taskStates: TASK_STATES.filter((s) => now.has(s)) });
  };
  const columns: Column<TaskRow>[] = [
    { key: 'id', label: 'Task id', width: 'minmax(12rem, 2.5fr)', sortable: true, render: (t) => <a href={taskHref(t.id)}>{t.id}</a> },
    { key: 'name', label: 'Name', width: 'minmax(7rem, 1fr)', sortable: true, render: (t) => t.name },
    { key: 'state', label: 'State', width: '8.5rem', sortable: true, render: (t) => <TaskState state={t.state} /> },
    { key: 'agent', label: 'Agent', width: 'minmax(7rem, 1fr)', sortable: true, render: (t) => model.agentName(t.agentId) },
    { key: 'framework', label: 'Framework', width: 'minmax(7rem, 1fr)', sortable: true, render: (t) => <a href={frameworkHref(t.frameworkId)}>{model.frameworks.get(t.frameworkId)?.name ?? t.frameworkId}</a> },
    { key: 'cpus', label: 'CPUs', width: '4.5rem', sortable: true, align: 'right', render: (t) => t.resources.cpus },
    { key: 'mem', label: 'Mem MB', width: '5.5rem', sortable: true, align: 'right', render: (t) => t.resources.mem },
  ];
  if (chaos) {
    columns.push({
      key: 'kill',
      label: 'Fault',
      width: '5rem',
      render: (t) =>
        isTerminalTask(t.state) ? null : (
          <button type="button" aria-label={`Kill task ${t.id}`} onClick={() => store.setState({ pending: killTask(t.id, t.frameworkId) })}>
            Kill
          </button>
        ),
    });
  }
  return (
    <section aria-labelledby="tasks-title">
      <h1 id="tasks-title">
        Tasks <span className="count">{rows.length === model.tasks.size ? model.tasks.size : `${rows.length} of ${model.tasks.size}`}</span>
      </h1>
      <div className="toolbar">
        <label className="filter">
          Filter <input type="search" value={filter} placeholder="task id, name or agent" onChange={(e) => store.setState({ taskFilter: e.target.value })} />
        </label>
        <div className="chips" role="group" aria-label="Show only tasks in these states">
          {TASK_STATES.filter((s) => (model.taskCounts.get(s) ?? 0) > 0 || states.includes(s)).map((s) => (
            <button type="button" key={s} className={`chip tone-${taskTone(s)}`} aria-pressed={states.includes(s)} onClick={() => toggle(s)}>
              {taskWord(s)} <span className="chip-count">{model.taskCounts.get(s) ?? 0}</span>
            </button>
          ))}
          {states.length > 0 ? (
            <button type="button" className="chip" onClick={() => store.setState({ taskStates: [] })}>
              all states
            </button>
          ) : null}
        </div>
      </div>
      <VirtualTable label="Tasks" rows={rows} columns={columns} rowKey={(t) => t.id} sort={sort} onSort={(key) => store.setState({ taskSort: nextSort(sort, key) })} minWidth={chaos ? '62rem' : '56rem'} empty="No tasks match." />
    </section>
  );
}
