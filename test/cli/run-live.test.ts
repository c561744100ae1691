/** `faultline run --live` before anything starts: a scenario with several masters needs ZooKeeper installed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsMissingZooKeeper } from '../../src/cli/commands/run-live.js';

describe('run --live without ZooKeeper', () => {
  it('names the first scenario with several masters when the jar is missing, and none when it is there', async () => {
    const files = ['scenarios/kill-task.yaml', 'scenarios/agent-loss.yaml'];
    const single = (await import('node:fs')).readFileSync('scenarios/kill-task.yaml', 'utf8');
    assert.match(single, /masters: 1|masters:\s*1/, 'kill-task has one master');
    assert.equal(await needsMissingZooKeeper(files, '/nonexistent/zookeeper.jar'), 'scenarios/agent-loss.yaml');
    assert.equal(await needsMissingZooKeeper(['scenarios/kill-task.yaml'], '/nonexistent/zookeeper.jar'), null);
    assert.equal(await needsMissingZooKeeper(files, 'package.json'), null);
  });
});
