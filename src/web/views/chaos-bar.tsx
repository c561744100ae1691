/** The cluster-wide fault actions (heal, fail over the leader), or why the page is read-only. */
import type { ReactNode } from 'react';
import { failover, heal } from '../chaos.js';
import { useWeb, useWebStore } from '../context.js';

/** Heal and failover buttons, or the read-only reason. */
export function ChaosBar(): ReactNode {
  const chaos = useWeb((s) => s.chaos);
  const model = useWeb((s) => s.model);
  useWeb((s) => s.version);
  const store = useWebStore();
  if (!chaos.allowed) return <p className="readonly" role="note">{chaos.reason}</p>;
  const over = failover(model);
  return (
    <div className="chaos-bar" role="group" aria-label="Fault actions">
      <span className="muted">Chaos:</span>
      <button type="button" onClick={() => store.setState({ pending: heal() })}>
        Heal network
      </button>
      <button type="button" disabled={over === null} onClick={() => over && store.setState({ pending: over })}>
        Fail over leader
      </button>
      <span className="muted small">Agent and task actions are on their rows and pages.</span>
    </div>
  );
}
