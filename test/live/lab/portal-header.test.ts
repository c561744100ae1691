/**
 * The portal's header line (no root): `HOST PORT\n` names the target inside
 * the lab; anything else is refused by the forwarder, which parses it the
 * same way (its source is checked to carry the same pattern).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FORWARDER_SOURCE, parsePortalHeader, portalHeader } from '../../../src/live/lab/portal-forwarder.js';

describe('portal header', () => {
  it('round-trips an IPv4 target', () => {
    const header = portalHeader({ host: '127.0.0.10', port: 5050 });
    assert.equal(header, '127.0.0.10 5050\n');
    assert.deepEqual(parsePortalHeader(header.trimEnd()), { host: '127.0.0.10', port: 5050 });
  });

  it('refuses anything but `IPv4 PORT`', () => {
    for (const bad of ['', 'localhost 80', '127.0.0.10', '127.0.0.10 0', '127.0.0.10 65536', '127.0.0.10 80 extra', '127.0.0.10  80']) assert.equal(parsePortalHeader(bad), null, bad);
  });

  it('the forwarder parses with the same pattern', () => {
    assert.ok(FORWARDER_SOURCE.includes(String.raw`/^(\d{1,3}(?:\.\d{1,3}){3}) (\d{1,5})$/`));
  });
});
