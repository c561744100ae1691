/**
 * `faultline agent` as a library: the core agent actor on the wall-clock node
 * host, its checkpoint in the work directory (committed after each handler,
 * before what the handler sent leaves), tasks run by the process executor,
 * the master reached through the reconnecting WebSocket transport, and the
 * agent's HTTP endpoints on --listen (`/slave(1)/state`, `/files/read`,
 * `/files/browse`, `/health`: src/live/agent/agent-http.ts).
 *
 * Stopping (SIGTERM/SIGINT) leaves the tasks running, as a checkpointing
 * Mesos agent does: a restarted agent process recovers them from the work
 * directory and reports them again. Only the master's chaos `kill` (SIGKILL of
 * this process) and a host crash end them without the agent.
 *
 * Its node id is `nodeId` when given (and then also the hostname the master
 * reports for it), else its `ip:port`. With `eventLog` every event the core
 * agent emits is appended to that file as a JSON line (src/live/history).
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgent } from '../../core/agent/index.js';
import { err, ok, type Result } from '../../core/errors.js';
import type { ClusterEvent } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import type { AgentMessage, Attributes } from '../../core/messages.js';
import type { Resources } from '../../core/resources.js';
import type { Timing } from '../../core/timing.js';
import type { ProcessExecutor, ProcessExecutorOptions } from '../executor/types.js';
import { LIVE_COORDINATOR_NODE, LIVE_MASTER_NODE } from '../master/live-master.js';
import { answerAgentRequest, type AgentHttpAnswer, type AgentHttpContext } from './agent-http.js';
import { agentStateJson } from './agent-state.js';
import { openFileAgentDisk } from './file-disk.js';
import { NodeHost } from '../runtime/node-host.js';
import { ClientTransport } from '../transport/client-transport.js';
import { openEventLogWriter, type EventLogWriter } from '../history/index.js';
import { parseNodeId } from '../runtime/node-id.js';
import { localAddressOf } from '../runtime/local-address.js';

/** How a live agent is started. */
export interface LiveAgentOptions {
  /** The master, HOST:PORT. */
  readonly master: string;
  readonly host: string;
  /** 0: a free port (the node id then changes with every start: give a port to be recovered). */
  readonly port: number;
  readonly resources: Resources;
  readonly attributes: Attributes;
  readonly workDir: string;
  readonly secret: string | null;
  readonly timing: Timing;
  readonly createExecutor: (options: ProcessExecutorOptions) => ProcessExecutor;
  readonly log?: (line: string) => void;
  /** Called when the master asks this process to die (default: SIGKILL itself); the event log is written first. */
  readonly onKill?: () => void;
  /** The core agent's node id and the hostname the master reports (default: `ip:port` and the listen host). */
  readonly nodeId?: NodeId;
  /** A file to append every event of the core agent to, one JSON line each (src/live/history). */
  readonly eventLog?: string;
}

