/**
 * `frameworks:`: frameworks under test that run outside faultline, as
 * processes `faultline run` starts with the master's address and stops at the
 * end of the run.
 *
 *   frameworks:
 *     - external:
 *         name: ext                          # the name it subscribes with; default external-<n>
 *         command: node my-scheduler.js      # run with sh -c; $FAULTLINE_MASTER is host:port
 *         env: {INSTANCES: "3"}
 */
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import { asList, asMap, describe, Fields, readName, readString, type Source } from './source.js';
import type { ExternalFrameworkSpec } from './types.js';

/** Reads the top-level `frameworks` list (absent or empty: none). */
export function readFrameworks(src: Source, node: YamlNode | null | undefined, taken: ReadonlySet<string>): ExternalFrameworkSpec[] {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return [];
  const items = asList(src, node, 'frameworks') ?? [];
  const out: ExternalFrameworkSpec[] = [];
  const names = new Set(taken);
  items.forEach((item, i) => {
    const entry = asMap(src, item, `frameworks[${i}]`);
    if (entry === undefined) return;
    const outer = new Fields(src, entry, `frameworks[${i}]`, ['external']);
    const external = outer.required('external', 'external: {command: "node my-scheduler.js"}');
    if (external === undefined) return;
    const map = asMap(src, external.value, 'external');
    if (map === undefined) return;
    const fields = new Fields(src, map, 'external', ['name', 'command', 'env'], { cmd: 'command', environment: 'env' });
    const nameField = fields.get('name');
    const name = nameField === undefined ? `external-${i + 1}` : readName(src, nameField.value, 'name');
    const commandField = fields.required('command', 'command: "node my-scheduler.js"');
    const command = commandField === undefined ? undefined : readString(src, commandField.value, 'command');
    const env = readEnv(src, fields.get('env')?.value);
    if (name === undefined || command === undefined || env === undefined) return;
    if (names.has(name)) {
      src.semantic(nameField?.value ?? map, `the name "${name}" is taken: app and framework names are unique`);
      return;
    }
    names.add(name);
    out.push({ name, command, env, loc: src.locOf(item) });
  });
  return out;
}

/** `env: {KEY: value}`: names of environment variables and their text values. */
function readEnv(src: Source, node: YamlNode | null | undefined): Readonly<Record<string, string>> | undefined {
  if (node === undefined || node === null) return {};
  if (!isMap(node)) return src.schema(node, `env must be a mapping of variable names to values, got ${describe(node)}`);
  const env: Record<string, string> = {};
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return src.schema(pair.key as YamlNode, 'env names are letters, digits and "_", not starting with a digit');
    if (key === 'FAULTLINE_MASTER') return src.semantic(pair.key as YamlNode, 'FAULTLINE_MASTER is set by faultline run (the master\'s host:port)');
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return src.schema(pair.value as YamlNode, `env ${key} must be text, got ${describe(pair.value as YamlNode)}`);
    env[key] = String(value);
  }
  return env;
}
