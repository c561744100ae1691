/** React access to the one store and the client (provided by main.tsx). */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { Fault } from '../core/faults.js';
import type { WebState } from './store.js';

/** What the views need besides the store: the fault call. */
export interface WebActions {
  inject(fault: Fault): Promise<{ ok: boolean; message: string }>;
}

/** The store and actions of the page. */
export const WebContext = createContext<{ store: StoreApi<WebState>; actions: WebActions } | null>(null);

function useWebContext(): { store: StoreApi<WebState>; actions: WebActions } {
  const value = useContext(WebContext);
  if (value === null) throw new Error('assertion failed: a view outside WebContext');
  return value;
}

/** A slice of the store (re-renders when it changes). */
export function useWeb<T>(select: (state: WebState) => T): T {
  return useStore(useWebContext().store, select);
}

/** The store itself (for setState in handlers). */
export function useWebStore(): StoreApi<WebState> {
  return useWebContext().store;
}

/** The page's actions. */
export function useActions(): WebActions {
  return useWebContext().actions;
}
