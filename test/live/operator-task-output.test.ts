/**
 * `l` in `faultline top`: a task's output read from its agent as the Mesos web
 * UI does (`/slave(1)/state` executors' `directory`, then `/files/read`), from
 * a fake agent in Mesos's shapes; and the reasons `l` gives when there is none.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { agentAddressOfPid, fetchTaskOutput, sandboxOf } from '../../src/live/operator-client/index.js';
import { createTopFeed } from '../../src/cli/top-feed.js';
import { parseOperatorMaster } from '../../src/live/operator-client/index.js';

const SANDBOX = '/var/lib/mesos/slaves/S0/frameworks/F/executors/web.1/runs/latest';
const FILES: Record<string, string> = { [`${SANDBOX}/stdout`]: 'hello\nworld\n', [`${SANDBOX}/stderr`]: 'warning: x\n' };

describe('task output from the agent', () => {
  let agent: Server;
  let port = 0;
  const paths: string[] = [];
  before(async () => {
    agent = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      paths.push(url.pathname);
      if (url.pathname === '/slave(1)/state') {
        const body = { id: 'S0', frameworks: [{ id: 'F', executors: [{ id: 'web.1', directory: SANDBOX, tasks: [{ id: 'web.1', state: 'TASK_RUNNING' }], completed_tasks: [] }] }], completed_frameworks: [] };
        return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      }
      if (url.pathname === '/files/read') {
        const text = FILES[url.searchParams.get('path') ?? ''];
        if (text === undefined) return void res.writeHead(404).end();
        const offset = Number(url.searchParams.get('offset'));
        if (offset === -1) return void res.writeHead(200).end(JSON.stringify({ data: '', offset: text.length }));
        return void res.writeHead(200).end(JSON.stringify({ data: text.slice(offset), offset }));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => agent.listen(0, '127.0.0.1', r));
    port = (agent.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((r) => agent.close(() => r()));
  });

  it('reads the agent pid, finds the sandbox and reads stdout and stderr', async () => {
    assert.deepEqual(agentAddressOfPid(`slave(1)@127.0.0.1:${port}`), { id: 'slave(1)', host: '127.0.0.1', port });
    assert.equal(agentAddressOfPid('nonsense'), null);
    const out = await fetchTaskOutput({ pid: `slave(1)@127.0.0.1:${port}`, taskId: 'web.1', timeoutMs: 5000 });
    assert.ok(out.ok, out.ok ? '' : out.error.message);
    assert.deepEqual(out.value.stdout, ['hello', 'world']);
    assert.deepEqual(out.value.stderr, ['warning: x']);
    assert.match(out.value.source, new RegExp(`127\\.0\\.0\\.1:${port} ${SANDBOX}`));
    assert.ok(paths.includes('/slave(1)/state'));
  });

  it('says why when the agent lists no sandbox for the task', async () => {
    assert.equal(sandboxOf({ frameworks: [] }, 'x'), null);
    const out = await fetchTaskOutput({ pid: `slave(1)@127.0.0.1:${port}`, taskId: 'other', timeoutMs: 5000 });
    assert.ok(!out.ok);
    assert.match(out.error.message, /lists no sandbox for task other/);
  });

  it('on a faultline master whose agents serve no files, l says so without asking them', () => {
    const endpoint = parseOperatorMaster('127.0.0.1:1');
    assert.ok(endpoint.ok);
    const info = { chaos_allowed: true, chaos_reason: '', masters: [], agent_states: {}, agents_serve_files: false, faults: [] };
    const feed = createTopFeed({ endpoint: endpoint.value, master: { kind: 'faultline', info }, now: () => 0 });
    feed.model.apply({ type: 'SUBSCRIBED', subscribed: { get_state: { get_tasks: { tasks: [{ task_id: { value: 't1' }, agent_id: { value: 'a1' }, framework_id: { value: 'f' }, state: 'TASK_RUNNING' }] } } } }, 0);
    assert.match(feed.taskOutput?.('t1').source ?? '', /agents serve no files/);
    assert.match(feed.taskOutput?.('nope').source ?? '', /no task nope/);
    assert.equal(feed.readonlyReason, null, 'chaos allowed: the fault keys work');
  });
});
