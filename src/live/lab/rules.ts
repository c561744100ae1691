/**
 * The iptables rules a lab adds, as argument lists and iptables-restore
 * text. Pure: tests check them without root.
 *
 * All of a lab's rules live in one chain of its own (LAB_CHAIN), jumped to
 * from INPUT, so heal is one flush and nothing else in the namespace is
 * touched. On loopback every packet passes OUTPUT and then INPUT, so INPUT
 * with `-s FROM -d TO` drops exactly the FROM→TO direction.
 */
import { err, ok, type Result } from '../../core/errors.js';
import { isIpv4 } from './addresses.js';

/** The lab's own chain in the filter table. */
export const LAB_CHAIN = 'FLT';

/** Wait this long for the xtables lock rather than fail at once (another iptables in the namespace holds it). */
export const XTABLES_WAIT_S = 5;

/** `iptables` arguments creating the chain and jumping to it first thing in INPUT. */
export function setupCommands(): string[][] {
  return [
    ['-w', String(XTABLES_WAIT_S), '-N', LAB_CHAIN],
    ['-w', String(XTABLES_WAIT_S), '-I', 'INPUT', '1', '-j', LAB_CHAIN],
  ];
}

/** `iptables` arguments removing every rule the lab added (heal). */
export function healCommand(): string[] {
  return ['-w', String(XTABLES_WAIT_S), '-F', LAB_CHAIN];
}

/** `iptables-restore` arguments that append rules and keep everything else. */
export function restoreArgs(): string[] {
  return ['-w', String(XTABLES_WAIT_S), '--noflush'];
}

/** What to drop: from each `from` to each `to`, and back unless oneWay; sometimes, with a probability. */
export interface DropSpec {
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly oneWay: boolean;
  /** In (0, 1]; absent or 1 drops every packet. */
  readonly probability?: number;
}

/** One directed drop: packets from `source` to `destination`. */
export interface DirectedDrop {
  readonly source: string;
  readonly destination: string;
}

/** The directed pairs a drop covers, each once, in order, without a node's traffic to itself. */
export function directedPairs(spec: Pick<DropSpec, 'from' | 'to' | 'oneWay'>): DirectedDrop[] {
  const seen = new Set<string>();
  const pairs: DirectedDrop[] = [];
  const add = (source: string, destination: string): void => {
    const key = `${source}>${destination}`;
    if (source === destination || seen.has(key)) return;
    seen.add(key);
    pairs.push({ source, destination });
  };
  for (const source of spec.from) {
    for (const destination of spec.to) {
      add(source, destination);
      if (!spec.oneWay) add(destination, source);
    }
  }
  return pairs;
}

/** A probability as iptables reads it: plain decimals, never `1e-7`. */
export function formatProbability(p: number): string {
  const text = String(p);
  return text.includes('e') ? p.toFixed(12).replace(/0+$/, '') : text;
}

/** A rule's match and target: `-s A/32 -d B/32 [-m statistic ...] -j DROP` (without `-A CHAIN`). */
export function dropRule(pair: DirectedDrop, probability?: number): string[] {
  const sometimes = probability !== undefined && probability < 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', formatProbability(probability)] : [];
  return ['-s', `${pair.source}/32`, '-d', `${pair.destination}/32`, ...sometimes, '-j', 'DROP'];
}

/** Checks a drop's addresses and probability: FAULT_INVALID with the bad value otherwise. */
export function validateDrop(spec: DropSpec): Result<true> {
  for (const address of [...spec.from, ...spec.to]) {
    if (!isIpv4(address)) return err('FAULT_INVALID', `"${address}" is not an IPv4 address`);
  }
  const p = spec.probability;
  if (p !== undefined && !(Number.isFinite(p) && p > 0 && p <= 1)) return err('FAULT_INVALID', `drop probability ${p} is not in (0, 1]`);
  return ok(true);
}

/** The iptables-restore input that appends a drop's rules to LAB_CHAIN in one transaction, or null when it covers no pair. */
export function dropRestoreInput(spec: DropSpec): string | null {
  const pairs = directedPairs(spec);
  if (pairs.length === 0) return null;
  const lines = pairs.map((pair) => ['-A', LAB_CHAIN, ...dropRule(pair, spec.probability)].join(' '));
  return ['*filter', ...lines, 'COMMIT', ''].join('\n');
}
