/**
 * The pure parts of ZooKeeper HA: zk:// URLs (one-line USAGE errors for bad
 * ones), Mesos's MasterInfo (the ip as a network-order uint32, reading the
 * address or the pid), election children (json.info_ sequences; others such
 * as log_replicas skipped) and the registry's znode encoding.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_ZK_PATH,
  decodeRegistry,
  encodeRegistry,
  ipv4ToMesosUint32,
  isZkUrl,
  leadingMember,
  masterInfoOf,
  memberSequence,
  parseLeaderInfo,
  parseZkUrl,
} from '../../src/live/zookeeper/index.js';

describe('zk:// URLs', () => {
  it('parse servers and the path; the path defaults to /faultline, never /mesos', () => {
    const one = parseZkUrl('zk://127.0.0.1:2181/faultline');
    assert.deepEqual(one, { ok: true, value: { servers: [{ host: '127.0.0.1', port: 2181 }], connectString: '127.0.0.1:2181', path: '/faultline' } });
    const many = parseZkUrl(' zk://zk1:2181,zk2:2182,zk3/mesos/ ');
    assert.ok(many.ok);
    assert.equal(many.value.connectString, 'zk1:2181,zk2:2182,zk3:2181');
    assert.equal(many.value.path, '/mesos');
    for (const bare of ['zk://h:1', 'zk://h:1/', 'ZK://h:1']) {
      const parsed = parseZkUrl(bare);
      assert.ok(parsed.ok, bare);
      assert.equal(parsed.value.path, DEFAULT_ZK_PATH);
    }
    assert.equal(DEFAULT_ZK_PATH, '/faultline');
    const nested = parseZkUrl('zk://h:1/a/b-c/d_e');
    assert.ok(nested.ok);
    assert.equal(nested.value.path, '/a/b-c/d_e');
    assert.equal(isZkUrl('zk://h:1'), true);
    assert.equal(isZkUrl('127.0.0.1:5050'), false);
  });

  it('refuse bad URLs with one line naming the flag', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['127.0.0.1:2181', /not a ZooKeeper URL/],
      ['http://h:2181/x', /not a ZooKeeper URL/],
      ['zk://', /names no ZooKeeper server/],
      ['zk:///faultline', /names no ZooKeeper server/],
      ['zk://h:2181,,h2:2181/x', /empty server/],
      ['zk://h:0/x', /port "0" is not a number from 1 to 65535/],
      ['zk://h:70000/x', /port "70000"/],
      ['zk://h:abc/x', /port "abc"/],
      ['zk://h:/x', /port ""/],
      ['zk://[::1]:2181/x', /IPv6/],
      ['zk://h d:2181/x', /no valid host/],
      ['zk://user:pass@h:2181/x', /credentials/],
      ['zk://h:2181/a//b', /empty segment/],
      ['zk://h:2181/a/../b', /may not contain "\.\."/],
      ['zk://h:2181/zookeeper/x', /ZooKeeper's own tree/],
      ['zk://h:2181/x?y=1', /no query/],
    ];
    for (const [text, pattern] of cases) {
      const parsed = parseZkUrl(text, '--zk');
      assert.equal(parsed.ok, false, text);
      if (parsed.ok) continue;
      assert.equal(parsed.error.code, 'USAGE', text);
      assert.equal(parsed.error.where, '--zk', text);
      assert.match(parsed.error.message, pattern, text);
      assert.ok(!parsed.error.message.includes('\n'), `${text}: one line`);
    }
  });
});

describe("Mesos's MasterInfo and election children", () => {
  it('write the ip as network byte order read as a host uint32, and the pid', () => {
    assert.equal(ipv4ToMesosUint32('127.0.0.1'), 16777343);
    assert.equal(ipv4ToMesosUint32('10.0.0.2'), 33554442);
    assert.equal(ipv4ToMesosUint32('255.255.255.255'), 4294967295);
    assert.equal(ipv4ToMesosUint32('256.0.0.1'), null);
    assert.equal(ipv4ToMesosUint32('localhost'), null);
    const info = masterInfoOf('master-2', { ip: '127.0.0.2', port: 5050 }, '1.2.3');
    assert.deepEqual(info, {
      ok: true,
      value: {
        address: { hostname: '127.0.0.2', ip: '127.0.0.2', port: 5050 },
        hostname: '127.0.0.2',
        id: 'master-2',
        ip: 33554559,
        pid: 'master@127.0.0.2:5050',
        port: 5050,
        version: '1.2.3',
      },
    });
    const bad = masterInfoOf('m', { ip: '::1', port: 5050 }, 'v');
    assert.equal(bad.ok, false);
  });

  it('take the smallest json.info_ sequence and skip log_replicas and other labels', () => {
    assert.equal(memberSequence('json.info_0000000017'), 17);
    assert.equal(memberSequence('log_replicas'), null);
    assert.equal(memberSequence('registry'), null);
    assert.equal(memberSequence('json.info_'), null);
    assert.equal(memberSequence('json.info_12x'), null);
    assert.deepEqual(leadingMember(['log_replicas', 'json.info_0000000021', 'registry', 'json.info_0000000017', 'json.info_0000000019']), {
      child: 'json.info_0000000017',
      sequence: 17,
    });
    assert.equal(leadingMember(['log_replicas', 'registry']), null);
  });

  it("read a leader's address from a real Mesos node, from its pid, and nothing from garbage", () => {
    const mesos =
      '{"address":{"hostname":"localhost","ip":"127.0.0.1","port":5050},"hostname":"localhost","id":"685fe32d-3a21-4a2d-9a4b-b1c3d9e8f0aa","ip":16777343,"pid":"master@127.0.0.1:5050","port":5050,"version":"1.4.0"}';
    assert.deepEqual(parseLeaderInfo(mesos), { id: '685fe32d-3a21-4a2d-9a4b-b1c3d9e8f0aa', host: '127.0.0.1', port: 5050 });
    assert.deepEqual(parseLeaderInfo('{"pid":"master@10.1.2.3:5051","id":"x"}'), { id: 'x', host: '10.1.2.3', port: 5051 });
    for (const junk of ['', 'master@127.0.0.1:5050', '[]', '{"address":{"ip":"1.2.3.4","port":0}}', '{"pid":"nope"}']) assert.equal(parseLeaderInfo(junk), null, junk);
  });
});

describe('the registry znode', () => {
  it('round-trips a snapshot and refuses data that is not a registry', () => {
    const snapshot = {
      agents: [
        { agentId: 'a-1', host: 'h1', state: 'admitted' as const, sinceMs: null },
        { agentId: 'a-2', host: 'h2', state: 'unreachable' as const, sinceMs: 1234 },
      ],
      nextAgentNumber: 3,
    };
    assert.deepEqual(decodeRegistry(encodeRegistry(snapshot)), snapshot);
    for (const junk of ['', 'null', '{}', '{"agents":[],"nextAgentNumber":-1}', '{"agents":[{"agentId":"a"}],"nextAgentNumber":0}', '{"agents":[{"agentId":"a","host":"h","state":"lost","sinceMs":null}],"nextAgentNumber":0}']) {
      assert.equal(decodeRegistry(junk), null, junk);
    }
  });
});
