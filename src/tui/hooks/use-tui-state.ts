/**
 * The thin React binding of the vanilla store for one piece of the state: the
 * component re-renders only when that piece changes (the frame itself comes
 * through use-frame.ts).
 */
import { useStore } from 'zustand';
import type { TuiStore } from '../store.js';
import type { UiState } from '../ui-state.js';

/** `select(state)`, subscribed; compared with Object.is. */
export function useTuiState<T>(store: TuiStore, select: (state: UiState) => T): T {
  return useStore(store, select);
}
