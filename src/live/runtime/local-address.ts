/**
 * Where a daemon's own connections leave from. A live run gives every process
 * an address of its own on loopback and partitions them with iptables rules
 * that match on addresses, but the kernel picks 127.0.0.1 as the source of
 * every loopback connection unless told: a daemon listening on one address
 * talks from it too.
 */

/** The local address for a daemon listening on `host`; undefined for every interface (no one address to talk from). */
export function localAddressOf(host: string): string | undefined {
  return host === '0.0.0.0' || host === '::' || host === '' ? undefined : host;
}
