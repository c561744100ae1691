/** The command lines a live run starts its daemons with: node ids, addresses, event logs, ZooKeeper only with several masters. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentArgv, masterArgv } from '../../../src/live/cluster/daemon-argv.js';
import { parseResources } from '../../../src/core/resources.js';

const common = { node: 'master-2', listen: { ip: '127.0.0.12', port: 5050 }, workDir: '/w/m2', eventLog: '/w/e/m2.1.jsonl', timing: 'fast' as const };

describe('daemon argv', () => {
  it('a lone master has no --zk and allows chaos', () => {
    const argv = masterArgv({ ...common, zk: null, zkSessionTimeoutMs: 4000 });
    assert.deepEqual(argv.slice(0, 3), ['master', '--node-id', 'master-2']);
    assert.ok(argv.includes('--allow-chaos'));
    assert.ok(!argv.includes('--zk'));
    assert.equal(argv[argv.indexOf('--listen') + 1], '127.0.0.12:5050');
    assert.equal(argv[argv.indexOf('--event-log') + 1], '/w/e/m2.1.jsonl');
  });

  it('HA masters elect in ZooKeeper with the run\'s session timeout', () => {
    const argv = masterArgv({ ...common, zk: 'zk://127.0.0.10:2181/faultline', zkSessionTimeoutMs: 4000 });
    assert.equal(argv[argv.indexOf('--zk') + 1], 'zk://127.0.0.10:2181/faultline');
    assert.equal(argv[argv.indexOf('--zk-session-timeout') + 1], '4000ms');
  });

  it('an agent carries its resources and attributes as the daemon parses them', () => {
    const resources = parseResources('cpus:2;mem:4096;ports:[31000-32000]');
    assert.ok(resources.ok);
    const argv = agentArgv({ ...common, node: 'agent-3', master: 'zk://127.0.0.10:2181/faultline', resources: resources.value, attributes: { rack: 'r1', zone: 'a' } });
    assert.equal(argv[argv.indexOf('--resources') + 1], 'cpus:2;mem:4096;ports:[31000-32000]');
    assert.equal(argv[argv.indexOf('--attributes') + 1], 'rack:r1;zone:a');
    assert.equal(argv[argv.indexOf('--node-id') + 1], 'agent-3');
  });
});
