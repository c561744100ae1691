/** The Frameworks view and one framework's page with its active and completed tasks. */
import { useMemo, type ReactNode } from 'react';
import { Badge, TaskState } from '../badge.js';
import { useWeb } from '../context.js';
import type { FrameworkRow, TaskRow } from '../model.js';
import { frameworkHref, taskHref } from '../route.js';
import { naturalCompare, useThrottled } from '../sorting.js';
import { VirtualTable, type Column } from '../virtual-table.js';
import { isTerminalTask } from '../words.js';

function frameworkState(f: FrameworkRow): ReactNode {
  if (f.removed) return <Badge tone="muted">removed</Badge>;
  if (!f.connected) return <Badge tone="warn">disconnected</Badge>;
  return <Badge tone={f.active ? 'good' : 'warn'}>{f.active ? 'active' : 'inactive'}</Badge>;
}

/** The frameworks page. */
export function Frameworks(): ReactNode {
  const version = useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const listVersion = useThrottled(version, 1000);
  const tasksBy = useMemo(() => {
    const out = new Map<string, { active: number; completed: number }>();
    for (const t of model.tasks.values()) {
      const entry = out.get(t.frameworkId) ?? { active: 0, completed: 0 };
      if (isTerminalTask(t.state)) entry.completed++;
      else entry.active++;
      out.set(t.frameworkId, entry);
    }
    return out;
  }, [model, listVersion]);
  const rows = [...model.frameworks.values()].sort((a, b) => naturalCompare(a.name, b.name));
  const columns: Column<FrameworkRow>[] = [
    { key: 'name', label: 'Name', width: 'minmax(8rem, 1.5fr)', render: (f) => <a href={frameworkHref(f.id)}>{f.name}</a> },
    { key: 'state', label: 'State', width: '8.5rem', render: frameworkState },
    { key: 'id', label: 'Framework id', width: 'minmax(12rem, 2fr)', render: (f) => <code>{f.id}</code> },
    { key: 'roles', label: 'Roles', width: 'minmax(5rem, 1fr)', render: (f) => f.roles.join(', ') || '*' },
    { key: 'active', label: 'Active tasks', width: '7rem', align: 'right', render: (f) => tasksBy.get(f.id)?.active ?? 0 },
    { key: 'completed', label: 'Completed', width: '7rem', align: 'right', render: (f) => tasksBy.get(f.id)?.completed ?? 0 },
  ];
  return (
    <section aria-labelledby="frameworks-title">
      <h1 id="frameworks-title">
        Frameworks <span className="count">{rows.length}</span>
      </h1>
      <VirtualTable label="Frameworks" rows={rows} columns={columns} rowKey={(f) => f.id} height="min(60vh, 40rem)" minWidth="50rem" empty="No frameworks." />
    </section>
  );
}

const TASK_COLUMNS = (agentName: (id: string) => string): Column<TaskRow>[] => [
  { key: 'id', label: 'Task id', width: 'minmax(12rem, 2fr)', render: (t) => <a href={taskHref(t.id)}>{t.id}</a> },
  { key: 'name', label: 'Name', width: 'minmax(7rem, 1fr)', render: (t) => t.name },
  { key: 'state', label: 'State', width: '8.5rem', render: (t) => <TaskState state={t.state} /> },
  { key: 'agent', label: 'Agent', width: 'minmax(7rem, 1fr)', render: (t) => agentName(t.agentId) },
];

/** One framework's page. */
export function FrameworkPage(props: { readonly id: string }): ReactNode {
  const version = useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const listVersion = useThrottled(version, 1000);
  const framework = model.frameworks.get(props.id);
  const { active, completed } = useMemo(() => {
    const a: TaskRow[] = [];
    const c: TaskRow[] = [];
    for (const t of model.tasks.values()) if (t.frameworkId === props.id) (isTerminalTask(t.state) ? c : a).push(t);
    a.sort((x, y) => naturalCompare(x.id, y.id));
    c.sort((x, y) => naturalCompare(x.id, y.id));
    return { active: a, completed: c };
  }, [model, listVersion, props.id]);
  const columns = TASK_COLUMNS((id) => model.agentName(id));
  return (
    <section aria-labelledby="framework-title">
      <p className="crumbs">
        <a href="#/frameworks">Frameworks</a> /
      </p>
      <h1 id="framework-title">
        {framework ? framework.name : 'Framework'} {framework ? frameworkState(framework) : null}
      </h1>
      {framework ? (
        <dl className="facts">
          <dt>Id</dt>
          <dd>
            <code>{framework.id}</code>
          </dd>
          <dt>Host</dt>
          <dd>{framework.hostname || 'unknown'}</dd>
          <dt>Roles</dt>
          <dd>{framework.roles.join(', ') || '*'}</dd>
        </dl>
      ) : (
        <p>This master does not know framework {props.id}.</p>
      )}
      <h2>
        Active tasks <span className="count">{active.length}</span>
      </h2>
      <VirtualTable label="Active tasks" rows={active} columns={columns} rowKey={(t) => t.id} height="min(40vh, 24rem)" minWidth="40rem" empty="No active tasks." />
      <h2>
        Completed tasks <span className="count">{completed.length}</span>
      </h2>
      <VirtualTable label="Completed tasks" rows={completed} columns={columns} rowKey={(t) => t.id} height="min(40vh, 24rem)" minWidth="40rem" empty="No completed tasks." />
    </section>
  );
}
