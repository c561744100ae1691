/** A DelayLink over a running proxy: the proxy's controls, and a close that runs once. */
import type { DelayProxy } from './delay-proxy.js';
import type { DelayLink } from './types.js';

/** Wraps `proxy` as a link the lab's node reaches at `host:port`; `close` runs once however often it is called. */
export function linkOf(proxy: DelayProxy, host: string, port: number, close: () => Promise<void>): DelayLink {
  let closing: Promise<void> | null = null;
  return {
    host,
    port,
    setDelay: (delayMs) => proxy.setDelay(delayMs),
    cutOff: (on) => proxy.cutOff(on),
    close: () => (closing ??= close()),
  };
}
