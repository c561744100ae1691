/**
 * `faultline execute`: mesos-execute (`src/cli/execute.cpp`) as a v1 HTTP
 * scheduler that works against any Mesos-compatible master. It subscribes
 * (resending SUBSCRIBE every second until SUBSCRIBED), accepts the first
 * offer that holds the task's resources with one LAUNCH, declines every other
 * offer and suppresses, prints each status update as mesos-execute does,
 * acknowledges those with a uuid, optionally kills the task `--kill_after`
 * TASK_RUNNING, and exits 0 on the first terminal state (TASK_FAILED too).
 * An ERROR event, bad flags or a master that cannot be reached exit 1.
 * Its yargs declaration is in execute-cli.ts, which imports this module only
 * when the command runs.
 */
import os from 'node:os';
import { err, ok, type Result } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import { contains, parseResources, type Resources } from '../../core/resources.js';
import {
  SchedulerClient,
  TERMINAL_TASK_STATES,
  fromV1Resources,
  parseMasterAddress,
  toV1Resources,
  type MasterEndpoint,
  type Timers,
  type V1Call,
  type V1Event,
  type V1Offer,
  type V1TaskStatus,
} from '../../live/scheduler-client/index.js';
import type { CliIo } from '../io.js';
import { readSecretFile } from '../daemon-flags.js';
import { basicAuthHeader } from '../../live/transport/auth.js';
import { createZooKeeperDetector, isZkUrl, parseZkUrl, type ZooKeeperDetector } from '../../live/zookeeper/index.js';

/** mesos-execute's exit codes: EXIT_SUCCESS on any terminal state, EXIT_FAILURE otherwise. */
export const EXECUTE_EXIT = { success: 0, failure: 1 } as const;

/** mesos-execute's framework name. */
export const EXECUTE_FRAMEWORK_NAME = 'mesos-execute instance';

/** Validated flags of `faultline execute`. */
export interface ExecuteFlags {
  readonly master: MasterEndpoint;
  readonly name: string;
  readonly command: string;
  readonly resources: Resources;
  readonly killAfterMs: number | undefined;
  readonly partitionAware: boolean;
  readonly role: string;
  /** Give up when not subscribed for this long. */
  readonly timeoutMs: number;
}

/** The flags as yargs parsed them (strings, booleans, undefined). */
export interface RawExecuteFlags {
  readonly master?: unknown;
  readonly name?: unknown;
  readonly command?: unknown;
  readonly resources?: unknown;
  readonly kill_after?: unknown;
  readonly partition_aware?: unknown;
  readonly role?: unknown;
  readonly timeout?: unknown;
  /** A file with a faultline master's secret (HTTP Basic). */
  readonly secret_file?: unknown;
  /** Options yargs did not know (`--x`). */
  readonly unknown: readonly string[];
  /** Arguments that are not flags (mesos-execute takes none). */
  readonly positionals: readonly string[];
}

const STOUT_UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, ms: 1, secs: 1_000, mins: 60_000, hrs: 3_600_000, days: 86_400_000, weeks: 604_800_000 };

/** A duration in mesos-execute's spelling (`10secs`, `2mins`) or faultline's (`10s`, `1m30s`). */
export function parseExecuteDuration(text: string, where: string): Result<number> {
  const stout = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|secs|mins|hrs|days|weeks)\s*$/.exec(text);
  if (stout) return ok(Number(stout[1]) * (STOUT_UNIT_MS[stout[2] ?? 'ms'] ?? 1));
  const parsed = parseDuration(text, where);
  if (!parsed.ok) return err('USAGE', `"${text}" is not a duration (examples: 10secs, 2mins, 10s, 1m30s)`, where);
  return parsed;
}

function stringFlag(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return stringFlag(value[value.length - 1]); // stout keeps the last of a repeated flag
  return String(value);
}

