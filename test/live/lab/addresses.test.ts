/**
 * Lab addresses (no root): 127.0.0.10 upwards, each once, past .254 into
 * 127.0.1.x, never a .0 or .255 host; and the IPv4 check drop relies on.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAddressAllocator, isIpv4, labAddress } from '../../../src/live/lab/index.js';
import { ADDRESS_CAPACITY } from '../../../src/live/lab/addresses.js';

describe('lab addresses', () => {
  it('start at 127.0.0.10 and count up', () => {
    const allocator = createAddressAllocator();
    assert.deepEqual([allocator.next(), allocator.next(), allocator.next()], ['127.0.0.10', '127.0.0.11', '127.0.0.12']);
  });

  it('go on into 127.0.1.1 after 127.0.0.254, and end at 127.255.255.254', () => {
    assert.equal(labAddress(244), '127.0.0.254');
    assert.equal(labAddress(245), '127.0.1.1');
    assert.equal(labAddress(ADDRESS_CAPACITY - 1), '127.255.255.254');
    assert.throws(() => labAddress(ADDRESS_CAPACITY), /out of range/);
    assert.throws(() => labAddress(-1), /out of range/);
  });

  it('are unique, valid IPv4, inside 127/8, never a .0 or .255 host', () => {
    const allocator = createAddressAllocator();
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i += 1) {
      const address = allocator.next();
      assert.ok(isIpv4(address), address);
      assert.ok(address.startsWith('127.'), address);
      assert.ok(!/\.(0|255)$/.test(address), address);
      assert.ok(!seen.has(address), `${address} twice`);
      seen.add(address);
    }
  });

  it('two labs allocate independently', () => {
    const one = createAddressAllocator();
    const two = createAddressAllocator();
    one.next();
    assert.equal(two.next(), '127.0.0.10');
  });

  it('isIpv4 accepts dotted quads only', () => {
    for (const good of ['127.0.0.1', '0.0.0.0', '255.255.255.255']) assert.ok(isIpv4(good), good);
    for (const bad of ['127.0.0', '127.0.0.1.1', '256.0.0.1', '01.0.0.1', 'a.b.c.d', '127.0.0.1/32', ' 127.0.0.1']) assert.ok(!isIpv4(bad), bad);
  });
});
