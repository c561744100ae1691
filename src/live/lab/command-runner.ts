/**
 * Runs the lab's external commands (`ip`, `iptables`) with `execFile`: no
 * shell, so an address can never become a command, and a timeout, so a hung
 * `ip` cannot hang a run. A failure is a typed error (COMMAND) whose message
 * names the command line and the first line it wrote to stderr.
 */
import { execFile } from 'node:child_process';
import { err, ok, type Result } from '../../core/errors.js';

/** What a command printed. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for one command. */
export interface CommandOptions {
  /** Written to the command's stdin, which is then closed (iptables-restore reads its rules there). */
  readonly input?: string;
  /** Killed (SIGKILL) after this long; default DEFAULT_COMMAND_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

/** Runs one command to completion: its output, or COMMAND with the command line in the message. Never throws. */
export type CommandRunner = (command: string, args: readonly string[], options?: CommandOptions) => Promise<Result<CommandOutput>>;

/** Long enough for `ip netns add` on a loaded 2-core machine, short enough that a hang is reported. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

/** `ip netns exec flt-1-0 iptables -S`, for messages. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}

/** The first non-empty line of a command's stderr (or of the error's message), trimmed. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}

interface ExecFailure {
  readonly code?: string | number | null;
  readonly killed?: boolean;
  readonly signal?: string | null;
  readonly message: string;
}

function describeFailure(failure: ExecFailure, stderr: string, timeoutMs: number): string {
  if (failure.code === 'ENOENT') return 'not found';
  if (failure.killed === true || failure.signal === 'SIGKILL') return `timed out after ${timeoutMs} ms`;
  const said = firstLine(stderr) || firstLine(failure.message);
  return typeof failure.code === 'number' ? `exit ${failure.code}${said === '' ? '' : `: ${said}`}` : said;
}

/** The real runner: `execFile` with a timeout, output as UTF-8. */
export const execFileRunner: CommandRunner = (command, args, options = {}) => {
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  return new Promise((resolve) => {
    const child = execFile(command, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(ok({ stdout, stderr }));
        return;
      }
      resolve(err('COMMAND', `${commandLine(command, args)}: ${describeFailure(error as ExecFailure, stderr, timeoutMs)}`));
    });
    // A command that exits before reading its stdin would raise EPIPE here; the exit status reports the failure.
    child.stdin?.on('error', () => {});
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
};
