/**
 * The forwarder's header line (no root): `HOST PORT [LOCAL]` names the target
 * inside the lab and the source address to connect from; anything else is
 * refused. The forwarder's own source embeds the same pattern.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FORWARDER_SOURCE, PORTAL_HEADER_PATTERN, parsePortalHeader, portalHeader } from '../../../src/live/lab/portal-forwarder.js';

describe('portal header', () => {
  it('round-trips a target, with and without a source address', () => {
    const header = portalHeader({ host: '127.0.0.10', port: 5050 });
    assert.equal(header, '127.0.0.10 5050\n');
    assert.deepEqual(parsePortalHeader(header.trimEnd()), { host: '127.0.0.10', port: 5050 });
    const from = portalHeader({ host: '127.0.0.10', port: 5050, localAddress: '127.0.0.21' });
    assert.equal(from, '127.0.0.10 5050 127.0.0.21\n');
    assert.deepEqual(parsePortalHeader(from.trimEnd()), { host: '127.0.0.10', port: 5050, localAddress: '127.0.0.21' });
  });

  it('refuses anything but `IPv4 PORT [IPv4]`', () => {
    for (const bad of ['', 'localhost 80', '127.0.0.10', '127.0.0.10 0', '127.0.0.10 65536', '127.0.0.10 80 extra', '127.0.0.10  80', '127.0.0.10 80 127.0.0.1 x']) {
      assert.equal(parsePortalHeader(bad), null, bad);
    }
  });

  it('the forwarder parses with the same pattern', () => {
    assert.ok(FORWARDER_SOURCE.includes(`new RegExp(${JSON.stringify(PORTAL_HEADER_PATTERN)})`), "FORWARDER_SOURCE.includes(`new RegExp(${JSON.stringify(PORTAL_HEADER_PATTERN)})`)");
  });
});
