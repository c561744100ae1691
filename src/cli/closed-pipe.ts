/**
 * A closed stdout (`faultline run ... | head -1`) ends the command quietly with
 * 141, as a shell reports a process killed by SIGPIPE: Node turns the signal
 * into an EPIPE `error` event, which unhandled is a stack trace and exit 1 (the
 * code of a safety violation). Installed by the launcher on the real streams.
 */
import { EXIT } from '../core/exit-codes.js';

/** Ends the process with `EXIT.closedPipe` when `stdout` reports EPIPE; a closed stderr is ignored. */
export function endQuietlyOnClosedPipe(options: {
  readonly stdout: NodeJS.EventEmitter;
  readonly stderr: NodeJS.EventEmitter;
  readonly exit: (code: number) => void;
}): void {
  options.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') options.exit(EXIT.closedPipe);
    else throw error;
  });
  options.stderr.on('error', (error: NodeJS.ErrnoException) => {
    // Nowhere left to say anything: a closed stderr must not crash the command.
    if (error.code !== 'EPIPE') throw error;
  });
}
