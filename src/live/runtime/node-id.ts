/**
 * A daemon's `--node-id`: the node id of its core actor, what the history
 * names it by (`agent-1`, `master-2`). Restricted to what is safe in a URL
 * path, a file name and a ZooKeeper MasterInfo: 1-64 of [A-Za-z0-9._:-].
 */
import { err, ok, type Result } from '../../core/errors.js';
import type { NodeId } from '../../core/ids.js';

const NODE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** `text` as a node id, or a USAGE error at `where`. */
export function parseNodeId(text: string, where = '--node-id'): Result<NodeId> {
  if (NODE_ID.test(text)) return ok(text);
  return err('USAGE', `"${text.length > 70 ? `${text.slice(0, 64)}...` : text}" is not a node id (1-64 characters of A-Z a-z 0-9 . _ : -)`, where);
}
