/**
 * A fuzz worker thread: runs each scenario it is sent with the scenario runner
 * over the simulator and posts back the run's summary (or the error it threw,
 * as text). It lives in the CLI because it injects the runtime.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { summarizeRun } from '../chaos/fuzz/executor.js';
import type { FuzzJobMessage, FuzzReplyMessage, FuzzWorkerData } from '../chaos/fuzz/protocol.js';
import { runScenario } from './sim-runtime.js';

const port = parentPort;
if (port === null) throw new Error('the fuzz worker must run in a worker thread');
const data = workerData as FuzzWorkerData;

// Jobs arrive one at a time (the pool waits for each reply), so no queue is needed here.
port.on('message', (job: FuzzJobMessage) => {
  void (async () => {
    let reply: FuzzReplyMessage;
    try {
      const result = await runScenario(job.scenario, null, { keepHistory: false, ...(data.bugs ? { bugs: data.bugs } : {}) });
      reply = { kind: 'done', id: job.id, summary: summarizeRun(result) };
    } catch (error) {
      reply = { kind: 'failed', id: job.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply);
  })();
});
// Every module is loaded by now: a worker that dies before this line could not start at all.
port.postMessage({ kind: 'ready' } satisfies FuzzReplyMessage);

