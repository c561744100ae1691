/**
 * Durable small files: write a temporary file beside the target, fsync it,
 * rename it over the target (atomic on POSIX), so a crash leaves the old or
 * the new contents, never half of one.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** Replaces `path` with `text` atomically. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
