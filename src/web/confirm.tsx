/**
 * The confirm dialog every fault goes through: a modal <dialog> (focus moves
 * into it, Escape cancels), then the call, then its outcome in the notice line.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useActions, useWeb, useWebStore } from './context.js';

/** The dialog for the pending fault, if any. */
export function ConfirmFault(): ReactNode {
  const pending = useWeb((s) => s.pending);
  const store = useWebStore();
  const actions = useActions();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = dialog.current;
    if (d === null) return;
    if (pending !== null && !d.open) d.showModal();
    if (pending === null && d.open) d.close();
  }, [pending]);
  const cancel = (): void => store.setState({ pending: null });
  const confirm = async (): Promise<void> => {
    if (pending === null) return;
    setBusy(true);
    const result = await actions.inject(pending.fault);
    setBusy(false);
    store.setState({ pending: null, notice: { text: result.ok ? `Injected: ${result.message}` : `Refused: ${result.message}`, tone: result.ok ? 'good' : 'bad' } });
  };
  return (
    <dialog ref={dialog} className="confirm" aria-labelledby="confirm-title" onClose={cancel} onCancel={cancel}>
      <h2 id="confirm-title">Inject a fault?</h2>
      <p>{pending?.question}</p>
      <p className="muted small">
        <code>{pending ? JSON.stringify(pending.fault).slice(0, 200) : ''}</code>
      </p>
      <div className="dialog-buttons">
        <button type="button" className="danger" disabled={busy} onClick={() => void confirm()}>
          Yes, inject it
        </button>
        <button type="button" autoFocus onClick={cancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
