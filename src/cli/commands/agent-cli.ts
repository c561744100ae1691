/**
 * `faultline agent` as yargs sees it; agent.ts loads only when it runs.
 */
import type { TimingProfileName } from '../../core/timing.js';
import type { CliCommand } from '../command.js';

/** `faultline agent`. */
export const agentCliCommand: CliCommand = {
  command: 'agent',
  describe: 'Run a live agent: registers with a faultline master over WebSocket and runs its tasks as real processes (sh -c, own process group, sandbox with stdout and stderr)',
  builder: (c) =>
    c
      .option('master', { type: 'string', describe: 'The master, HOST:PORT, or zk://HOST:PORT[,HOST:PORT]/PATH to follow the leader elected in ZooKeeper (required)' })
      .option('listen', { type: 'string', default: '127.0.0.1:5051', describe: 'HOST:PORT of the agent\'s own HTTP endpoints; also its node id unless --node-id' })
      .option('resources', { type: 'string', default: 'cpus:4;mem:8192;disk:10000;ports:[31000-32000]', describe: 'What the agent offers' })
      .option('attributes', { type: 'string', default: '', describe: 'Attributes, name:value;name:value (e.g. rack:r1;zone:a)' })
      .option('work-dir', { type: 'string', describe: 'Checkpoint and sandboxes (default: a directory under the system temp dir named by --listen); keep it to recover tasks after a restart' })
      .option('secret-file', { type: 'string', describe: 'A file holding the master\'s shared secret (HMAC challenge on connect)' })
      .option('node-id', { type: 'string', describe: 'The agent\'s node id in the history and the hostname the master reports for it (default: the --listen address); 1-64 of A-Z a-z 0-9 . _ : -' })
      .option('event-log', { type: 'string', describe: 'Append every event the core agent emits to FILE, one JSON line each ({atEpochMs, node, event}), for a live runner to merge' })
      .option('timing', { choices: ['fast', 'mesos'] as const, default: 'mesos' as const, describe: 'Timing profile; use the master\'s' })
      .example('$0 agent --master 127.0.0.1:5050 --listen 127.0.0.1:5051', '')
      .example('$0 agent --master zk://127.0.0.1:2181/faultline --listen 127.0.0.1:5051', 'follows the leading master'),
  run: async (args, io) => {
    const { agentCommand } = await import('./agent.js');
    return agentCommand(
      {
        master: args.master as string | undefined,
        listen: args.listen as string,
        resources: args.resources as string,
        attributes: args.attributes as string,
        workDir: args.workDir as string | undefined,
        secretFile: args.secretFile as string | undefined,
        timing: args.timing as TimingProfileName,
        nodeId: args.nodeId as string | undefined,
        eventLog: args.eventLog as string | undefined,
      },
      io,
    );
  },
};
