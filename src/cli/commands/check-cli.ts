/**
 * `faultline check` as yargs sees it: its options, and a handler that imports
 * check.ts (the history reader, every checker) only when the command runs.
 */
import type { CliCommand } from '../command.js';

/** `faultline check`. */
export const checkCliCommand: CliCommand = {
  command: 'check <history>',
  describe: 'Re-run every checker offline on a saved JSONL history',
  builder: (c) =>
    c
      .positional('history', { type: 'string', describe: 'A history written by run --history (its <file>.meta.json is used when present)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the verdicts as JSON' })
      .example('$0 check run.jsonl', ''),
  run: async (args, io) => {
    const { checkCommand } = await import('./check.js');
    return checkCommand({ history: String(args.history), json: args.json as boolean }, io);
  },
};
