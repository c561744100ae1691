/**
 * Atomic file replacement for checkpoints: write a temporary file beside the
 * target, fsync it, rename it over the target. A crash at any point leaves
 * either the old file or the new one, never a torn mix (rename is atomic on
 * one file system, which is why the temporary file sits in the same directory).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Replaces `path` with `text` atomically (creating its directory if needed). */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
