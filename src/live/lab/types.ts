/**
 * The network lab's public types (net-lab.ts opens one; iptables-lab.ts and
 * transport-lab.ts are its two mechanisms).
 */
import type { Result } from '../../core/errors.js';
import type { CommandRunner } from './command-runner.js';
import type { DelayDraw, HostPort } from './delay-proxy.js';
import type { Portal } from './portal.js';

/** Which mechanism carries the lab's network faults. */
export type NetLabMode = 'iptables' | 'transport';

/** What `openNetLab` is asked for: `auto` probes, `iptables` insists (UNSUPPORTED otherwise), `transport` never tries. */
export type NetLabRequest = 'auto' | NetLabMode;

/** Options for `openNetLab`. */
export interface OpenNetLabOptions {
  /** Default `auto`. */
  readonly mode?: NetLabRequest;
  /** The namespace's name; default `flt-<pid>-<n>` (what `sweepStaleLabs` recognises). */
  readonly name?: string;
  /** Runs `ip` and `iptables`; default execFile with a timeout. Tests inject a fake. */
  readonly exec?: CommandRunner;
  /** Whether this process may create namespaces; default: its uid is 0. Tests set it. */
  readonly runningAsRoot?: boolean;
}

/** Options for `drop`. */
export interface DropOptions {
  /** Only from → to; otherwise to → from as well. */
  readonly oneWay: boolean;
  /** In (0, 1]: drop each packet with this probability (a lossy link); absent: every packet. */
  readonly probability?: number;
}

/** What `delayLink` takes: the node that connects, where it would connect, and each chunk's delay. */
export interface DelayLinkOptions {
  /** The connecting node's address: the proxy's upstream connection leaves from it, so drops between `from` and `to` still apply. */
  readonly from: string;
  readonly to: HostPort;
  readonly delayMs: DelayDraw;
}

/** A delayed link: the `from` node connects to `host:port` instead of `to`. */
export interface DelayLink {
  /** An address of its own in the lab (allocated like a node's). */
  readonly host: string;
  readonly port: number;
  /** Replaces the delay for chunks read from now on. */
  setDelay(delayMs: DelayDraw): void;
  /** A partition in the proxy: closes its connections and new ones until lifted. */
  cutOff(on: boolean): void;
  /** Stops it; idempotent. Closed with the lab. */
  close(): Promise<void>;
}

/** A lab: its mechanism, its addresses, how to start processes in it, its faults and its cleanup. */
export interface NetLab {
  readonly mode: NetLabMode;
  /** One line for the run report: which mechanism and why. */
  readonly why: string;
  /** The namespace (iptables mode), or null. */
  readonly namespace: string | null;
  /** 127.0.0.10, .11, ...: unique in this lab. */
  allocateAddress(): string;
  /** The command line that runs `command` in the lab: `ip netns exec NAME command ...`, or unchanged in transport mode. */
  wrap(command: string, args: readonly string[]): { command: string; args: string[] };
  /** DROPs packets from each `from` to each `to` (and back unless oneWay). Transport mode: UNSUPPORTED. */
  drop(from: readonly string[], to: readonly string[], options: DropOptions): Promise<Result<true>>;
  /** Removes every rule this lab added (a no-op in transport mode). */
  heal(): Promise<Result<true>>;
  /**
   * A port on the host's 127.0.0.1 that leads to `target` inside the lab, for the runner's own
   * connections (a master's HTTP API): the runner stays in the host's namespace. Transport mode:
   * the target itself. Closed with the lab.
   */
  portal(target: HostPort): Promise<Result<Portal>>;
  /**
   * A delay proxy between two nodes of the lab (this kernel has no netem): it listens inside the
   * lab and forwards to `to` from `from`'s address, each chunk after its drawn delay, order kept.
   * Give the `from` node the link's host:port in place of `to`'s.
   */
  delayLink(options: DelayLinkOptions): Promise<Result<DelayLink>>;
  /** The processes in the namespace now (`ip netns pids`); none in transport mode. */
  pids(): Promise<number[]>;
  /** SIGKILLs every process in the namespace and deletes it. Idempotent; never throws. */
  close(): Promise<void>;
}
