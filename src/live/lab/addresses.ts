/**
 * Node addresses in a lab: 127.0.0.10, 127.0.0.11, ... Every address in
 * 127.0.0.0/8 is local on a loopback interface, so a node can bind its own
 * without configuring anything, in a lab's namespace or on the host's `lo`
 * (transport mode). The first ten are left out: 127.0.0.1 is everyone's
 * localhost. Pure: tests call it without root.
 */
import { assert } from '../../core/errors.js';

/** The first address a lab hands out is 127.0.0.(FIRST_HOST_OCTET). */
export const FIRST_HOST_OCTET = 10;

/** Host octets skip 0 and 255 so no address looks like a network or broadcast one. */
const HOSTS_PER_SUBNET = 254;

/** Addresses available from 127.0.0.10 to 127.255.255.254. */
export const ADDRESS_CAPACITY = 256 * 256 * HOSTS_PER_SUBNET - (FIRST_HOST_OCTET - 1);

/** The index-th address (0 is 127.0.0.10; after 127.0.0.254 comes 127.0.1.1). */
export function labAddress(index: number): string {
  assert(Number.isInteger(index) && index >= 0 && index < ADDRESS_CAPACITY, `lab address index ${index} out of range`);
  const n = index + FIRST_HOST_OCTET - 1; // 0-based position among host octets 1..254
  const host = (n % HOSTS_PER_SUBNET) + 1;
  const subnet = Math.floor(n / HOSTS_PER_SUBNET);
  return `127.${Math.floor(subnet / 256)}.${subnet % 256}.${host}`;
}

/** Hands out lab addresses in order, each once. */
export interface AddressAllocator {
  next(): string;
}

/** A fresh allocator starting at 127.0.0.10. */
export function createAddressAllocator(): AddressAllocator {
  let index = 0;
  return {
    next() {
      const address = labAddress(index);
      index += 1;
      return address;
    },
  };
}

/** Whether `text` is a dotted IPv4 address (four octets 0..255, no leading zeros). */
export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255);
}
