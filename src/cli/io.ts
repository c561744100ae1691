/**
 * The CLI's I/O, injected so every command runs in-process under test.
 */
import type { FaultlineError } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';

/** Where a command writes. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** The real process streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Prints a typed error as one line and returns the usage exit code. */
export function fail(io: CliIo, error: FaultlineError): ExitCode {
  io.stderr.write(`faultline: ${error.where ? `${error.where}: ` : ''}${error.message}\n`);
  return EXIT.usage;
}

/** Writes a line to stdout. */
export function println(io: CliIo, line = ''): void {
  io.stdout.write(`${line}\n`);
}
