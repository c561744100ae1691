/**
 * The agent's disk at its commit point: what a live agent writes to its work
 * directory is plain JSON, and reading it back gives the same checkpoint (an
 * agent process restarted with it reregisters with the same tasks and updates).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentDiskFromJson, agentDiskToJson, newAgentDisk } from '../../../src/core/agent/index.js';
import { resources } from '../../../src/core/resources.js';

test('a disk survives JSON: agent id, tasks with states, frameworks and unacknowledged updates, in order', () => {
  const disk = newAgentDisk();
  disk.agentId = 'm1-S3';
  const task = { taskId: 'web.000001', name: 'web', agentId: 'm1-S3', resources: resources({ cpus: 1, mem: 128, ports: [{ begin: 31000, end: 31000 }] }), command: 'sleep 60' };
  disk.tasks.set(task.taskId, { task, frameworkId: 'm1-0000', state: 'TASK_RUNNING' });
  disk.frameworks.set('m1-0000', { frameworkId: 'm1-0000', name: 'web', schedulerNode: 'scheduler-web', partitionAware: true });
  const status = { taskId: task.taskId, frameworkId: 'm1-0000', agentId: 'm1-S3', state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: 'u1', timestampMs: 10 } as const;
  disk.updates.set(task.taskId, [status, { ...status, state: 'TASK_FINISHED', uuid: 'u2', timestampMs: 20 }]);
  const text = JSON.stringify(agentDiskToJson(disk));
  const back = agentDiskFromJson(JSON.parse(text));
  assert.equal(back.agentId, 'm1-S3');
  assert.deepEqual([...back.tasks.values()], [...disk.tasks.values()]);
  assert.deepEqual([...back.frameworks.values()], [...disk.frameworks.values()]);
  assert.deepEqual([...back.updates.entries()], [...disk.updates.entries()]);
  assert.equal(JSON.stringify(agentDiskToJson(back)), text, 'a second commit writes the same bytes');
});

test('an empty disk stays empty', () => {
  const back = agentDiskFromJson(JSON.parse(JSON.stringify(agentDiskToJson(newAgentDisk()))));
  assert.equal(back.agentId, null);
  assert.equal(back.tasks.size + back.frameworks.size + back.updates.size, 0);
});
