/** One task: what it is, where it runs, its status history, its sandbox files when the agent serves them. */
import type { ReactNode } from 'react';
import { TaskState } from '../badge.js';
import { killTask } from '../chaos.js';
import { clock } from '../chart.js';
import { useWeb, useWebStore } from '../context.js';
import { statusHistory } from '../model.js';
import { frameworkHref } from '../route.js';
import { isTerminalTask } from '../words.js';

/** The agent's HTTP base (`http://ip:port`) from its pid `slave(1)@ip:port`, or null. */
export function agentBaseOf(pid: string): string | null {
  const match = /@([^:]+):(\d+)$/.exec(pid);
  return match ? `http://${match[1]}:${match[2]}` : null;
}

/** The task page. */
export function TaskPage(props: { readonly id: string }): ReactNode {
  useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const chaos = useWeb((s) => s.chaos.allowed);
  const filesServed = useWeb((s) => s.filesServed);
  const store = useWebStore();
  const task = model.tasks.get(props.id);
  if (!task) {
    return (
      <section aria-labelledby="task-title">
        <h1 id="task-title">Task {props.id}</h1>
        <p>This master does not know task {props.id} (yet). <a href="#/tasks">All tasks</a></p>
      </section>
    );
  }
  const agent = model.agents.get(task.agentId);
  const framework = model.frameworks.get(task.frameworkId);
  const history = statusHistory(task);
  const base = agent ? agentBaseOf(agent.pid) : null;
  // Mesos attaches an executor's latest run at this virtual path; a command task's executor id is its task id.
  const sandbox = `/frameworks/${task.frameworkId}/executors/${task.id}/runs/latest`;
  const fileUrl = (name: string): string => `${base}/files/read?path=${encodeURIComponent(`${sandbox}/${name}`)}&offset=0&length=65536`;
  return (
    <section aria-labelledby="task-title">
      <p className="crumbs">
        <a href="#/tasks">Tasks</a> /
      </p>
      <h1 id="task-title">
        Task <code>{task.id}</code> <TaskState state={task.state} />
      </h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{task.name}</dd>
        <dt>State</dt>
        <dd data-testid="task-state">{task.state}</dd>
        <dt>Agent</dt>
        <dd>
          {agent ? `${agent.hostname} (${agent.id}, ${agent.state})` : task.agentId || 'none'}
        </dd>
        <dt>Framework</dt>
        <dd>
          <a href={frameworkHref(task.frameworkId)}>{framework?.name ?? task.frameworkId}</a>
        </dd>
        <dt>Resources</dt>
        <dd>
          cpus {task.resources.cpus} · mem {task.resources.mem} MB · disk {task.resources.disk} MB
        </dd>
        <dt>Sandbox</dt>
        <dd>
          {filesServed && base ? (
            <>
              <a href={fileUrl('stdout')} target="_blank" rel="noreferrer">
                stdout
              </a>{' '}
              ·{' '}
              <a href={fileUrl('stderr')} target="_blank" rel="noreferrer">
                stderr
              </a>{' '}
              <span className="muted small">(from the agent’s /files/read)</span>
            </>
          ) : (
            <span className="muted">no stdout or stderr: this cluster’s agents serve no /files/read</span>
          )}
        </dd>
      </dl>
      {chaos && !isTerminalTask(task.state) ? (
        <p>
          <button type="button" onClick={() => store.setState({ pending: killTask(task.id, task.frameworkId) })}>
            Kill this task
          </button>
        </p>
      ) : null}
      <h2>Status history</h2>
      <table className="history" aria-label="Status history, oldest first">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">state</th>
            <th scope="col">time (s)</th>
            <th scope="col">source</th>
            <th scope="col">reason</th>
            <th scope="col">message</th>
          </tr>
        </thead>
        <tbody>
          {history.map((s, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>
                <TaskState state={s.state} />
              </td>
              <td>{s.timeSec === null ? '' : s.timeSec.toFixed(3)}</td>
              <td>{s.source.replace(/^SOURCE_/, '').toLowerCase()}</td>
              <td>{s.reason.replace(/^REASON_/, '').toLowerCase().replace(/_/g, ' ')}</td>
              <td>{s.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.length === 0 ? <p className="muted">No status updates yet.</p> : null}
      <p className="muted small">Seen at {clock(Date.now())}.</p>
    </section>
  );
}
