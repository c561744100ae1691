/** The Masters view: every master with its state and epoch (FAULTLINE_GET_INFO), or the leader GET_MASTER tells. */
import type { ReactNode } from 'react';
import { Badge } from '../badge.js';
import { isolateNode } from '../chaos.js';
import { useWeb, useWebStore } from '../context.js';
import type { Tone } from '../words.js';
import { ChaosBar } from './chaos-bar.js';

function masterTone(state: string): Tone {
  return state === 'leading' ? 'good' : state === 'standby' ? 'done' : state === 'paused' ? 'warn' : 'bad';
}

/** The masters page. */
export function Masters(): ReactNode {
  useWeb((s) => s.version);
  const model = useWeb((s) => s.model);
  const chaos = useWeb((s) => s.chaos.allowed);
  const store = useWebStore();
  const masters = model.info?.masters ?? [];
  return (
    <section aria-labelledby="masters-title">
      <h1 id="masters-title">Masters</h1>
      <ChaosBar />
      {model.master ? (
        <p>
          This page talks to <strong>{model.master.hostname}:{model.master.port ?? '?'}</strong>
          {model.master.id ? <> (master id <code>{model.master.id}</code>)</> : null}
          {model.master.version ? `, Mesos ${model.master.version}` : ''}
          {model.master.electedTimeSec !== null ? `, elected at ${model.master.electedTimeSec.toFixed(1)} s` : ''}.
        </p>
      ) : null}
      {masters.length > 0 ? (
        <table className="history" aria-label="Masters and their epochs">
          <thead>
            <tr>
              <th scope="col">master</th>
              <th scope="col">state</th>
              <th scope="col">epoch</th>
              <th scope="col">master id</th>
              <th scope="col">elected at (s)</th>
              {chaos ? <th scope="col">fault</th> : null}
            </tr>
          </thead>
          <tbody>
            {masters.map((m) => (
              <tr key={m.node}>
                <th scope="row">{m.node}</th>
                <td>
                  <Badge tone={masterTone(m.state)}>{m.state}</Badge>
                </td>
                <td>{m.epoch ?? ''}</td>
                <td>
                  <code>{m.master_id ?? ''}</code>
                </td>
                <td>{m.elected_time === null ? '' : m.elected_time.toFixed(1)}</td>
                {chaos ? (
                  <td>
                    <button type="button" aria-label={`Isolate master ${m.node}`} onClick={() => store.setState({ pending: isolateNode(model, m.node) })}>
                      Isolate
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">The operator API lists no standby masters; epochs come from a faultline master’s FAULTLINE_GET_INFO.</p>
      )}
    </section>
  );
}
