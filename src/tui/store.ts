/**
 * The one zustand store, vanilla (no React in it): it holds a UiState and
 * applies the pure transitions of actions.ts. React binds to it through
 * hooks/use-frame.ts and hooks/use-tui-state.ts; the controller and the feed sync write to it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { UiState } from './ui-state.js';

/** The TUI store: zustand's API plus `apply` for pure transitions. */
export interface TuiStore extends StoreApi<UiState> {
  /** Replaces the state with `transition(state)`; no-op (no notification) when it returns the same object. */
  apply(transition: (state: UiState) => UiState): void;
}

/** Creates the store with its first state. */
export function createTuiStore(initial: UiState): TuiStore {
  const store = createStore<UiState>()(() => initial);
  const apply = (transition: (state: UiState) => UiState): void => {
    const before = store.getState();
    const after = transition(before);
    if (after !== before) store.setState(after, true);
  };
  return Object.assign(store, { apply });
}