/** Checks the flags as mesos-execute does (its messages where it has one). */
export function validateExecuteFlags(raw: RawExecuteFlags): Result<ExecuteFlags> {
  const unknown = raw.unknown[0];
  if (unknown !== undefined) return err('USAGE', `Failed to load unknown flag '${unknown}'`);
  const positional = raw.positionals[0];
  if (positional !== undefined) return err('USAGE', `unexpected argument '${positional}' (every option is a --flag)`);
  const masterText = stringFlag(raw.master);
  if (masterText === undefined || masterText === '') return err('USAGE', "Flag 'master' is required");
  const parsedMaster = parseMasterAddress(masterText);
  if (!parsedMaster.ok) return parsedMaster;
  const secret = readSecretFile(stringFlag(raw.secret_file));
  if (!secret.ok) return secret;
  const master = { value: secret.value === null ? parsedMaster.value : { ...parsedMaster.value, authorization: basicAuthHeader(secret.value) } };
  const name = stringFlag(raw.name);
  if (name === undefined || name === '') return err('USAGE', 'Missing required option --name');
  const command = stringFlag(raw.command);
  if (command === undefined || command === '') return err('USAGE', 'Missing required option --command');
  const resources = parseResources(stringFlag(raw.resources) ?? 'cpus:1;mem:128', '--resources');
  if (!resources.ok) return resources;
  let killAfterMs: number | undefined;
  const killAfter = stringFlag(raw.kill_after);
  if (killAfter !== undefined) {
    const parsed = parseExecuteDuration(killAfter, '--kill_after');
    if (!parsed.ok) return parsed;
    killAfterMs = parsed.value;
  }
  const timeout = parseExecuteDuration(stringFlag(raw.timeout) ?? '30s', '--timeout');
  if (!timeout.ok) return timeout;
  if (timeout.value <= 0) return err('USAGE', 'the timeout must be above 0', '--timeout');
  const partitionAware = raw.partition_aware === undefined ? true : raw.partition_aware === true || raw.partition_aware === 'true';
  if (typeof raw.partition_aware === 'string' && raw.partition_aware !== 'true' && raw.partition_aware !== 'false') {
    return err('USAGE', `"${raw.partition_aware}" is not true or false`, '--partition_aware');
  }
  const role = stringFlag(raw.role) ?? '*';
  if (role === '') return err('USAGE', 'the role is empty', '--role');
  return ok({ master: master.value, name, command, resources: resources.value, killAfterMs, partitionAware, role, timeoutMs: timeout.value });
}

/** The SUBSCRIBE call mesos-execute sends (with the framework id once the master gave one). */
export function executeSubscribeCall(flags: ExecuteFlags, user: string, frameworkId: string | undefined): V1Call {
  const capabilities = ['RESERVATION_REFINEMENT', 'TASK_KILLING_STATE', 'REVOCABLE_RESOURCES'];
  if (flags.partitionAware) capabilities.push('PARTITION_AWARE');
  const frameworkInfo: Record<string, unknown> = {
    user,
    name: EXECUTE_FRAMEWORK_NAME,
    role: flags.role,
    checkpoint: false,
    capabilities: capabilities.map((type) => ({ type })),
  };
  if (frameworkId === undefined) return { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } };
  return { type: 'SUBSCRIBE', framework_id: { value: frameworkId }, subscribe: { framework_info: { ...frameworkInfo, id: { value: frameworkId } } } };
}

/** mesos-execute's lines for one status update. */
export function statusLines(status: V1TaskStatus): string[] {
  const lines = [`Received status update ${status.state} for task '${status.task_id.value}'`];
  if (status.message !== undefined) lines.push(`  message: '${status.message}'`);
  if (status.source !== undefined) lines.push(`  source: ${status.source}`);
  if (status.reason !== undefined) lines.push(`  reason: ${status.reason}`);
  if (status.healthy !== undefined) lines.push(`  healthy?: ${status.healthy ? 1 : 0}`);
  return lines;
}

/** What `runExecute` may be given instead of the real thing (tests). */
export interface ExecuteDeps {
  readonly user?: string;
  /** Where to resubscribe after losing the master (the leader a ZooKeeper detector names now). */
  readonly redetect?: () => { readonly host: string; readonly port: number } | null;
  readonly timers?: Timers;
}

