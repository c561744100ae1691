/**
 * The root component. It only displays: the frame is built by pure functions
 * (frame.ts) from the store's state, keys go to the controller through a hook,
 * and once the state says the user quit it reports the exit code and lets Ink
 * unmount.
 */
import { useApp } from 'ink';
import { useEffect, useMemo } from 'react';
import { Screen } from './components/screen.js';
import { buildFrame } from './frame.js';
import { useKeys } from './hooks/use-keys.js';
import { useTuiState } from './hooks/use-tui-state.js';
import type { TuiSession } from './session.js';

/** Props of the root component. */
export interface AppProps {
  readonly session: TuiSession;
  /** Listen to the keyboard (false when stdin is not a TTY). Default true. */
  readonly inputEnabled?: boolean;
  /** Called once with the exit code when the user quits (q, :q, ctrl-c). */
  readonly onQuit?: (code: number) => void;
}

/** The full-screen TUI over a session. */
export function App({ session, inputEnabled = true, onQuit }: AppProps) {
  const state = useTuiState(session.store);
  const { exit } = useApp();
  useKeys(session.controller, inputEnabled && state.exitCode === null);
  const lines = useMemo(() => buildFrame(state, session.tables), [state, session.tables]);
  useEffect(() => {
    if (state.exitCode === null) return;
    onQuit?.(state.exitCode);
    exit();
  }, [state.exitCode, onQuit, exit]);
  return <Screen lines={lines} noColor={state.noColor} />;
}
