/**
 * `faultline master`: starts the live master (src/live/master/live-master.ts),
 * prints where it listens, and runs until SIGINT (130) or SIGTERM (143),
 * closing its servers. With --zk it is the core HA master: it contends in
 * ZooKeeper, keeps its registry there, and a standby answers 307 to the
 * leader; a leader that loses its session aborts and contends again as a
 * fresh standby in the same process. Bad flags and unusable ports, directories or
 * event-log files are one line and exit 64.
 */
import { err, ok, type Result } from '../../core/errors.js';
import { TIMING_PROFILES, type TimingProfileName } from '../../core/timing.js';
import { startLiveMaster, type LiveMasterZk } from '../../live/master/live-master.js';
import { parseZkUrl } from '../../live/zookeeper/index.js';
import { parseNodeId } from '../../live/runtime/node-id.js';
import { parseDuration } from '../../core/duration.js';
import { version } from '../version.js';
import { defaultWorkDir, exitOfStop, readSecretFile, stopSignal, type DaemonStop } from '../daemon-flags.js';
import { fail, println, type CliIo } from '../io.js';
import { parseHeartbeatInterval, parseListen } from '../listen.js';

/** The parsed flags of `faultline master`. */
export interface MasterFlags {
  readonly listen: string;
  readonly workDir?: string;
  readonly secretFile?: string;
  readonly allowChaos: boolean;
  readonly timing: TimingProfileName;
  readonly heartbeatInterval: string;
  /** `zk://HOST:PORT[,HOST:PORT]/PATH`: election and registry through ZooKeeper. */
  readonly zk?: string;
  readonly zkSessionTimeout: string;
  /** The master actor's node id (default master-1, or master-<hex> with --zk). */
  readonly nodeId?: string;
  /** A file to append this process's events to, one JSON line each. */
  readonly eventLog?: string;
}

/** `--zk` and `--zk-session-timeout`, or null without --zk. */
function parseZkFlags(flags: MasterFlags, io: CliIo): Result<LiveMasterZk | null> {
  if (flags.zk === undefined) return ok(null);
  const url = parseZkUrl(flags.zk, '--zk');
  if (!url.ok) return url;
  const timeout = parseDuration(flags.zkSessionTimeout, '--zk-session-timeout');
  if (!timeout.ok) return timeout;
  if (timeout.value <= 0) return err('USAGE', 'must be above 0', '--zk-session-timeout');
  return ok({ url: url.value, sessionTimeoutMs: timeout.value, version, log: (line) => println(io, `faultline master: zk: ${line}`) });
}

/** Runs the master until a signal (or `until`); the exit code. */
export async function masterCommand(flags: MasterFlags, io: CliIo, until: Promise<DaemonStop> = stopSignal()): Promise<number> {
  const listen = parseListen(flags.listen, 1);
  if (!listen.ok) return fail(io, listen.error);
  const heartbeat = parseHeartbeatInterval(flags.heartbeatInterval);
  if (!heartbeat.ok) return fail(io, heartbeat.error);
  const secret = readSecretFile(flags.secretFile);
  if (!secret.ok) return fail(io, secret.error);
  const zk = parseZkFlags(flags, io);
  if (!zk.ok) return fail(io, zk.error);
  const nodeId = flags.nodeId === undefined ? null : parseNodeId(flags.nodeId);
  if (nodeId !== null && !nodeId.ok) return fail(io, nodeId.error);
  const workDir = flags.workDir ?? defaultWorkDir('master', listen.value.host, listen.value.port);
  const started = await startLiveMaster({
    host: listen.value.host,
    port: listen.value.port,
    workDir,
    secret: secret.value,
    allowChaos: flags.allowChaos,
    timing: TIMING_PROFILES[flags.timing],
    heartbeatIntervalMs: heartbeat.value,
    ...(zk.value === null ? {} : { zk: zk.value }),
    ...(nodeId === null ? {} : { nodeId: nodeId.value }),
    ...(flags.eventLog === undefined ? {} : { eventLog: flags.eventLog }),
    log: (line) => println(io, `faultline master: ${line}`),
  });
  if (!started.ok) return fail(io, started.error);
  const master = started.value;
  const where = zk.value === null ? `work dir ${workDir}` : `${master.node}, election and registry on ZooKeeper ${zk.value.url.connectString}${zk.value.url.path}`;
  println(io, `faultline master listening on http://${master.ip}:${master.port} (${where}${secret.value === null ? '' : ', secret required'}${flags.allowChaos ? ', chaos allowed' : ''})`);
  const signal = await until;
  await master.close();
  return exitOfStop(signal);
}
