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
import { parseNodeId } from '../../live/runtime/node-id.js';
import { createZooKeeperDetector, epochOfSequence, isZkUrl, parseZkUrl, type ZooKeeperDetector } from '../../live/zookeeper/index.js';
import { defaultWorkDir, exitOfStop, readSecretFile, stopSignal, type DaemonStop } from '../daemon-flags.js';
import { fail, println, type CliIo } from '../io.js';
import { parseListen } from '../listen.js';
import { localAddressOf } from '../../live/runtime/local-address.js';

/** The parsed flags of `faultline agent`. */
export interface AgentFlags {
  readonly master?: string;
  readonly listen: string;
  readonly resources: string;
  readonly attributes: string;
  readonly workDir?: string;
  readonly secretFile?: string;
  readonly timing: TimingProfileName;
  /** The agent's node id and reported hostname (default: the --listen address). */
  readonly nodeId?: string;
  /** A file to append the core agent's events to, one JSON line each. */
  readonly eventLog?: string;
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
  if (flags.master === undefined || flags.master === '') return fail(io, { code: 'USAGE', message: 'is required (HOST:PORT of the master, or zk://HOST:PORT/PATH)', where: '--master' });
  const zkUrl = isZkUrl(flags.master) ? parseZkUrl(flags.master, '--master') : null;
  if (zkUrl !== null && !zkUrl.ok) return fail(io, zkUrl.error);
  const master = zkUrl === null ? parseListen(flags.master, 1) : null;
  if (master !== null && (!master.ok || master.value.port === 0)) return fail(io, { code: 'USAGE', message: `"${flags.master}" is not HOST:PORT (e.g. 127.0.0.1:5050) or zk://HOST:PORT/PATH`, where: '--master' });
  const listen = parseListen(flags.listen, 1);
  if (!listen.ok) return fail(io, listen.error);
  const resources = parseResources(flags.resources, '--resources');
  if (!resources.ok) return fail(io, resources.error);
  const attributes = parseAttributes(flags.attributes);
  if (!attributes.ok) return fail(io, attributes.error);
  const secret = readSecretFile(flags.secretFile);
  if (!secret.ok) return fail(io, secret.error);
  const nodeId = flags.nodeId === undefined ? null : parseNodeId(flags.nodeId);
  if (nodeId !== null && !nodeId.ok) return fail(io, nodeId.error);
  const workDir = flags.workDir ?? defaultWorkDir('agent', listen.value.host, listen.value.port);
  // With zk:// the agent follows the leader ZooKeeper names (Mesos's ZooKeeperMasterDetector); until one is
  // named it waits, then its WebSocket moves to every new leader.
  let detector: ZooKeeperDetector | null = null;
  let first: string;
  let follow: (() => void) | null = null;
  if (zkUrl !== null) {
    const localAddress = localAddressOf(listen.value.host);
    const zkDetector = createZooKeeperDetector({ url: zkUrl.value, sessionTimeoutMs: TIMING_PROFILES[flags.timing].sessionTimeoutMs, onChange: () => follow?.(), ...(localAddress === undefined ? {} : { localAddress }) });
    detector = zkDetector;
    println(io, `faultline agent: waiting for a leading master under ${zkUrl.value.connectString}${zkUrl.value.path}`);
    // A signal while no master leads stops the wait (a Mesos agent waits for a leader as long as it takes).
    let stopped: DaemonStop | null = null;
    void until.then((signal) => {
      stopped = signal;
    });
    let leader = await zkDetector.waitForLeader(1_000);
    while (leader === null && stopped === null) leader = await zkDetector.waitForLeader(1_000);
    if (leader === null) {
      await zkDetector.close();
      return exitOfStop(stopped ?? 'SIGTERM');
    }
    first = `${leader.host}:${leader.port}`;
  } else if (master !== null && master.ok) first = `${master.value.host}:${master.value.port}`;
  else return fail(io, { code: 'USAGE', message: 'no master', where: '--master' });
  const started = await startLiveAgent({
    master: first,
    host: listen.value.host,
    port: listen.value.port,
    resources: resources.value,
    attributes: attributes.value,
    workDir,
    secret: secret.value,
    timing: TIMING_PROFILES[flags.timing],
    createExecutor: createProcessExecutor,
    ...(nodeId === null ? {} : { nodeId: nodeId.value }),
    ...(flags.eventLog === undefined ? {} : { eventLog: flags.eventLog }),
    log: (line) => println(io, `faultline agent: ${line}`),
  });
  if (!started.ok) {
    await detector?.close();
    return fail(io, started.error);
  }
  const agent = started.value;
  if (detector !== null) {
    const zkDetector = detector;
    follow = () => {
      const leader = zkDetector.leader();
      if (leader !== null) agent.setMaster(`${leader.host}:${leader.port}`, epochOfSequence(leader.sequence));
    };
    // A change between the first look and now is caught up at once; later ones as they come.
    follow();
  }
  println(io, `faultline agent ${agent.node} serving on http://${agent.ip}:${agent.port} (work dir ${workDir}), master ${flags.master}${detector === null ? '' : ` (leader now ${first})`}`);
  const signal = await until;
  await agent.close({ killTasks: false });
  await detector?.close();
  return exitOfStop(signal);
}
