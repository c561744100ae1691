/**
 * `faultline replay` as yargs sees it: its options, and a handler that imports
 * replay.ts (the history reader, the checkers, the TUI feed) only when it runs.
 */
import type { CliCommand } from '../command.js';

/** `faultline replay`. */
export const replayCliCommand: CliCommand = {
  command: 'replay <file>',
  describe: 'Step through a saved run in the TUI (read-only), its phases (steady, method, rollbacks, liveness), faults and checker findings on a timeline',
  builder: (c) =>
    c
      .positional('file', { type: 'string', describe: 'A history (run --history, sim --history) or a scenario file (fuzz --out, w in the TUI), which is run first' })
      .option('at', { type: 'string', requiresArg: true, describe: 'Open at this virtual time (12.5s, 2m)' })
      .option('violation', { type: 'number', requiresArg: true, describe: 'Open at the N-th checker finding (1 = the first), its pane open' })
      .option('seed', { type: 'string', requiresArg: true, describe: "For a scenario file: run it with this seed (default: the file's)" })
      .option('color', { type: 'boolean', default: true, describe: 'Colour (--no-color, NO_COLOR, TERM=dumb: none)' })
      .example('$0 replay run.jsonl --violation 1', 'Open a failed run where it first broke')
      .example('$0 replay fuzz-out/fuzz-7.yaml --at 2m', "Run fuzz's shrunk reproducer and open it at 2 minutes")
      .epilogue(
        'Keys: space play/pause, + - speed, . , one event forward/back, ] [ next/previous fault, } { next/previous finding (its pane: the checker, its detail, its events; enter jumps to one), t jump to a time, g G start/end, ? every key.\n' +
          'Without a terminal it prints the findings and where it would open. Exit codes: 0, or 64 for a bad file (file:line) or flag.',
      ),
  run: async (args, io) => {
    const { replayCommand } = await import('./replay.js');
    return replayCommand(
      {
        file: String(args.file),
        ...(args.at === undefined ? {} : { at: String(args.at) }),
        ...(args.violation === undefined ? {} : { violation: Number(args.violation) }),
        ...(args.seed === undefined ? {} : { seed: String(args.seed) }),
        color: args.color as boolean,
      },
      io,
    );
  },
};
