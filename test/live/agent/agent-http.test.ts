/**
 * The agent's HTTP surface: the pure answer function (state in Mesos's
 * shape, /files/read with Mesos's offset and length rules, /files/browse,
 * paths outside the sandboxes refused, bad queries 400), then one real
 * socket on 127.0.0.1 port 0, closed in a finally.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newAgentDisk } from '../../../src/core/agent/disk.js';
import type { AgentId, FrameworkId, NodeId, TaskId } from '../../../src/core/ids.js';
import { resources } from '../../../src/core/resources.js';
import { answerAgentRequest, serveAgentHttp, type AgentHttpContext } from '../../../src/live/agent/agent-http.js';
import { MAX_READ_BYTES } from '../../../src/live/agent/agent-files.js';
import { agentStateJson } from '../../../src/live/agent/agent-state.js';

let dir: string;
let sandbox: string;
let ctx: AgentHttpContext;

function state(): ReturnType<typeof agentStateJson> {
  const disk = newAgentDisk();
  disk.agentId = 'a1' as AgentId;
  const frameworkId = 'f1' as FrameworkId;
  disk.frameworks.set(frameworkId, { frameworkId, name: 'whizbang', schedulerNode: 's' as NodeId, partitionAware: false });
  const task = (id: string) => ({ taskId: id as TaskId, name: 'whizbang', agentId: 'a1' as AgentId, resources: resources({ cpus: 0.5, mem: 32 }), command: 'sleep 10' });
  disk.tasks.set('t1' as TaskId, { task: task('t1'), frameworkId, state: 'TASK_RUNNING' });
  disk.tasks.set('t0' as TaskId, { task: task('t0'), frameworkId, state: 'TASK_FINISHED' });
  return agentStateJson({
    agentId: disk.agentId,
    pid: 'slave(1)@127.0.0.1:5051',
    hostname: 'localhost',
    resources: resources({ cpus: 4, mem: 1024, ports: [{ begin: 31000, end: 32000 }] }),
    startedAtMs: 1_000,
    disk,
    executorTasks: [{ taskId: 't1' as TaskId, pid: 5, sandbox, state: 'TASK_RUNNING' }],
  });
}

const get = (url: string) => answerAgentRequest({ method: 'GET', url }, ctx);
const read = (query: string) => {
  const answer = get(`/files/read?${query}`);
  return { status: answer.status, json: answer.status === 200 ? (JSON.parse(answer.body) as { data: string; offset: number }) : null };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-agent-http-'));
  sandbox = join(dir, 'sandboxes', 't1');
  mkdirSync(sandbox, { recursive: true });
  writeFileSync(join(sandbox, 'stdout'), 'hello world\n');
  writeFileSync(join(dir, 'secret'), 'nope');
  symlinkSync(join(dir, 'secret'), join(sandbox, 'escape'));
  ctx = { state, sandboxes: () => [sandbox] };
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('agent HTTP: state', () => {
  it('GET /slave(1)/state in Mesos\'s shape: a running task under executors, an ended one under completed_executors', () => {
    for (const url of ['/slave(1)/state', '/slave%281%29/state.json', '/state']) {
      const answer = get(url);
      assert.equal(answer.status, 200, url);
      assert.equal(answer.contentType, 'application/json');
      const json = JSON.parse(answer.body);
      assert.equal(json.id, 'a1');
      assert.equal(json.pid, 'slave(1)@127.0.0.1:5051');
      assert.equal(json.hostname, 'localhost');
      assert.deepEqual(json.resources, { cpus: 4, gpus: 0, mem: 1024, disk: 0, ports: '[31000-32000]' });
      assert.equal(json.frameworks.length, 1);
      const [framework] = json.frameworks;
      assert.equal(framework.id, 'f1');
      assert.equal(framework.name, 'whizbang');
      assert.deepEqual(framework.executors.map((e: { id: string; directory: string; tasks: Array<{ id: string; state: string }> }) => [e.id, e.directory, e.tasks.map((t) => [t.id, t.state])]), [['t1', sandbox, [['t1', 'TASK_RUNNING']]]]);
      assert.deepEqual(framework.completed_executors.map((e: { id: string; completed_tasks: Array<{ state: string }> }) => [e.id, e.completed_tasks.map((t) => t.state)]), [['t0', ['TASK_FINISHED']]]);
    }
  });

  it('GET /health is 200; other paths 404; POST 405', () => {
    assert.equal(get('/health').status, 200);
    assert.equal(get('/slave(1)/health').status, 200);
    assert.equal(get('/nope').status, 404);
    assert.equal(answerAgentRequest({ method: 'POST', url: '/state' }, ctx).status, 405);
  });
});

describe('agent HTTP: /files/read', () => {
  const stdout = () => encodeURIComponent(join(sandbox, 'stdout'));
  it('offset and length as Mesos: a slice, the rest, past the end, and -1 (or none) for the size', () => {
    assert.deepEqual(read(`path=${stdout()}&offset=0&length=5`).json, { data: 'hello', offset: 0 });
    assert.deepEqual(read(`path=${stdout()}&offset=6`).json, { data: 'world\n', offset: 6 });
    assert.deepEqual(read(`path=${stdout()}&offset=6&length=-1`).json, { data: 'world\n', offset: 6 });
    assert.deepEqual(read(`path=${stdout()}&offset=100`).json, { data: '', offset: 100 });
    assert.deepEqual(read(`path=${stdout()}&offset=-1`).json, { data: '', offset: 12 });
    assert.deepEqual(read(`path=${stdout()}`).json, { data: '', offset: 12 });
    assert.deepEqual(read(`path=${stdout()}&offset=0&length=0`).json, { data: '', offset: 0 });
  });

  it('a read stops at 64 KiB', () => {
    writeFileSync(join(sandbox, 'big'), 'x'.repeat(MAX_READ_BYTES * 2));
    const big = read(`path=${encodeURIComponent(join(sandbox, 'big'))}&offset=0`);
    assert.equal(big.json?.data.length, MAX_READ_BYTES);
  });

  it('outside the sandboxes 403 (also through a symlink or ..); missing 404; bad queries 400', () => {
    assert.equal(read(`path=${encodeURIComponent(join(dir, 'secret'))}&offset=0`).status, 403);
    assert.equal(read(`path=${encodeURIComponent(join(sandbox, 'escape'))}&offset=0`).status, 403);
    assert.equal(read(`path=${encodeURIComponent(join(sandbox, '..', '..', 'secret'))}&offset=0`).status, 403);
    assert.equal(read('path=/etc/passwd&offset=0').status, 403);
    assert.equal(read(`path=${encodeURIComponent(join(sandbox, 'missing'))}&offset=0`).status, 404);
    assert.equal(read(`path=${encodeURIComponent(join(dir, 'missing'))}&offset=0`).status, 403);
    for (const bad of ['', 'path=', `path=${stdout()}&offset=abc`, `path=${stdout()}&offset=-2`, `path=${stdout()}&offset=0&length=x`, 'path=relative/stdout']) {
      assert.equal(read(bad).status, 400, bad);
    }
    assert.equal(read(`path=${encodeURIComponent(sandbox)}&offset=0`).status, 400, 'a directory');
  });
});

describe('agent HTTP: /files/browse', () => {
  it('lists a sandbox with Mesos\'s file info; refuses outside', () => {
    const answer = get(`/files/browse?path=${encodeURIComponent(sandbox)}`);
    assert.equal(answer.status, 200);
    const entries = JSON.parse(answer.body) as Array<{ path: string; size: number; mode: string }>;
    const out = entries.find((e) => e.path === join(sandbox, 'stdout'));
    assert.equal(out?.size, 12);
    assert.match(out?.mode ?? '', /^-rw/);
    assert.equal(get(`/files/browse?path=${encodeURIComponent(dir)}`).status, 403);
  });
});

describe('agent HTTP: a real socket', () => {
  it('serves state, health and a file on 127.0.0.1', async () => {
    const http = await serveAgentHttp({ host: '127.0.0.1', port: 0, state, executor: { tasks: () => [{ taskId: 't1' as TaskId, pid: 5, sandbox, state: 'TASK_RUNNING' }] } });
    try {
      const base = `http://127.0.0.1:${http.port}`;
      const health = await fetch(`${base}/health`);
      assert.equal(health.status, 200);
      const stateJson = (await (await fetch(`${base}/slave(1)/state`)).json()) as { id: string };
      assert.equal(stateJson.id, 'a1');
      const file = await fetch(`${base}/files/read?path=${encodeURIComponent(join(sandbox, 'stdout'))}&offset=0`);
      assert.deepEqual(await file.json(), { data: 'hello world\n', offset: 0 });
      assert.equal((await fetch(`${base}/files/read?path=/etc/passwd&offset=0`)).status, 403);
    } finally {
      await http.close();
    }
  });
});