/** Runs the framework until the task ends; returns the exit code. */
export function runExecute(flags: ExecuteFlags, io: CliIo, deps: ExecuteDeps = {}): Promise<number> {
  const user = deps.user ?? currentUser();
  let stdoutOpen = true;
  const out = (line: string): void => {
    if (stdoutOpen) io.stdout.write(`${line}\n`);
  };
  const warn = (line: string): void => {
    io.stderr.write(`faultline execute: ${line}\n`);
  };

  return new Promise<number>((resolve) => {
    let finished = false;
    let launched = false;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      if (killTimer !== undefined) clearTimeout(killTimer);
      client.stop();
      io.stdout.off('error', onStdoutError);
      resolve(code);
    };
    // A closed stdout (`| head -1`) ends the run quietly: there is no one left to tell.
    const onStdoutError = (e: NodeJS.ErrnoException): void => {
      stdoutOpen = false;
      if (e.code !== 'EPIPE') warn(`cannot write to stdout: ${e.message}`);
      finish(EXECUTE_EXIT.success);
    };
    io.stdout.on('error', onStdoutError);

    const send = (call: V1Call): Promise<boolean> =>
      client.send(call).then((result) => {
        if (!result.ok && !finished) warn(result.error.message);
        return result.ok;
      });
    const frameworkId = (): { value: string } => ({ value: client.frameworkId ?? '' });

    const onOffers = (offers: readonly V1Offer[]): void => {
      for (const offer of offers) {
        if (!launched && contains(fromV1Resources(offer.resources), flags.resources)) {
          launched = true;
          const task = {
            name: flags.name,
            task_id: { value: flags.name },
            agent_id: offer.agent_id,
            resources: toV1Resources(flags.resources),
            command: { shell: true, value: flags.command },
          };
          void send({ type: 'ACCEPT', framework_id: frameworkId(), accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } });
          out(`Submitted task '${flags.name}' to agent '${offer.agent_id.value}'`);
        } else {
          // As mesos-execute: decline, then suppress so the master stops offering.
          const id = frameworkId();
          void send({ type: 'DECLINE', framework_id: id, decline: { offer_ids: [offer.id] } }).then(() => (finished ? false : send({ type: 'SUPPRESS', framework_id: id })));
        }
      }
    };

    const onUpdate = (status: V1TaskStatus): void => {
      for (const line of statusLines(status)) out(line);
      const acked =
        status.uuid !== undefined
          ? send({ type: 'ACKNOWLEDGE', framework_id: frameworkId(), acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } })
          : Promise.resolve(true);
      if (flags.killAfterMs !== undefined && status.state === 'TASK_RUNNING' && killTimer === undefined) {
        const agentId = status.agent_id?.value ?? '';
        killTimer = setTimeout(() => {
          out(`Asked to kill task '${status.task_id.value}' on agent '${agentId}'`);
          void send({ type: 'KILL', framework_id: frameworkId(), kill: { task_id: status.task_id, agent_id: status.agent_id } });
        }, flags.killAfterMs);
      }
      // Terminal: end once the acknowledgement is answered, so the master hears it.
      if (TERMINAL_TASK_STATES.has(status.state)) void acked.then(() => finish(EXECUTE_EXIT.success));
    };

    const onEvent = (event: V1Event): void => {
      if (finished) return;
      switch (event.type) {
        case 'SUBSCRIBED':
          out(`Subscribed with ID ${event.subscribed?.framework_id.value ?? ''}`);
          return;
        case 'OFFERS':
          onOffers(event.offers?.offers ?? []);
          return;
        case 'UPDATE':
          if (event.update?.status !== undefined) onUpdate(event.update.status);
          return;
        case 'ERROR':
          io.stderr.write(`Received an ERROR event: ${event.error?.message ?? ''}\n`);
          finish(EXECUTE_EXIT.failure);
          return;
        default:
          return; // HEARTBEAT, RESCIND, FAILURE, MESSAGE, inverse offers: nothing to do, as mesos-execute
      }
    };

    const client = new SchedulerClient({
      master: flags.master,
      subscribeCall: (id) => executeSubscribeCall(flags, user, id),
      onEvent,
      onGiveUp: (message) => {
        warn(message);
        finish(EXECUTE_EXIT.failure);
      },
      // mesos-execute resends SUBSCRIBE every second until SUBSCRIBED: no growing backoff here.
      retryIntervalMs: 1000,
      maxBackoffMs: 1000,
      giveUpAfterMs: flags.timeoutMs,
      subscribeTimeoutMs: Math.min(10_000, flags.timeoutMs),
      ...(deps.timers === undefined ? {} : { timers: deps.timers }),
      ...(deps.redetect === undefined
        ? {}
        : {
            redetect: () => {
              const leader = deps.redetect?.() ?? null;
              return leader === null ? null : { ...flags.master, host: leader.host, port: leader.port };
            },
          }),
    });
    client.start();
  });
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

/** `faultline execute`: validates the flags (exit 1 and one line if bad, as mesos-execute), then runs. */
export async function executeCommand(raw: RawExecuteFlags, io: CliIo): Promise<number> {
  const refuse = (error: { readonly where?: string; readonly message: string }): number => {
    io.stderr.write(`faultline execute: ${error.where ? `${error.where}: ` : ''}${error.message}\n`);
    return EXECUTE_EXIT.failure;
  };
  // zk://: start from the leader ZooKeeper names (as libmesos's detector), and after losing it ask again.
  const masterText = stringFlag(raw.master);
  let detector: ZooKeeperDetector | null = null;
  let flagsRaw = raw;
  if (masterText !== undefined && isZkUrl(masterText)) {
    const url = parseZkUrl(masterText, '--master');
    if (!url.ok) return refuse(url.error);
    const zkDetector = createZooKeeperDetector({ url: url.value, sessionTimeoutMs: 10_000 });
    detector = zkDetector;
    const leader = await zkDetector.waitForLeader(10_000);
    if (leader === null) {
      await zkDetector.close();
      return refuse({ where: '--master', message: `no leading master under ${url.value.path} on ZooKeeper ${url.value.connectString} within 10s` });
    }
    flagsRaw = { ...raw, master: `${leader.host}:${leader.port}` };
  }
  const flags = validateExecuteFlags(flagsRaw);
  if (!flags.ok) {
    await detector?.close();
    return refuse(flags.error);
  }
  const zkDetector = detector;
  try {
    return await runExecute(flags.value, io, zkDetector === null ? {} : { redetect: () => zkDetector.leader() });
  } finally {
    await zkDetector?.close();
  }
}
