/**
 * The thin React binding of the vanilla store: re-renders on every store update
 * (the feed sync already limits those to ~10 a second).
 */
import { useStore } from 'zustand';
import type { TuiStore } from '../store.js';
import type { UiState } from '../ui-state.js';

/** The store's current state, subscribed. */
export function useTuiState(store: TuiStore): UiState {
  return useStore(store);
}
