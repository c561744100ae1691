/**
 * Flags shared by the live daemons (`faultline master`, `faultline agent`):
 * the secret file, the work directory default, the stop signal.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/errors.js';
import { EXIT, type ExitCode } from '../core/exit-codes.js';

/** Reads `--secret-file` (trimmed; empty is an error); null when not given. */
export function readSecretFile(path: string | undefined): Result<string | null> {
  if (path === undefined) return ok(null);
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    return err('USAGE', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, '--secret-file');
  }
  if (text === '') return err('USAGE', `${path} is empty`, '--secret-file');
  return ok(text);
}

/** The default work directory of a daemon listening at `listen`. */
export function defaultWorkDir(kind: 'master' | 'agent', host: string, port: number): string {
  return join(tmpdir(), `faultline-${kind}-${host}-${port}`);
}

/** Why a daemon stops. */
export type DaemonStop = 'SIGINT' | 'SIGTERM';

/** Resolves on the first SIGINT or SIGTERM. */
export function stopSignal(): Promise<DaemonStop> {
  return new Promise((resolve) => {
    const on = (signal: DaemonStop) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

/** The exit code of a clean stop: 130 after Ctrl-C, 143 after SIGTERM. */
export function exitOfStop(signal: DaemonStop): ExitCode {
  return signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
}
