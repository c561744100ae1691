/**
 * The layering of docs/ARCHITECTURE.md is enforced by lint: an upward import
 * from any layer, a value import where only types are allowed, and wall time
 * or I/O in a deterministic layer each fail `npm run lint`, while the allowed
 * directions pass. Each case lints a line of code as if it were a file of
 * that layer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function errorsOf(layer: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = [x];\n`, { filePath: join(root, 'src', layer, 'lint-probe.ts') });
  return (result?.messages ?? []).filter((m) => m.severity === 2 && m.ruleId !== '@typescript-eslint/no-unused-vars').map((m) => `${m.ruleId}: ${m.message}`);
}

/** [layer, an import it must not make] for every layer below cli. */
const UPWARD: ReadonlyArray<readonly [string, string]> = [
  ['core', "import { x } from '../cluster/index.js';"],
  ['core', "import { x } from '../sim/cluster.js';"],
  ['core', "import { x } from '../schedulers/workload.js';"],
  ['cluster', "import { x } from '../sim/cluster.js';"],
  ['cluster', "import { x } from '../schedulers/workload.js';"],
  ['cluster', "import { x } from '../chaos/runner/index.js';"],
  ['schedulers', "import { x } from '../cluster/index.js';"],
  ['schedulers', "import { x } from '../sim/runtime.js';"],
  ['sim', "import { x } from '../chaos/runner/index.js';"],
  ['sim', "import { x } from '../schedulers/workload.js';"],
  ['sim', "import { x } from '../live/server.js';"],
  ['api', "import { x } from '../sim/cluster.js';"],
  ['api', "import { x } from '../live/server.js';"],
  ['api', "import { x } from '../cluster/index.js';"],
  ['live', "import { x } from '../sim/cluster.js';"],
  ['live', "import { x } from '../chaos/runner/index.js';"],
  ['live', "import { x } from '../cli/main.js';"],
  ['chaos', "import { x } from '../../sim/cluster.js';"],
  ['chaos', "import { x } from '../../live/server.js';"],
  ['chaos', "import { x } from '../../tui/index.js';"],
  ['chaos', "import { x } from '../../cli/sim-runtime.js';"],
  ['tui', "import { x } from '../sim/cluster.js';"],
  ['tui', "import { x } from '../chaos/runner/index.js';"],
  ['tui', "import { x } from '../cluster/index.js';"],
  ['tui', "import { x } from '../cli/main.js';"],
  ['web', "import { x } from '../live/server.js';"],
  ['web', "import { x } from '../sim/cluster.js';"],
  ['web', "import { x } from '../api/index.js';"],
];

/** Imports that must pass. */
const ALLOWED: ReadonlyArray<readonly [string, string]> = [
  ['cluster', "import { x } from '../core/errors.js';"],
  ['sim', "import { x } from '../cluster/index.js';"],
  ['chaos', "import { x } from '../../cluster/index.js';"],
  ['api', "import type { x } from '../cluster/index.js';"],
  ['tui', "import type { x } from '../cluster/index.js';"],
  ['live', "import { x } from '../api/index.js';"],
  ['web', "import type { x } from '../api/index.js';"],
  ['cli', "import { x } from '../sim/cluster.js';"],
];

describe('lint enforces the layers', () => {
  for (const [layer, code] of UPWARD) {
    it(`${layer} may not: ${code}`, async () => {
      const errors = await errorsOf(layer, code);
      assert.ok(errors.some((e) => e.includes('no-restricted-imports')), `expected a layering error, got ${JSON.stringify(errors)}`);
    });
  }
  for (const [layer, code] of ALLOWED) {
    it(`${layer} may: ${code}`, async () => {
      assert.deepEqual(await errorsOf(layer, code), []);
    });
  }
  for (const layer of ['core', 'cluster', 'sim']) {
    it(`${layer} is deterministic: no Date, Math.random, timers, process or node:* imports`, async () => {
      for (const code of ["import { x } from 'node:fs';", "import { x } from 'ws';", 'const x = Date.now();', 'const x = Math.random();', 'const x = setTimeout(() => {}, 1);', 'const x = process.argv;']) {
        const errors = await errorsOf(layer, code);
        assert.ok(errors.length > 0, `${layer}: ${code} passed lint`);
      }
    });
  }
});
