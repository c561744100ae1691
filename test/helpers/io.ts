/**
 * Captured CLI streams, to run `main(argv, io)` in-process in tests.
 */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';

/** Streams that record what a command writes. */
export interface CapturedIo {
  readonly io: CliIo;
  stdout(): string;
  stderr(): string;
}

/** Captures stdout and stderr (not a TTY unless asked); stdin is empty. */
export function captureIo(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): CapturedIo {
  let out = '';
  let err = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false, columns: 100, rows: 30 });
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end();
  return { io: { stdout, stderr, stdin, env: options.env ?? {} }, stdout: () => out, stderr: () => err };
}
