/**
 * Where the operator API is: `--master HOST:PORT` or `http://HOST:PORT`
 * (parsed as the scheduler client does), the leader behind
 * `/master/redirect`, and the path `/api/v1` on it.
 */
import { err, ok, type Result } from '../../core/errors.js';
import { parseMasterAddress, resolveRedirect, type MasterEndpoint } from '../scheduler-client/endpoint.js';

/** The operator API's path on a master (`/master/api/v1` is the same route). */
export const OPERATOR_API_PATH = '/api/v1';

/** Parses `--master` HOST:PORT for the operator API; `zk://` is refused here (`faultline top` detects the leader first). */
export function parseOperatorMaster(text: string, where = '--master'): Result<MasterEndpoint> {
  if (text.trim().startsWith('zk://')) return err('USAGE', `"${text.trim()}": ZooKeeper detection is not yet supported here; give a master as HOST:PORT`, where);
  const parsed = parseMasterAddress(text, where);
  if (!parsed.ok) return parsed;
  return ok(onOperatorPath(parsed.value));
}

/** The same master, at the operator API's path (with its HTTP Basic credentials, if any). */
export function onOperatorPath(endpoint: MasterEndpoint): MasterEndpoint {
  const at = { host: endpoint.host, port: endpoint.port, path: OPERATOR_API_PATH };
  return endpoint.authorization === undefined ? at : { ...at, authorization: endpoint.authorization };
}

/** Where a 307's Location sends an operator call (Mesos sends `//host:port[/path]`). */
export function operatorRedirect(from: MasterEndpoint, location: string): Result<MasterEndpoint> {
  const target = resolveRedirect(from, location);
  if (!target.ok) return target;
  // The leader takes the same secret: the credentials follow the redirect (as `faultline execute`'s do).
  return ok(onOperatorPath(from.authorization === undefined ? target.value : { ...target.value, authorization: from.authorization }));
}
