/**
 * The page's one store (a zustand vanilla store): what the views show besides
 * the cluster model (connection, chaos, the confirm dialog, filters and sorts),
 * and `version`, bumped once per batch of applied events so views re-render at
 * most about ten times a second. The cluster itself is the mutable WebModel the
 * store holds (model.ts says why).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Fault } from '../core/faults.js';
import { WebModel, type EventKind } from './model.js';

/** The connection to the master, in words. */
export interface Connection {
  readonly status: 'connecting' | 'live' | 'reconnecting' | 'failed';
  readonly message: string;
}

/** A sort of a table: a column key and a direction. */
export interface Sort {
  readonly key: string;
  readonly descending: boolean;
}

/** A fault waiting for the user's yes. */
export interface PendingFault {
  readonly question: string;
  readonly fault: Fault;
}

/** Everything the views read. */
export interface WebState {
  readonly model: WebModel;
  /** Bumped when the model's data changed (tables recompute on it). */
  readonly version: number;
  /** Bumped when the chart gained a point. */
  readonly chartVersion: number;
  readonly connection: Connection;
  readonly chaos: { readonly allowed: boolean; readonly reason: string };
  readonly filesServed: boolean;
  readonly pending: PendingFault | null;
  readonly notice: { readonly text: string; readonly tone: 'good' | 'bad' } | null;
  readonly taskFilter: string;
  readonly taskStates: readonly string[];
  readonly taskSort: Sort;
  readonly agentFilter: string;
  readonly agentSort: Sort;
  /** The Events view shows only this kind (null: all). */
  readonly eventKind: EventKind | null;
}

/** A new store over an empty model. */
export function createWebStore(): StoreApi<WebState> {
  return createStore<WebState>(() => ({
    model: new WebModel(),
    version: 0,
    chartVersion: 0,
    connection: { status: 'connecting', message: 'connecting to the operator API' },
    chaos: { allowed: false, reason: 'checking whether this master allows chaos' },
    filesServed: false,
    pending: null,
    notice: null,
    taskFilter: '',
    taskStates: [],
    taskSort: { key: 'id', descending: false },
    agentFilter: '',
    agentSort: { key: 'hostname', descending: false },
    eventKind: null,
  }));
}
