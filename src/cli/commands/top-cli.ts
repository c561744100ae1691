/**
 * `faultline top` as yargs sees it; top.ts (the operator client, the TUI)
 * loads only when the command runs.
 */
import type { CliCommand } from '../command.js';

/** `faultline top`. */
export const topCliCommand: CliCommand = {
  command: 'top',
  describe: 'Open the TUI on a live master (faultline master, faultline serve, or a Mesos 1.x master) through its operator API',
  builder: (c) =>
    c
      .option('master', { type: 'string', requiresArg: true, demandOption: true, describe: 'HOST:PORT or http://HOST:PORT of a master (the leader is found with /master/redirect, again after a lost stream), or zk://HOST:PORT[,HOST:PORT]/PATH (the leader ZooKeeper names, followed while top runs)' })
      .option('readonly', { type: 'boolean', default: false, describe: 'No fault keys even when the master allows chaos' })
      .option('color', { type: 'boolean', default: true, describe: 'Colour (--no-color, NO_COLOR, FORCE_COLOR=0 and TERM=dumb turn it off)' })
      .option('once', { type: 'boolean', default: false, describe: 'Do not draw: attach, take the first snapshot and print it' })
      .option('json', { type: 'boolean', default: false, describe: 'With --once: print the snapshot as JSON' })
      .option('secret-file', { type: 'string', requiresArg: true, describe: "A file holding a faultline master's secret, sent with HTTP Basic on every operator call" })
      .epilogue(
        [
          'Read-only unless the master is a faultline master that allows chaos (FAULTLINE_GET_INFO says so): then x kills a task, K kills an agent, i isolates one, through FAULTLINE_INJECT_FAULT. The header says why it is read-only.',
          'l shows a task\'s stdout and stderr from its agent\'s /files/read when the agents serve files.',
          'A master that cannot be reached: one line and exit 69. Needs a terminal on stdin and stdout; otherwise exit 64 (use --once --json).',
        ].join('\n'),
      ),
  run: async (args, io) => {
    const { topCommand } = await import('./top.js');
    return topCommand({ master: args.master as string, readonly: args.readonly as boolean, color: args.color as boolean, once: args.once as boolean, json: args.json as boolean, ...(typeof args['secret-file'] === 'string' ? { secretFile: args['secret-file'] } : {}) }, io);
  },
};
