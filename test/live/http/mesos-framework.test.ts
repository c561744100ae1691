/**
 * The npm package mesos-framework 0.5.3 (a third-party v1 scheduler, run in
 * a child process with cwd in a temp dir) against a served simulated cluster
 * of 3 masters: it subscribes, gets offers, launches, sees TASK_RUNNING and
 * acknowledges; after kill-agent on its agent it gets the update and
 * relaunches; after a master failover it follows the 307 and resubscribes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { FAST_TIMING } from '../../../src/core/timing.js';
import { testCluster } from '../../helpers/cluster.js';
import { eventually, serveTestCluster, type ServedTestCluster } from '../../helpers/mesos-http.js';

interface Line {
  event: string;
  frameworkId?: string;
  taskId?: string;
  state?: string;
  message?: string;
  port?: number;
}

const PROBE = resolve(import.meta.dirname, '../../fixtures/mesos-framework-probe.mjs');

describe('mesos-framework 0.5.3 against faultline', { timeout: 120_000 }, () => {
  let served: ServedTestCluster;
  let child: ChildProcess;
  let dir: string;
  const lines: Line[] = [];
  const stderr: string[] = [];
  const seen = (pred: (l: Line) => boolean, what: string, timeoutMs = 20_000, from = 0) =>
    eventually(() => lines.slice(from).some(pred), timeoutMs, `${what}; probe said: ${lines.map((l) => l.event + (l.state ? `:${l.state}` : '')).slice(-15).join(' ')} ${stderr.join('').slice(-300)}`);

  before(async () => {
    // Heartbeats every 2 s: mesos-framework gives up after 10 s of silence.
    served = await serveTestCluster(testCluster({ agents: 3, masters: 3, timing: { ...FAST_TIMING, heartbeatIntervalMs: 2_000 } }), { speed: 1, heartbeatIntervalMs: 2_000 });
    await eventually(() => served.cluster.leader() !== null && served.cluster.state().agents.size === 3, 15_000, 'a leader and 3 agents');
    dir = mkdtempSync(join(tmpdir(), 'faultline-mf-'));
    child = spawn(process.execPath, [PROBE], { cwd: dir, env: { ...process.env, MASTER_HOST: '127.0.0.1', MASTER_PORT: String(served.leaderPort()) }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
      try {
        lines.push(JSON.parse(text) as Line);
      } catch {
        // mesos-framework's own console log lines
      }
    });
    child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  });
  after(async () => {
    child?.kill('SIGKILL');
    await served?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let frameworkId = '';
  let firstTask = '';

  it('subscribes, gets offers, launches a task, sees TASK_RUNNING and acknowledges it', async () => {
    await seen((l) => l.event === 'subscribed', 'SUBSCRIBED');
    frameworkId = lines.find((l) => l.event === 'subscribed')?.frameworkId ?? '';
    assert.ok(served.cluster.state().frameworks.has(frameworkId));
    await seen((l) => l.event === 'offers', 'OFFERS');
    await seen((l) => l.event === 'update' && l.state === 'TASK_RUNNING', 'TASK_RUNNING');
    firstTask = lines.find((l) => l.event === 'update' && l.state === 'TASK_RUNNING')?.taskId ?? '';
    await seen((l) => l.event === 'acknowledged', 'an ACKNOWLEDGE');
    await eventually(() => served.cluster.history().some((r) => r.type === 'status.acknowledged' && r.taskId === firstTask), 10_000, 'the master to get the ack');
    assert.equal(served.cluster.state().tasks.get(firstTask)?.state, 'TASK_RUNNING');
    assert.ok(!lines.some((l) => l.event === 'error'), `no error: ${JSON.stringify(lines.filter((l) => l.event === 'error'))}`);
  });

  it('after kill-agent on its agent it gets TASK_LOST and relaunches elsewhere', async () => {
    const host = served.cluster.state().tasks.get(firstTask)?.host;
    assert.ok(host);
    const from = lines.length;
    assert.ok(served.cluster.inject({ kind: 'kill-agent', node: host }).ok);
    await seen((l) => l.event === 'update' && l.taskId === firstTask && l.state === 'TASK_LOST', 'TASK_LOST of the first task', 20_000, from);
    await seen((l) => l.event === 'update' && l.taskId !== firstTask && l.state === 'TASK_RUNNING', 'a relaunched TASK_RUNNING', 30_000, from);
    const relaunched = lines.slice(from).find((l) => l.event === 'update' && l.taskId !== firstTask && l.state === 'TASK_RUNNING')?.taskId as string;
    assert.notEqual(served.cluster.state().tasks.get(relaunched)?.host, host);
  });

  it('after a master failover it follows the 307 and resubscribes with its framework id', async () => {
    const oldLeader = served.cluster.leader() as string;
    const from = lines.length;
    assert.ok(served.cluster.inject({ kind: 'failover', node: oldLeader }).ok);
    await seen((l) => l.event === 'subscribed', 'SUBSCRIBED again', 40_000, from);
    const again = lines.slice(from).find((l) => l.event === 'subscribed') as Line;
    assert.equal(again.frameworkId, frameworkId);
    const newLeader = served.cluster.leader() as string;
    assert.notEqual(newLeader, oldLeader);
    assert.equal(Number(again.port), served.port(newLeader), 'it followed the Location to the new leader');
    await seen((l) => l.event === 'heartbeat', 'a HEARTBEAT from the new leader', 10_000, lines.indexOf(again));
    assert.equal(served.cluster.state().frameworks.get(frameworkId)?.state, 'active');
  });
});
