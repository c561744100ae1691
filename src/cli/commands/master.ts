/**
 * `faultline master`: starts the live master (src/live/master/live-master.ts),
 * prints where it listens, and runs until SIGINT (130) or SIGTERM (143),
 * closing its servers. Bad flags and unusable ports or directories are one
 * line and exit 64.
 */
import { TIMING_PROFILES, type TimingProfileName } from '../../core/timing.js';
import { startLiveMaster } from '../../live/master/live-master.js';
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
}

/** Runs the master until a signal (or `until`); the exit code. */
export async function masterCommand(flags: MasterFlags, io: CliIo, until: Promise<DaemonStop> = stopSignal()): Promise<number> {
  const listen = parseListen(flags.listen, 1);
  if (!listen.ok) return fail(io, listen.error);
  const heartbeat = parseHeartbeatInterval(flags.heartbeatInterval);
  if (!heartbeat.ok) return fail(io, heartbeat.error);
  const secret = readSecretFile(flags.secretFile);
  if (!secret.ok) return fail(io, secret.error);
  const workDir = flags.workDir ?? defaultWorkDir('master', listen.value.host, listen.value.port);
  const started = await startLiveMaster({
    host: listen.value.host,
    port: listen.value.port,
    workDir,
    secret: secret.value,
    allowChaos: flags.allowChaos,
    timing: TIMING_PROFILES[flags.timing],
    heartbeatIntervalMs: heartbeat.value,
  });
  if (!started.ok) return fail(io, started.error);
  const master = started.value;
  println(io, `faultline master listening on http://${master.ip}:${master.port} (work dir ${workDir}${secret.value === null ? '' : ', secret required'}${flags.allowChaos ? ', chaos allowed' : ''})`);
  const signal = await until;
  await master.close();
  return exitOfStop(signal);
}
