/**
 * The master registry in ZooKeeper: one znode, `PATH/registry`, holding the
 * RegistrySnapshot as JSON. A write reads it with its version, applies the
 * operations, and commits `check(writer's election node)` +
 * `setData(registry, data, version)` (or `create` the first time) as one
 * transaction. The check is the fencing: a writer whose session has lost its
 * election node writes nothing. Before it, the writer must be the smallest
 * member; since sequences only grow, a member that was smallest and still
 * exists at commit time still leads. The version makes concurrent writers
 * (a leader's two writes racing) retry rather than lose an update.
 */
import type { Client } from 'node-zookeeper-client';
import { EMPTY_REGISTRY, RegistryStore } from '../../core/coordinator/registry-store.js';
import type { RegistryAgent, RegistryOp, RegistrySnapshot } from '../../core/messages.js';
import { leadingMember } from './master-info.js';
import { CREATE_MODE, zkChildren, zkCommit, zkData, zkExists, type ZkOutcome } from './zk-ops.js';

/** The registry's child under the election path (not a `json.info_` name, so the election skips it). */
export const REGISTRY_CHILD = 'registry';

/** How often a write retries when another write changed the registry in between. */
const VERSION_RETRIES = 5;

const AGENT_STATES: ReadonlySet<string> = new Set(['admitted', 'unreachable', 'gone']);

function validAgent(value: unknown): value is RegistryAgent {
  if (typeof value !== 'object' || value === null) return false;
  const agent = value as Record<string, unknown>;
  return (
    typeof agent.agentId === 'string' &&
    typeof agent.host === 'string' &&
    typeof agent.state === 'string' &&
    AGENT_STATES.has(agent.state) &&
    (agent.sinceMs === null || (typeof agent.sinceMs === 'number' && Number.isFinite(agent.sinceMs)))
  );
}

/** The registry as znode data. */
export function encodeRegistry(snapshot: RegistrySnapshot): string {
  return JSON.stringify({ agents: snapshot.agents, nextAgentNumber: snapshot.nextAgentNumber });
}

/** Reads znode data back; null when it is not a registry (someone else's node, a damaged write). */
export function decodeRegistry(text: string): RegistrySnapshot | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { agents, nextAgentNumber } = parsed as Record<string, unknown>;
  if (!Array.isArray(agents) || !agents.every(validAgent)) return null;
  if (typeof nextAgentNumber !== 'number' || !Number.isInteger(nextAgentNumber) || nextAgentNumber < 0) return null;
  return { agents, nextAgentNumber };
}

/** The registry and its data version (null: the znode does not exist yet, the registry is empty). */
export interface StoredRegistry {
  readonly snapshot: RegistrySnapshot;
  readonly version: number | null;
}

/** Reads `PATH/registry`. */
export async function readRegistry(client: Client, path: string): Promise<ZkOutcome<StoredRegistry>> {
  const data = await zkData(client, `${path}/${REGISTRY_CHILD}`);
  if (!data.ok) return data.code === 'NO_NODE' ? { ok: true, value: { snapshot: EMPTY_REGISTRY, version: null } } : data;
  const snapshot = decodeRegistry(data.value.text);
  if (snapshot === null) return { ok: false, code: 'OTHER', message: `${path}/${REGISTRY_CHILD} does not hold a registry` };
  return { ok: true, value: { snapshot, version: data.value.version } };
}

/** How a fenced write ended. */
export type RegistryWriteOutcome = { readonly accepted: true } | { readonly accepted: false; readonly reason: string };

/** Who writes: the election node of the writer's own session and the epoch it leads. */
export interface RegistryWriter {
  readonly client: Client;
  readonly path: string;
  /** The writer's `PATH/json.info_<seq>`. */
  readonly memberPath: string;
  readonly epoch: number;
}

/** Applies `ops` to the stored registry if, and only if, the writer leads at commit time. */
export async function writeRegistryFenced(writer: RegistryWriter, ops: readonly RegistryOp[]): Promise<RegistryWriteOutcome> {
  const { client, path, memberPath, epoch } = writer;
  const registryPath = `${path}/${REGISTRY_CHILD}`;
  for (let attempt = 0; attempt <= VERSION_RETRIES; attempt += 1) {
    const children = await zkChildren(client, path);
    if (!children.ok) return { accepted: false, reason: `cannot list ${path}: ${children.message}` };
    const leading = leadingMember(children.value);
    if (leading === null || leading.sequence !== epoch) {
      return { accepted: false, reason: `epoch ${epoch} does not lead (the smallest member is ${leading ? leading.sequence : 'none'})` };
    }
    const stored = await readRegistry(client, path);
    if (!stored.ok) return { accepted: false, reason: stored.message };
    const store = RegistryStore.from(stored.value.snapshot);
    for (const op of ops) store.apply(op);
    const data = Buffer.from(encodeRegistry(store.snapshot()), 'utf8');
    const transaction = client.transaction().check(memberPath);
    if (stored.value.version === null) transaction.create(registryPath, data, CREATE_MODE.PERSISTENT);
    else transaction.setData(registryPath, data, stored.value.version);
    const committed = await zkCommit(transaction);
    if (committed.ok) return { accepted: true };
    if (committed.code === 'BAD_VERSION' || committed.code === 'NODE_EXISTS') continue;
    if (committed.code === 'NO_NODE') {
      // Either the writer's election node is gone (fenced) or the registry was removed under us (retry).
      const member = await zkExists(client, memberPath);
      if (member.ok && member.value !== null) continue;
      return { accepted: false, reason: `fenced: ${memberPath} is gone (its session ended)` };
    }
    return { accepted: false, reason: `the registry transaction failed: ${committed.message}` };
  }
  return { accepted: false, reason: `the registry kept changing under epoch ${epoch}` };
}
