/**
 * The agent's checkpoint in a file: what the core agent keeps survives a
 * write and a read (maps, order, the unacknowledged updates), an unchanged
 * disk is not rewritten, no temporary file is left, and a corrupt or
 * wrongly shaped file is a CHECKPOINT_CORRUPT error naming the file.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentDiskToJson } from '../../../src/core/agent/disk.js';
import type { AgentId, FrameworkId, NodeId, TaskId } from '../../../src/core/ids.js';
import { resources } from '../../../src/core/resources.js';
import { AGENT_CHECKPOINT_FILE, openFileAgentDisk, readAgentDisk } from '../../../src/live/agent/file-disk.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-disk-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the agent checkpoint file', () => {
  it('an absent file is an empty disk; commits round-trip; unchanged disks are not rewritten', () => {
    const opened = openFileAgentDisk(dir);
    assert.ok(opened.ok);
    const file = opened.value;
    assert.equal(file.disk.agentId, null);
    assert.equal(file.commit(), false, 'nothing changed: no write');
    assert.deepEqual(readdirSync(dir), []);

    const taskId = 't1' as TaskId;
    const frameworkId = 'f1' as FrameworkId;
    file.disk.agentId = 'a1' as AgentId;
    file.disk.frameworks.set(frameworkId, { frameworkId, name: 'web', schedulerNode: 'sched' as NodeId, partitionAware: true });
    file.disk.tasks.set(taskId, { task: { taskId, name: 'web', agentId: 'a1' as AgentId, resources: resources({ cpus: 1, ports: [{ begin: 31000, end: 31000 }] }), command: 'sleep 1' }, frameworkId, state: 'TASK_RUNNING' });
    file.disk.updates.set(taskId, [{ taskId, frameworkId, agentId: 'a1' as AgentId, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: 'u1' as never, timestampMs: 5 }]);
    assert.equal(file.commit(), true);
    assert.equal(file.commit(), false);
    assert.deepEqual(readdirSync(dir), [AGENT_CHECKPOINT_FILE], 'no temporary file left');

    const again = readAgentDisk(file.path);
    assert.ok(again.ok);
    assert.deepEqual(agentDiskToJson(again.value), agentDiskToJson(file.disk));
  });

  it('a corrupt or wrongly shaped file: CHECKPOINT_CORRUPT, where = the file', () => {
    const path = join(dir, AGENT_CHECKPOINT_FILE);
    const bad = [
      '{oops',
      'null',
      '{"version":2}',
      '{"version":1,"agentId":5,"tasks":[],"frameworks":[],"updates":[]}',
      '{"version":1,"agentId":null,"tasks":[{"task":{}}],"frameworks":[],"updates":[]}',
      '{"version":1,"agentId":null,"tasks":[],"frameworks":[{}],"updates":[]}',
      '{"version":1,"agentId":null,"tasks":[],"frameworks":[],"updates":[["t",[{"state":"NOPE"}]]]}',
    ];
    for (const text of bad) {
      writeFileSync(path, text);
      const read = openFileAgentDisk(dir);
      assert.ok(!read.ok, text);
      assert.equal(read.error.code, 'CHECKPOINT_CORRUPT', text);
      assert.equal(read.error.where, path);
    }
  });
});
