/**
 * `faultline execute` as yargs sees it: mesos-execute's flags (underscored, as
 * stout spells them; `--flag=value` and `--flag value` both work), and a
 * handler that imports execute.ts only when the command runs. Flag errors
 * exit 1, mesos-execute's code, not faultline's usual 64, so the command is a
 * drop-in replacement; the handler checks them itself (strict mode is off for
 * this command so that an unknown flag reaches it).
 */
import type { CliCommand } from '../command.js';

const FLAGS = ['master', 'name', 'command', 'resources', 'kill_after', 'partition_aware', 'role', 'timeout', 'secret_file', 'secret-file', 'secretFile'] as const;
/** Keys yargs adds on its own or that the launcher reads. */
const GLOBAL_KEYS = new Set(['_', '$0', 'help', 'h', 'version', 'V', 'color']);

/** `faultline execute`. */
export const executeCliCommand: CliCommand = {
  command: 'execute',
  describe: 'Run one task on a Mesos-compatible master, like mesos-execute (v1 scheduler HTTP API)',
  builder: (c) =>
    c
      .strict(false)
      .usage(
        '$0 execute --master=HOST:PORT --name=NAME --command=CMD [options]\n\n' +
          'Subscribes as the framework "mesos-execute instance", launches the task on the first offer that holds its resources ' +
          '(declining and suppressing every other), prints each status update as mesos-execute does, acknowledges it, and exits 0 ' +
          'on the first terminal state (TASK_FAILED too) or 1 on an ERROR event.\n\n' +
          'Stricter than mesos-execute: it gives up with exit 1 when not subscribed within --timeout (mesos-execute retries ' +
          'forever); --master is HOST:PORT or zk://HOST:PORT[,HOST:PORT]/PATH (the leader ZooKeeper names, asked again after losing it); it speaks JSON only (as mesos-execute --content_type=json); ' +
          '--name and --command are required (no --task or --task_group).',
      )
      .option('master', { type: 'string', describe: 'The master, HOST:PORT (a standby\'s 307 is followed to the leader), or zk://HOST:PORT/PATH' })
      .option('name', { type: 'string', describe: 'The task name, also its id' })
      .option('command', { type: 'string', describe: 'The shell command to run' })
      .option('resources', { type: 'string', default: 'cpus:1;mem:128', describe: 'The task\'s resources' })
      .option('kill_after', { type: 'string', describe: 'Kill the task this long after TASK_RUNNING (10secs, 2mins, 10s, 1m30s)' })
      .option('partition_aware', { type: 'boolean', default: true, describe: 'Subscribe PARTITION_AWARE (--no-partition_aware to not)' })
      .option('role', { type: 'string', default: '*', describe: 'The role to subscribe with' })
      .option('secret-file', { type: 'string', describe: 'A file holding a faultline master\'s secret, sent with HTTP Basic (faultline\'s extension; also --secret_file)' })
      .option('timeout', { type: 'string', default: '30s', describe: 'Give up (exit 1) when not subscribed for this long' })
      .example('$0 execute --master=127.0.0.1:5050 --name=whizbang --command="/bin/sleep 10"', '')
      .epilogue('Exit codes (mesos-execute\'s): 0 the task reached a terminal state, 1 an ERROR event, bad flags or no master.'),
  run: async (args, io) => {
    const { executeCommand } = await import('./execute.js');
    const known = new Set<string>([...FLAGS, ...GLOBAL_KEYS]);
    const unknown = Object.keys(args).filter((key) => !known.has(key)).map((key) => `--${key}`);
    const positionals = ((args._ as unknown[] | undefined) ?? []).slice(1).map(String);
    return executeCommand(
      {
        master: args.master,
        name: args.name,
        command: args.command,
        resources: args.resources,
        kill_after: args.kill_after,
        partition_aware: args.partition_aware,
        role: args.role,
        timeout: args.timeout,
        secret_file: args.secret_file ?? args['secret-file'],
        unknown,
        positionals,
      },
      io,
    );
  },
};
