// ESLint flat config. The layering of docs/ARCHITECTURE.md (Layers)
// lives here, as rules rather than review:
// - every layer imports only the layers below it (LAYERS; `types` = type-only imports);
// - src/core, src/cluster and src/sim never reach for wall time, ambient randomness
//   or I/O, because one stray Date.now() breaks same-seed-same-history replay.
// test/lint/layers.test.ts proves that an upward import from any layer fails lint.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Each layer (a folder of src/) and what it may import: `all`, or layers with `full` or `types` access. */
const LAYERS = {
  core: {},
  cluster: { core: 'full' },
  schedulers: { core: 'full' },
  sim: { core: 'full', cluster: 'full' },
  api: { core: 'full', cluster: 'types' },
  live: { core: 'full', cluster: 'full', schedulers: 'full', api: 'full' },
  chaos: { core: 'full', cluster: 'full', schedulers: 'full' },
  // The TUI uses core's pure helpers (task states, natural sort, Result); runtime objects reach it only through its feed.
  tui: { core: 'full', cluster: 'types' },
  web: { core: 'types', api: 'types' },
  cli: 'all',
};

/** Layers that must stay deterministic and free of I/O. */
const DETERMINISTIC = new Set(['core', 'cluster', 'sim']);

/** Packages a deterministic layer must not load (they draw, do I/O or parse files). */
const IO_MODULES = ['ws', 'ink', 'react', 'react/jsx-runtime', 'ink-testing-library', 'yargs', 'zustand', 'yaml', 'node-zookeeper-client'];
const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'timers', 'timers/*', 'worker_threads', 'stream', 'dgram', 'dns', 'tls', 'zlib'];

function layerRules(layer, allowed) {
  const patterns = [];
  const paths = [];
  if (allowed !== 'all') {
    for (const other of Object.keys(LAYERS)) {
      if (other === layer) continue;
      const access = allowed[other];
      if (access === 'full') continue;
      patterns.push({
        group: [`**/${other}/**`, `**/${other}/index.js`],
        message: `${layer} may not import ${other}${access === 'types' ? ' except as types' : ''} (layers import downwards only: docs/ARCHITECTURE.md)`,
        ...(access === 'types' ? { allowTypeImports: true } : {}),
      });
    }
  }
  if (DETERMINISTIC.has(layer)) {
    patterns.push({ group: NODE_BUILTINS, message: `${layer} is deterministic and does no I/O` });
    for (const name of IO_MODULES) paths.push({ name, message: `${layer} is deterministic and does no I/O` });
  }
  const rules = { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] };
  if (DETERMINISTIC.has(layer)) {
    rules['no-restricted-globals'] = [
      'error',
      { name: 'Date', message: `${layer} is deterministic: use ctx.now()` },
      { name: 'process', message: `${layer} does no I/O` },
      { name: 'setTimeout', message: `${layer} uses ctx.setTimer` },
      { name: 'setInterval', message: `${layer} uses ctx.setTimer` },
      { name: 'setImmediate', message: `${layer} uses ctx.setTimer` },
      { name: 'queueMicrotask', message: `${layer} is synchronous` },
      { name: 'performance', message: `${layer} is deterministic` },
      { name: 'crypto', message: `${layer} uses the seeded PRNG` },
      { name: 'require', message: `${layer} imports nothing dynamic` },
    ];
    rules['no-restricted-properties'] = [
      'error',
      { object: 'Math', property: 'random', message: `${layer} uses the seeded stream: ctx.random()` },
      { object: 'globalThis', property: 'process', message: `${layer} does no I/O` },
      { object: 'globalThis', property: 'Date', message: `${layer} is deterministic` },
    ];
  }
  return { files: [`src/${layer}/**/*.ts`, `src/${layer}/**/*.tsx`], rules };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'test/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...Object.entries(LAYERS).map(([layer, allowed]) => layerRules(layer, allowed)),
);
