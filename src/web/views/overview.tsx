/** The Overview: leader, agents by state, frameworks, tasks by state, resources, the running-tasks chart. */
import { useMemo, type ReactNode } from 'react';
import { AgentState, Badge, TaskState } from '../badge.js';
import { RunningChart } from '../chart.js';
import { useWeb } from '../context.js';
import { frameworkHref } from '../route.js';
import { addScalars, zeroScalars, type Scalars } from '../v1-read.js';
import { AGENT_WORDS, TASK_STATES } from '../words.js';
import { ChaosBar } from './chaos-bar.js';

function fmt(n: number, digits = 1): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

/** The overview page. */
export function Overview(): ReactNode {
  const version = useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const summary = useMemo(() => {
    const agents = new Map<string, number>();
    const total = zeroScalars();
    for (const a of model.agents.values()) {
      agents.set(a.state, (agents.get(a.state) ?? 0) + 1);
      if (a.state === 'active' || a.state === 'inactive') addScalars(total, a.total);
    }
    const offered = zeroScalars();
    for (const o of model.offers) addScalars(offered, o.resources);
    const used = model.usedResources();
    const idle: Scalars = { cpus: total.cpus - used.cpus - offered.cpus, mem: total.mem - used.mem - offered.mem, disk: total.disk - used.disk - offered.disk, gpus: total.gpus - used.gpus - offered.gpus };
    return { agents, total, used, offered, idle };
    // version: the model is mutable; the store bumps it when the data changed.
  }, [model, version]);
  const leader = model.info?.masters.find((m) => m.state === 'leading');
  const frameworks = [...model.frameworks.values()];
  const activeFrameworks = frameworks.filter((f) => !f.removed);
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <ChaosBar />
      <div className="cards">
        <article className="card" aria-label="Leader">
          <h2>Leader</h2>
          {leader ? (
            <p>
              <strong data-testid="leader">{leader.node}</strong> · epoch <strong>{leader.epoch ?? '?'}</strong>
            </p>
          ) : model.master ? (
            <p>
              <strong data-testid="leader">
                {model.master.hostname}:{model.master.port ?? '?'}
              </strong>
              {model.master.version ? ` · Mesos ${model.master.version}` : ''}
            </p>
          ) : (
            <p className="muted">unknown</p>
          )}
          <p className="muted small">{model.info ? `${model.info.masters.length} masters` : 'epochs need a faultline master'}</p>
        </article>
        <article className="card" aria-label="Agents by state">
          <h2>
            <a href="#/agents">Agents</a> <span className="count">{model.agents.size}</span>
          </h2>
          <ul className="counts">
            {AGENT_WORDS.filter((w) => (summary.agents.get(w) ?? 0) > 0).map((w) => (
              <li key={w}>
                <AgentState state={w} /> <strong>{summary.agents.get(w)}</strong>
              </li>
            ))}
          </ul>
        </article>
        <article className="card" aria-label="Frameworks">
          <h2>
            <a href="#/frameworks">Frameworks</a> <span className="count">{activeFrameworks.length}</span>
          </h2>
          <ul className="plain">
            {activeFrameworks.slice(0, 6).map((f) => (
              <li key={f.id}>
                <a href={frameworkHref(f.id)}>{f.name}</a> <Badge tone={f.connected ? 'good' : 'warn'}>{f.connected ? 'connected' : 'disconnected'}</Badge>
              </li>
            ))}
            {activeFrameworks.length > 6 ? <li className="muted">and {activeFrameworks.length - 6} more</li> : null}
          </ul>
        </article>
        <article className="card" aria-label="Tasks by state">
          <h2>
            <a href="#/tasks">Tasks</a> <span className="count">{model.tasks.size}</span>
          </h2>
          <ul className="counts">
            {TASK_STATES.filter((s) => (model.taskCounts.get(s) ?? 0) > 0).map((s) => (
              <li key={s} data-testid={`count-${s}`}>
                <TaskState state={s} /> <strong>{model.taskCounts.get(s)}</strong>
              </li>
            ))}
          </ul>
        </article>
      </div>
      <article className="card wide" aria-label="Resources">
        <h2>Resources</h2>
        <table className="resources">
          <thead>
            <tr>
              <th scope="col">resource</th>
              <th scope="col">total</th>
              <th scope="col">used</th>
              <th scope="col">offered</th>
              <th scope="col">idle</th>
            </tr>
          </thead>
          <tbody>
            {(['cpus', 'mem', 'disk'] as const).map((r) => (
              <tr key={r}>
                <th scope="row">{r === 'mem' || r === 'disk' ? `${r} (MB)` : r}</th>
                <td>{fmt(summary.total[r])}</td>
                <td>{fmt(summary.used[r])}</td>
                <td>{fmt(summary.offered[r])}</td>
                <td>{fmt(Math.max(0, summary.idle[r]))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
      <article className="card wide" aria-label="Running tasks over time">
        <h2>Running tasks over time</h2>
        <RunningChart />
      </article>
    </section>
  );
}
