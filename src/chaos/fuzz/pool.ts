/**
 * A pool of worker threads that run fuzz scenarios. Jobs queue in order and go
 * to the next idle worker. A worker that dies fails its job and is replaced,
 * so one crash costs one seed, not the whole fuzz run.
 *
 * The worker module is the caller's (the CLI's fuzz worker injects the
 * simulator): `.js` in the built CLI, `.ts` from source (tests, tsx). On Node 20 a worker's
 * `execArgv: ['--import', 'tsx']` does not reach its entry module ("Unknown file
 * extension .ts"), so a TypeScript worker is started from a one-line bootstrap
 * that registers tsx's loader first and then imports the entry.
 */
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../scenario/index.js';
import type { ExecutorOptions } from './executor.js';
import type { FuzzJobMessage, FuzzReplyMessage, FuzzWorkerData } from './protocol.js';
import type { RunSummary, ScenarioExecutor } from './types.js';

/** Options of the pool. */
export interface PoolOptions extends ExecutorOptions {
  readonly workers: number;
  /** The worker module (src/cli/fuzz-worker.ts: `fuzzWorkerUrl()`). */
  readonly workerUrl: URL;
}

interface Job {
  readonly id: number;
  readonly scenario: Scenario;
  readonly resolve: (summary: RunSummary) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  /** The worker loaded its modules (a death before that means no worker can start). */
  ready: boolean;
}

/** No worker could start (a missing or broken worker module): every run fails the same way, so fuzzing stops. */
export class FuzzPoolError extends Error {
  override readonly name = 'FuzzPoolError';
}

/** Starts a worker on `url`; a `.ts` entry goes through tsx's loader. */
export function startWorker(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** Worker threads running scenarios. */
export class WorkerPool implements ScenarioExecutor {
  readonly parallelism: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly url: URL;
  private readonly data: FuzzWorkerData;
  private nextId = 1;
  private closed = false;
  private broken: FuzzPoolError | null = null;

  constructor(options: PoolOptions) {
    this.parallelism = Math.max(1, Math.floor(options.workers));
    this.url = options.workerUrl;
    this.data = { bugs: options.bugs ?? null };
    for (let i = 0; i < this.parallelism; i += 1) this.slots.push(this.spawn());
  }

  /** Queues a scenario; resolves with its summary. */
  run(scenario: Scenario): Promise<RunSummary> {
    if (this.broken !== null) return Promise.reject(this.broken);
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<RunSummary>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, scenario, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; queued jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the worker pool was closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = startWorker(this.url, this.data);
    const slot: Slot = { worker, job: null, ready: false };
    worker.on('message', (reply: FuzzReplyMessage) => this.settle(slot, reply));
    worker.on('error', (error) => this.lose(slot, error));
    worker.on('exit', (code) => {
      if (!this.closed) this.lose(slot, new Error(`a fuzz worker exited with code ${code}`));
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== null) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      const message: FuzzJobMessage = { id: job.id, scenario: job.scenario };
      slot.worker.postMessage(message);
    }
  }

  private settle(slot: Slot, reply: FuzzReplyMessage): void {
    if (reply.kind === 'ready') {
      slot.ready = true;
      return;
    }
    const job = slot.job;
    if (job === null || job.id !== reply.id) return;
    slot.job = null;
    if (reply.kind === 'done') job.resolve(reply.summary);
    else job.reject(new Error(reply.error));
    this.dispatch();
  }

  /** A worker died: fail its job, replace it, go on. */
  private lose(slot: Slot, error: Error): void {
    const job = slot.job;
    slot.job = null;
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    void slot.worker.terminate();
    if (!slot.ready && this.broken === null && !this.closed) {
      this.broken = new FuzzPoolError(`a fuzz worker could not start: ${error.message}`);
      job?.reject(this.broken);
      for (const queued of this.queue.splice(0)) queued.reject(this.broken);
      for (const other of this.slots) {
        other.job?.reject(this.broken);
        other.job = null;
      }
      return;
    }
    job?.reject(error);
    if (this.closed || this.broken !== null) return;
    this.slots[index] = this.spawn();
    this.dispatch();
  }
}