/** A running live agent. */
export interface LiveAgent {
  readonly node: NodeId;
  readonly ip: string;
  readonly port: number;
  readonly executor: ProcessExecutor;
  readonly transport: ClientTransport<'agent'>;
  /**
   * Follows a new leading master (HOST:PORT): the WebSocket reconnects there. With the leader's epoch (its
   * ZooKeeper sequence + 1, epochOfSequence) the core agent reregisters as soon as the new connection is up, as a Mesos agent does
   * when its detector names a new master; without it, when its pings stop.
   */
  setMaster(master: string, epoch?: number): void;
  /** Stops the agent; `killTasks` false (the default) leaves them running for a restarted agent. */
  close(options?: { readonly killTasks: boolean }): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The node id of an agent serving at ip:port (unique per host and port, stable across restarts). */
export function agentNodeId(ip: string, port: number): NodeId {
  return `${ip}:${port}`;
}

/** Starts a live agent; an error when its work directory, checkpoint or port cannot be used. */
export async function startLiveAgent(options: LiveAgentOptions): Promise<Result<LiveAgent>> {
  const nodeId = options.nodeId === undefined ? ok(null) : parseNodeId(options.nodeId);
  if (!nodeId.ok) return nodeId;
  try {
    mkdirSync(options.workDir, { recursive: true });
  } catch (error) {
    return err('IO', `cannot create the work directory ${options.workDir}: ${error instanceof Error ? error.message : String(error)}`, '--work-dir');
  }
  const opened = openFileAgentDisk(options.workDir);
  if (!opened.ok) return opened;
  const fileDisk = opened.value;
  const log = options.log ?? (() => undefined);
  let eventLog: EventLogWriter | null = null;
  if (options.eventLog !== undefined) {
    const openedLog = openEventLogWriter({ path: options.eventLog, onError: log });
    if (!openedLog.ok) return openedLog;
    eventLog = openedLog.value;
  }

  const server = createServer();
  let port: number;
  try {
    port = await listen(server, options.host, options.port);
  } catch (error) {
    eventLog?.close();
    return err('IO', `cannot listen on ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)}`, '--listen');
  }
  const node = nodeId.value ?? agentNodeId(options.host, port);
  const hostname = nodeId.value ?? options.host;

  let transport: ClientTransport<'agent'> | null = null;
  const host = new NodeHost({
    now: () => Date.now(),
    emit: (from: NodeId, event: ClusterEvent) => eventLog?.append(from, event),
    remote: (_from, to, message) => {
      // The core agent sends the master only agent messages.
      if (to === LIVE_MASTER_NODE) transport?.send(message as AgentMessage);
    },
    afterHandler: () => fileDisk.commit(),
  });
  const executor = options.createExecutor({ workDir: options.workDir, report: (status) => host.deliver(node, node, status) });
  const startedAtMs = Date.now();
  const httpContext: AgentHttpContext = {
    state: () =>
      agentStateJson({
        agentId: fileDisk.disk.agentId,
        pid: `slave(1)@${options.host}:${port}`,
        hostname,
        resources: options.resources,
        attributes: options.attributes,
        masterHostname: transport?.masterAddress().split(':')[0] ?? null,
        startedAtMs,
        disk: fileDisk.disk,
        executorTasks: executor.tasks(),
      }),
    sandboxes: () => executor.tasks().map((t) => t.sandbox),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let answer: AgentHttpAnswer;
    try {
      answer = answerAgentRequest({ method: req.method ?? 'GET', url: req.url ?? '/' }, httpContext);
    } catch (error) {
      answer = { status: 500, body: `${error instanceof Error ? error.message : String(error)}\n`, contentType: 'text/plain; charset=utf-8' };
    }
    res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Content-Length': Buffer.byteLength(answer.body) });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  transport = new ClientTransport({
    master: options.master,
    node,
    role: 'agent',
    listen: { ip: options.host, port },
    ...(nodeId.value === null ? {} : { hostname }),
    ...(localAddressOf(options.host) === undefined ? {} : { localAddress: options.host }),
    secret: options.secret,
    log,
    // Whichever master leads, the agent knows it as LIVE_MASTER_NODE (fenced by epoch, not by node id).
    onMessage: (_from, message) => host.deliver(LIVE_MASTER_NODE, node, message),
    onKill: () => {
      // What this process's actors emitted up to the kill happened: write it before dying.
      eventLog?.flush();
      (options.onKill ?? (() => process.kill(process.pid, 'SIGKILL')))();
    },
    onKillTask: (taskId) => {
      // A crash of the task, not a kill through the agent: SIGKILL its process group.
      const task = executor.tasks().find((t) => t.taskId === taskId);
      if (task?.pid != null) {
        try {
          process.kill(-task.pid, 'SIGKILL');
          log(`chaos: SIGKILLed the process group of ${taskId}`);
        } catch {
          // Already gone: the executor reports how it ended.
        }
      }
    },
  });
  const liveTransport = transport;

  const startActor = (): void => {
    host.add(node, (ctx) =>
    createAgent(ctx, {
      resources: options.resources,
      attributes: options.attributes,
      timing: options.timing,
      leader: { kind: 'static', master: LIVE_MASTER_NODE },
      executor,
      disk: fileDisk.disk,
    }),
    );
  };
  // Connected first (or after a short wait), so the first registration is not lost to a socket still opening.
  liveTransport.start();
  await liveTransport.waitConnected(2000);
  startActor();
  await executor.recover();

  return ok({
    node,
    ip: options.host,
    port,
    executor,
    transport: liveTransport,
    setMaster: (master, epoch) => {
      const moved = master !== liveTransport.masterAddress();
      liveTransport.setMaster(master);
      if (!moved || epoch === undefined) return;
      // The agent knows its master only as LIVE_MASTER_NODE: a leader notice for that node at a newer epoch
      // makes it reregister at once (core agent onLeaderNotice), and fences the old leader's late messages.
      void liveTransport.waitConnected(5_000).then((up) => {
        if (up && liveTransport.masterAddress() === master) host.deliver(LIVE_COORDINATOR_NODE, node, { type: 'coordinator.leader', leader: LIVE_MASTER_NODE, epoch });
      });
    },
    close: async (closeOptions = { killTasks: false }) => {
      host.close();
      liveTransport.close();
      await executor.close({ killTasks: closeOptions.killTasks });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      eventLog?.close();
    },
  });
}
