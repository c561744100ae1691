/**
 * Which modules a piece of code loads, seen from a fresh process: the ES
 * module loader hook there reports every module it resolves. For the tests that
 * keep heavy modules (the runner, Ink) off paths that must start fast.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

const HOOK = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const at = result.url.search(/\\/(src|node_modules)\\//);
  if (at >= 0) process.stderr.write('LOADED ' + result.url.slice(at + 1) + '\\n');
  return result;
}`;

/**
 * Runs `script` (an ES module body, TypeScript through tsx, from the repository
 * root) in a new process and returns the files it loaded under src/ and
 * node_modules/, as paths from the root. The script must end by writing
 * `DONE` on a line of its own to stderr.
 */
export function modulesLoadedBy(script: string): string[] {
  const body = `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));\n${script}`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', body], { cwd: ROOT, encoding: 'utf8' });
  assert.match(result.stderr, /^DONE$/m, result.stderr);
  return [...result.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1] as string);
}
