#!/usr/bin/env node
// Bundles the CLI into dist/bundle with esbuild, so `bin/faultline` loads a few
// files instead of ~1,500 modules (Ink alone is ~570) and the TUI takes keys
// sooner. ESM with code splitting: each command's lazy `import()` stays a chunk
// of its own, loaded only when that command runs. The fuzz worker is an entry
// too (sim-runtime.ts finds it beside the bundle). React is always its production
// build here (NODE_ENV=development needs dist/cli). The launcher falls back to
// dist/cli (tsc's output) when there is no bundle.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist', 'bundle');
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { main: join(root, 'src/cli/bundle-entry.ts'), 'fuzz-worker': join(root, 'src/cli/fuzz-worker.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: ['node20'],
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  jsx: 'automatic',
  // React's and Ink's production builds only: the launcher runs production unless told otherwise, and the
  // development builds were half the TUI chunk. Whitespace and syntax minified (less to parse at each
  // start), names kept so an internal error's stack still reads.
  define: { 'process.env.NODE_ENV': '"production"' },
  minifyWhitespace: true,
  minifySyntax: true,
  // Optional peers that are never installed here (ink's devtools, ws's native speed-ups).
  external: ['react-devtools-core', 'bufferutil', 'utf-8-validate'],
  // CommonJS dependencies (yargs' helpers, node-zookeeper-client) call require.
  banner: { js: "import { createRequire as __faultlineRequire } from 'node:module'; const require = __faultlineRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
  tsconfig: join(root, 'tsconfig.build.json'),
});
process.stdout.write(`CLI bundled into ${out}\n`);
