/**
 * The root component. It only displays: the frame is built by pure functions
 * (frame.ts) from the store's state and re-rendered only when it looks
 * different (stable-frame.ts), keys go to the controller through a hook, and
 * once the state says the user quit it reports the exit code and lets Ink
 * unmount.
 */
import { useApp } from 'ink';
import { useEffect } from 'react';
import { Screen } from './components/screen.js';
import { useFrame } from './hooks/use-frame.js';
import { useKeys } from './hooks/use-keys.js';
import { useTuiState } from './hooks/use-tui-state.js';
import type { TuiSession } from './session.js';
import type { UiState } from './ui-state.js';

/** Props of the root component. */
export interface AppProps {
  readonly session: TuiSession;
  /** Listen to the keyboard (false when stdin is not a TTY). Default true. */
  readonly inputEnabled?: boolean;
  /** Called once with the exit code when the user quits (q, :q, ctrl-c). */
  readonly onQuit?: (code: number) => void;
}

const exitCodeOf = (state: UiState): number | null => state.exitCode;
const noColorOf = (state: UiState): boolean => state.noColor;

/** The full-screen TUI over a session. */
export function App({ session, inputEnabled = true, onQuit }: AppProps) {
  const lines = useFrame(session.store, session.frames);
  const exitCode = useTuiState(session.store, exitCodeOf);
  const noColor = useTuiState(session.store, noColorOf);
  const { exit } = useApp();
  useKeys(session.controller, inputEnabled && exitCode === null);
  useEffect(() => {
    if (exitCode === null) return;
    onQuit?.(exitCode);
    exit();
  }, [exitCode, onQuit, exit]);
  return <Screen lines={lines} noColor={noColor} />;
}
