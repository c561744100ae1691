/**
 * The one table of fault kinds: every reader of fault kinds (the scenario
 * parser, target resolution, the fuzz generator's draws and `--faults`, the
 * history validator, help texts) reads this table instead of spelling the
 * kinds out. Adding a kind to the `Fault` union of faults.ts without a row
 * here does not compile.
 */
import type { FaultKind } from './faults.js';

/** The shape of one field of a concrete fault, as the history validator checks it. */
export type FaultFieldType = 'string' | 'number' | 'boolean' | 'strings' | 'groups' | 'object';

/** Which nodes a scenario step's target may pick among: what runs, what is paused, or any. */
export type FaultTargetPick = 'up' | 'paused' | 'any';

/** What the table says about one kind. */
export interface FaultKindInfo {
  /** One line for help texts. */
  readonly summary: string;
  /** Fields the concrete fault carries beyond `kind`. */
  readonly fields: Readonly<Record<string, FaultFieldType>>;
  /** Which nodes a scenario target may pick among (kill what runs, resume what is paused). */
  readonly pick: FaultTargetPick;
  /** The fault this one undoes; such a fault is never drawn by fuzz on its own, only paired with what it undoes. */
  readonly undoes: FaultKind | null;
}

/** Every fault kind, in help order. */
export const FAULT_KIND_TABLE: { readonly [K in FaultKind]: FaultKindInfo } = {
  'kill-agent': { summary: 'crash an agent host (the agent and its tasks die)', fields: { node: 'string' }, pick: 'up', undoes: null },
  'restart-agent': { summary: 'start an agent again (a reboot after a crash, else a process restart)', fields: { node: 'string' }, pick: 'any', undoes: null },
  'pause-agent': { summary: 'stop an agent process (SIGSTOP)', fields: { node: 'string' }, pick: 'up', undoes: null },
  'resume-agent': { summary: 'continue a paused agent (SIGCONT)', fields: { node: 'string' }, pick: 'paused', undoes: 'pause-agent' },
  partition: { summary: 'cut the network between groups of nodes (symmetric or one-way)', fields: { groups: 'groups', oneWay: 'boolean' }, pick: 'up', undoes: null },
  heal: { summary: 'remove every partition, link fault and clog', fields: {}, pick: 'up', undoes: 'partition' },
  link: { summary: 'degrade links: delay, jitter, loss, duplication', fields: { from: 'strings', to: 'strings', oneWay: 'boolean', spec: 'object' }, pick: 'up', undoes: null },
  clog: { summary: 'hold every message to and from nodes', fields: { nodes: 'strings' }, pick: 'up', undoes: null },
  unclog: { summary: 'release a clog; held messages flow in order', fields: { nodes: 'strings' }, pick: 'any', undoes: 'clog' },
  'swizzle-clog': { summary: 'clog nodes one by one, then unclog them in a random order', fields: { nodes: 'strings', stepMs: 'number' }, pick: 'up', undoes: null },
  'kill-master': { summary: 'kill a master process', fields: { node: 'string' }, pick: 'up', undoes: null },
  'restart-master': { summary: 'start a master again', fields: { node: 'string' }, pick: 'any', undoes: null },
  'pause-master': { summary: 'stop a master process (SIGSTOP)', fields: { node: 'string' }, pick: 'up', undoes: null },
  'resume-master': { summary: 'continue a paused master', fields: { node: 'string' }, pick: 'paused', undoes: 'pause-master' },
  failover: { summary: "expire the leader's coordinator session (a standby takes over)", fields: { node: 'string' }, pick: 'up', undoes: null },
  'kill-task': { summary: 'kill one task from outside', fields: { taskId: 'string', frameworkId: 'string' }, pick: 'up', undoes: null },
  'crash-framework': { summary: "crash a framework's scheduler", fields: { node: 'string' }, pick: 'up', undoes: null },
  'restart-framework': { summary: "start a framework's scheduler again (it fails over to its framework id)", fields: { node: 'string' }, pick: 'any', undoes: null },
};

/** Every fault kind, in the table's order. */
export const FAULT_KINDS = Object.keys(FAULT_KIND_TABLE) as readonly FaultKind[];

/** Whether a string names a fault kind. */
export function isFaultKind(text: string): text is FaultKind {
  return Object.hasOwn(FAULT_KIND_TABLE, text);
}
