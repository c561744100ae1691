/**
 * The agent's `/files/read` and `/files/browse` (Mesos src/files/files.cpp),
 * limited to the sandboxes of the executor's tasks: a path is resolved with
 * its symlinks (a task's link to /etc/passwd does not escape) and must lie in
 * one of them, else 403. Missing: 404. Bad query: 400 with Mesos's words.
 *
 * read: `offset` absent or -1 answers the file's size with empty data (how
 * the web UI's pailer asks for the length); reads stop at the end of the
 * file and at 16 pages (64 KiB) a call, as Mesos's; the answer's `offset` is
 * the one asked for. Synchronous reads: one request reads at most 64 KiB.
 */
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** The most one read returns (Mesos: 16 pages). */
export const MAX_READ_BYTES = 16 * 4096;

/** An HTTP answer (status, JSON or text body). */
export interface FilesAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: 'application/json' | 'text/plain; charset=utf-8';
}

const json = (value: unknown, status = 200): FilesAnswer => ({ status, body: JSON.stringify(value), contentType: 'application/json' });
const text = (status: number, body: string): FilesAnswer => ({ status, body, contentType: 'text/plain; charset=utf-8' });

type Resolved = { readonly ok: true; readonly path: string; readonly stats: Stats } | { readonly ok: false; readonly answer: FilesAnswer };

/** Resolves a requested path inside one of `sandboxes`. */
function resolveInSandboxes(requested: string, sandboxes: readonly string[]): Resolved {
  if (!requested.startsWith('/')) return { ok: false, answer: text(400, `Path '${requested}' is not absolute.\n`) };
  const roots = sandboxes.flatMap((root) => {
    try {
      return [root, realpathSync(root)];
    } catch {
      return [root];
    }
  });
  const inside = (path: string): boolean => roots.some((root) => path === root || path.startsWith(root + sep));
  let real: string;
  try {
    real = realpathSync(requested);
  } catch {
    // Missing: 404 only for a path that would be inside (say nothing of what exists elsewhere).
    return { ok: false, answer: inside(resolve(requested)) ? text(404, '') : text(403, '') };
  }
  if (!inside(real)) return { ok: false, answer: text(403, '') };
  return { ok: true, path: real, stats: statSync(real) };
}

/** Parses an integer query parameter that may be -1; null when absent; a string when bad. */
function intParam(query: URLSearchParams, name: string): number | null | string {
  const raw = query.get(name);
  if (raw === null) return null;
  if (!/^-?\d+$/.test(raw.trim())) return `Failed to parse ${name}: Failed to convert '${raw}' to number.\n`;
  const value = Number(raw.trim());
  if (value < -1) return `Negative ${name} provided: ${value}.\n`;
  return value;
}

/** GET /files/read. */
export function answerFilesRead(query: URLSearchParams, sandboxes: readonly string[]): FilesAnswer {
  const path = query.get('path');
  if (path === null || path === '') return text(400, "Expecting 'path=value' in query.\n");
  const offset = intParam(query, 'offset');
  if (typeof offset === 'string') return text(400, offset);
  const length = intParam(query, 'length');
  if (typeof length === 'string') return text(400, length);
  const resolved = resolveInSandboxes(path, sandboxes);
  if (!resolved.ok) return resolved.answer;
  if (resolved.stats.isDirectory()) return text(400, 'Cannot read a directory.\n');
  const size = resolved.stats.size;
  if (offset === null || offset === -1) return json({ data: '', offset: size });
  const want = length === null || length === -1 ? size - offset : length;
  const count = Math.max(0, Math.min(want, size - offset, MAX_READ_BYTES));
  if (count === 0) return json({ data: '', offset });
  const buffer = Buffer.alloc(count);
  const fd = openSync(resolved.path, 'r');
  let got: number;
  try {
    got = readSync(fd, buffer, 0, count, offset);
  } finally {
    closeSync(fd);
  }
  return json({ data: buffer.subarray(0, got).toString('utf8'), offset });
}

/** `ls -l`'s mode string, as Mesos's FileInfo model prints it. */
export function modeString(stats: Stats): string {
  const type = stats.isDirectory() ? 'd' : stats.isSymbolicLink() ? 'l' : '-';
  const bits = 'rwxrwxrwx';
  let out = type;
  for (let i = 0; i < 9; i += 1) out += stats.mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}

/** GET /files/browse: the entries of a sandbox directory. */
export function answerFilesBrowse(query: URLSearchParams, sandboxes: readonly string[]): FilesAnswer {
  const path = query.get('path');
  if (path === null || path === '') return text(400, "Expecting 'path=value' in query.\n");
  const resolved = resolveInSandboxes(path, sandboxes);
  if (!resolved.ok) return resolved.answer;
  if (!resolved.stats.isDirectory()) return text(400, `'${path}' is not a directory.\n`);
  const entries = readdirSync(resolved.path)
    .sort()
    .flatMap((name) => {
      try {
        const s = statSync(join(resolved.path, name));
        return [{ path: join(path, name), nlink: s.nlink, size: s.size, mtime: Math.floor(s.mtimeMs / 1000), mode: modeString(s), uid: String(s.uid), gid: String(s.gid) }];
      } catch {
        return []; // vanished between the listing and the stat
      }
    });
  return json(entries);
}
