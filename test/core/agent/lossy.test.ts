import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeId } from '../../../src/core/ids.js';
import type { Message, TaskStatus } from '../../../src/core/messages.js';
import type { ExecutorMessage } from '../../../src/core/messages.js';
import { MESOS_TIMING } from '../../../src/core/timing.js';
import { FakeContext } from '../../helpers/fake-context.js';
import { AGENT_ID, HOST, MASTER, framework, makeAgent, runTask } from './harness.js';

/** A context whose network loses every other message the agent sends. */
class LossyContext extends FakeContext {
  private sends = 0;
  dropped = 0;
  override send(to: NodeId, message: Message): void {
    this.sends += 1;
    if (this.sends % 2 === 0) {
      this.dropped += 1;
      return;
    }
    super.send(to, message);
  }
}

test('over a path that loses every other message each way, every update still reaches the master, in order per task', () => {
  const ctx = new LossyContext(HOST, 5);
  const h = makeAgent({ ctx });
  /** What the master received, duplicates included, in arrival order. */
  const received: TaskStatus[] = [];
  let acksSent = 0;
  let pings = 0;

  /** The master: registers the agent, pings it, and acknowledges every update it receives (the network loses every other ack too). */
  const masterStep = (): void => {
    for (const { message } of ctx.takeSent()) {
      switch (message.type) {
        case 'agent.register':
        case 'agent.reregister':
          ctx.deliver(MASTER, { type: message.type === 'agent.register' ? 'master.agent_registered' : 'master.agent_reregistered', epoch: 1, masterId: 'm1', agentId: AGENT_ID });
          break;
        case 'agent.status_update': {
          received.push(message.update.status);
          acksSent += 1;
          if (acksSent % 2 === 0) break; // lost on the way back
          const { taskId, frameworkId, uuid } = message.update.status;
          ctx.deliver(MASTER, { type: 'master.status_update_ack', epoch: 1, frameworkId, taskId, uuid: uuid ?? '' });
          break;
        }
        default:
          break;
      }
    }
  };

  const script: Array<[atMs: number, taskId: string, state: ExecutorMessage['state'] | 'launch']> = [];
  const tasks = ['a', 'b', 'c'];
  tasks.forEach((taskId, i) => {
    const base = 5_000 + i * 700;
    script.push([base, taskId, 'launch'], [base + 50, taskId, 'TASK_STARTING'], [base + 150, taskId, 'TASK_RUNNING'], [base + 20_000 + i * 3_000, taskId, i === 1 ? 'TASK_FAILED' : 'TASK_FINISHED']);
  });
  script.sort((x, y) => x[0] - y[0]);

  for (let t = 0; t < 60 * 60_000; t += 50) {
    for (const [atMs, taskId, what] of script) {
      if (atMs !== t) continue;
      if (what === 'launch') runTask(h, taskId, framework());
      else ctx.deliver(HOST, { type: 'executor.status', taskId, state: what });
    }
    if (t % MESOS_TIMING.agentPingTimeoutMs === 0) {
      pings += 1;
      if (pings % 2 === 1) ctx.deliver(MASTER, { type: 'master.ping', epoch: 1, agentId: AGENT_ID });
    }
    ctx.advance(50);
    masterStep();
  }

  assert.ok(ctx.dropped > 5, `the path really lost messages (${ctx.dropped})`);
  assert.ok(received.length > 12, 'losses forced resends');
  const emitted = ctx.eventsOfType('task.status');
  assert.equal(emitted.length, 9);
  for (const taskId of tasks) {
    const expected = emitted.filter((e) => e.taskId === taskId).map((e) => e.uuid);
    const arrivals = received.filter((s) => s.taskId === taskId).map((s) => s.uuid);
    const firstArrivals = arrivals.filter((uuid, i) => arrivals.indexOf(uuid) === i);
    assert.deepEqual(firstArrivals, expected, `task ${taskId}: every update arrived, in order`);
    // Never a newer update before an older one, even counting resends.
    const positions = arrivals.map((uuid) => expected.indexOf(uuid ?? ''));
    assert.ok(positions.every((p, i) => i === 0 || p >= (positions[i - 1] ?? 0)), `task ${taskId}: ${positions.join(',')}`);
  }
  assert.equal(h.disk.tasks.size, 0, 'every terminal update was acknowledged: every task forgotten');
  assert.equal(h.disk.updates.size, 0);
  assert.equal(ctx.eventsOfType('status.ack_received').length, 9);
});
