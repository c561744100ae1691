#!/usr/bin/env node
// Bundles the browser view (src/web) into dist/web: index.html, app.js (React
// and the page, minified, production React) and app.css. No CDN: the package
// ships these files and `GET /` on a served master returns them.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist', 'web');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(root, 'src/web/main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  platform: 'browser',
  jsx: 'automatic',
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  outdir: out,
  logLevel: 'warning',
  tsconfig: join(root, 'tsconfig.web.json'),
});
await build({ entryPoints: { app: join(root, 'src/web/app.css') }, bundle: true, minify: true, outdir: out, logLevel: 'warning' });
copyFileSync(join(root, 'src/web/index.html'), join(out, 'index.html'));
process.stdout.write(`web view built into ${out}\n`);
