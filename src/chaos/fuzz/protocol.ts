/**
 * Messages between the fuzz pool and its worker threads (structured-cloned
 * plain data).
 */
import type { ServiceBugs } from '../../schedulers/workload.js';
import type { Scenario } from '../scenario/index.js';
import type { RunSummary } from './types.js';

/** What every worker is started with. */
export interface FuzzWorkerData {
  readonly bugs: Readonly<Record<string, ServiceBugs>> | null;
}

/** Pool to worker: run this scenario. */
export interface FuzzJobMessage {
  readonly id: number;
  readonly scenario: Scenario;
}

/** Worker to pool: loaded and ready; a run's summary; or why a run threw. */
export type FuzzReplyMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly id: number; readonly summary: RunSummary }
  | { readonly kind: 'failed'; readonly id: number; readonly error: string };
