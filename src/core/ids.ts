/**
 * Identifiers. A NodeId names a process on the (simulated or real) network:
 * a master, an agent's host, a scheduler or the coordinator. Mesos-style ids are
 * minted by the leading master: framework `<masterId>-0000`, agent `<masterId>-S<n>`,
 * offer `<masterId>-O<n>`.
 */

/** A process on the network: `master-1`, `agent-3`, `scheduler-web`, `coordinator`. */
export type NodeId = string;
/** `<masterId>-0000` style framework id. */
export type FrameworkId = string;
/** `<masterId>-S<n>` style agent id. */
export type AgentId = string;
/** `<masterId>-O<n>` style offer id. */
export type OfferId = string;
/** Chosen by the scheduler; unique within its framework (we keep it unique cluster-wide). */
export type TaskId = string;
/** Status update uuid (agent-generated updates only). */
export type StatusUuid = string;

/** Formats the n-th framework id minted by a master (Mesos pads to four digits). */
export function frameworkIdOf(masterId: string, n: number): FrameworkId {
  return `${masterId}-${String(n).padStart(4, '0')}`;
}

/** Formats the n-th agent id minted by a master. */
export function agentIdOf(masterId: string, n: number): AgentId {
  return `${masterId}-S${n}`;
}

/** Formats the n-th offer id minted by a master. */
export function offerIdOf(masterId: string, n: number): OfferId {
  return `${masterId}-O${n}`;
}

/** `digits` lowercase hex digits (eight per draw) from a uniform [0,1) stream: deterministic master ids and uuids. */
export function hexId(random: () => number, digits = 8): string {
  const parts: string[] = [];
  for (let left = digits; left > 0; left -= 8) {
    const word = Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0');
    parts.push(left >= 8 ? word : word.slice(0, left));
  }
  // join() yields a flat string; += would leave a rope that costs ~4x the memory until read.
  return parts.join('');
}
