/**
 * `faultline agent`: starts the live agent (src/live/agent/live-agent.ts) with
 * the process executor and runs until SIGINT (130) or SIGTERM (143). Either
 * signal stops the agent and leaves its tasks running, as a checkpointing
 * Mesos agent does: restarted with the same --listen and --work-dir it
 * recovers them and reports them again.
 */
import { err, ok, type Result } from '../../core/errors.js';
import type { Attributes } from '../../core/messages.js';
import { parseResources } from '../../core/resources.js';
import { TIMING_PROFILES, type TimingProfileName } from '../../core/timing.js';
import { startLiveAgent } from '../../live/agent/live-agent.js';
import { createProcessExecutor } from '../../live/executor/process-executor.js';
import { defaultWorkDir, exitOfStop, readSecretFile, stopSignal, type DaemonStop } from '../daemon-flags.js';
import { fail, println, type CliIo } from '../io.js';
import { parseListen } from '../listen.js';

/** The parsed flags of `faultline agent`. */
export interface AgentFlags {
  readonly master?: string;
  readonly listen: string;
  readonly resources: string;
  readonly attributes: string;
  readonly workDir?: string;
  readonly secretFile?: string;
  readonly timing: TimingProfileName;
}

/** Parses `name:value;name:value`. */
export function parseAttributes(text: string): Result<Attributes> {
  const out: Record<string, string> = {};
  for (const raw of text.split(';')) {
    const part = raw.trim();
    if (part === '') continue;
    const colon = part.indexOf(':');
    if (colon <= 0) return err('USAGE', `"${part}" is not name:value`, '--attributes');
    out[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
  }
  return ok(out);
}

/** Runs the agent until a signal (or `until`); the exit code. */
export async function agentCommand(flags: AgentFlags, io: CliIo, until: Promise<DaemonStop> = stopSignal()): Promise<number> {
  if (flags.master === undefined || flags.master === '') return fail(io, { code: 'USAGE', message: 'is required (HOST:PORT of the master)', where: '--master' });
  const master = parseListen(flags.master, 1);
  if (!master.ok || master.value.port === 0) return fail(io, { code: 'USAGE', message: `"${flags.master}" is not HOST:PORT (e.g. 127.0.0.1:5050)`, where: '--master' });
  const listen = parseListen(flags.listen, 1);
  if (!listen.ok) return fail(io, listen.error);
  const resources = parseResources(flags.resources, '--resources');
  if (!resources.ok) return fail(io, resources.error);
  const attributes = parseAttributes(flags.attributes);
  if (!attributes.ok) return fail(io, attributes.error);
  const secret = readSecretFile(flags.secretFile);
  if (!secret.ok) return fail(io, secret.error);
  const workDir = flags.workDir ?? defaultWorkDir('agent', listen.value.host, listen.value.port);
  const started = await startLiveAgent({
    master: `${master.value.host}:${master.value.port}`,
    host: listen.value.host,
    port: listen.value.port,
    resources: resources.value,
    attributes: attributes.value,
    workDir,
    secret: secret.value,
    timing: TIMING_PROFILES[flags.timing],
    createExecutor: createProcessExecutor,
    log: (line) => println(io, `faultline agent: ${line}`),
  });
  if (!started.ok) return fail(io, started.error);
  const agent = started.value;
  println(io, `faultline agent ${agent.node} serving on http://${agent.ip}:${agent.port} (work dir ${workDir}), master ${flags.master}`);
  const signal = await until;
  await agent.close({ killTasks: false });
  return exitOfStop(signal);
}
