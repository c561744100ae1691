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

/** Runs the CLI in-process with captured streams; returns the exit code and what it wrote. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../../src/cli/main.js');
  const c = captureIo();
  const code = await main(argv, c.io);
  return { code, out: c.stdout(), err: c.stderr() };
}
