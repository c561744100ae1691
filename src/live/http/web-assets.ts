/**
 * The browser view's files (built from src/web into dist/web by `npm run build`)
 * as routes of a served master: `GET /` is the page, `/web/app.js` and
 * `/web/app.css` its bundle. Only these names are served (no path from the URL
 * reaches the file system); a missing build is 503 with one line.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sendError } from './respond.js';

/**
 * The built page's directory: <package>/dist/web (this file is three levels down in src/ and in dist/;
 * in the CLI bundle, scripts/build-cli.mjs, it is inside a chunk under dist/bundle/).
 */
export const DEFAULT_WEB_DIR = fileURLToPath(
  import.meta.url.includes('/dist/bundle/') ? `${import.meta.url.slice(0, import.meta.url.indexOf('/dist/bundle/'))}/dist/web/` : new URL('../../../dist/web/', import.meta.url),
);

const ASSETS: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/web/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/web/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/** Whether a GET of this path is one of the page's files. */
export function isWebAsset(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && Object.hasOwn(ASSETS, path);
}

/** Serves one of the page's files from `dir`. */
export async function sendWebAsset(dir: string, method: string, path: string, res: ServerResponse): Promise<void> {
  const asset = ASSETS[path];
  if (asset === undefined) return sendError(res, { status: 404, message: `No such endpoint: ${path}` });
  let body: Buffer;
  try {
    body = await readFile(`${dir.endsWith('/') ? dir : `${dir}/`}${asset.file}`);
  } catch {
    return sendError(res, { status: 503, message: `The web view is not built (no ${asset.file} in ${dir}): run npm run build` });
  }
  res.writeHead(200, { 'Content-Type': asset.type, 'Content-Length': body.length, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  res.end(method === 'HEAD' ? undefined : body);
}
