/** The resource shorthand of the tests. */
import { parseResources, type Resources } from '../../src/core/resources.js';

/** Resources from Mesos text, `res('cpus:4;mem:1024')`; throws on a typo in the test itself. */
export function res(text: string): Resources {
  const parsed = parseResources(text);
  if (!parsed.ok) throw new Error(`res(${JSON.stringify(text)}): ${parsed.error.message}`);
  return parsed.value;
}
