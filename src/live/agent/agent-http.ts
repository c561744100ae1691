/**
 * The agent daemon's HTTP surface, a pure answer function and a thin server.
 * Routes, with or without the `/slave(1)` prefix (libprocess serves an
 * agent's routes under its process id and, as the delegate, bare):
 * GET state (and state.json), GET /files/read, GET /files/browse, GET /health.
 * Anything else is 404; a method other than GET or HEAD is 405.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProcessExecutor } from '../executor/types.js';
import { answerFilesBrowse, answerFilesRead, type FilesAnswer } from './agent-files.js';
import type { AgentStateJson } from './agent-state.js';

/** An answer to one request. */
export type AgentHttpAnswer = FilesAnswer;

/** What the answers are made of. */
export interface AgentHttpContext {
  /** The agent's state now. */
  state(): AgentStateJson;
  /** The sandbox directories files may be served from (the executor's tasks'). */
  sandboxes(): readonly string[];
}

const PREFIX = /^\/slave(\(1\)|%281%29)(?=\/)/i;

/** Answers one request (no socket: tested as a function). */
export function answerAgentRequest(request: { readonly method: string; readonly url: string }, ctx: AgentHttpContext): AgentHttpAnswer {
  if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405, body: '', contentType: 'text/plain; charset=utf-8' };
  let url: URL;
  try {
    url = new URL(request.url, 'http://agent');
  } catch {
    return { status: 400, body: 'Malformed URL.\n', contentType: 'text/plain; charset=utf-8' };
  }
  const path = url.pathname.replace(PREFIX, '');
  switch (path) {
    case '/state':
    case '/state.json':
      return { status: 200, body: JSON.stringify(ctx.state()), contentType: 'application/json' };
    case '/health':
      return { status: 200, body: '', contentType: 'text/plain; charset=utf-8' };
    case '/files/read':
    case '/files/read.json':
      return answerFilesRead(url.searchParams, ctx.sandboxes());
    case '/files/browse':
    case '/files/browse.json':
      return answerFilesBrowse(url.searchParams, ctx.sandboxes());
    default:
      return { status: 404, body: '', contentType: 'text/plain; charset=utf-8' };
  }
}

/** A running agent HTTP server. */
export interface AgentHttpServer {
  readonly server: Server;
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Serves the agent's HTTP surface on host:port (port 0: any free port). */
export async function serveAgentHttp(options: {
  readonly host: string;
  readonly port: number;
  readonly state: () => AgentStateJson;
  readonly executor: Pick<ProcessExecutor, 'tasks'>;
}): Promise<AgentHttpServer> {
  const ctx: AgentHttpContext = { state: options.state, sandboxes: () => options.executor.tasks().map((t) => t.sandbox) };
  const server = createServer((req, res) => {
    let answer: AgentHttpAnswer;
    try {
      answer = answerAgentRequest({ method: req.method ?? 'GET', url: req.url ?? '/' }, ctx);
    } catch (error) {
      // A file that vanished mid-read, say: an error answer, never a crash of the daemon.
      answer = { status: 500, body: `${(error as Error).message}\n`, contentType: 'text/plain; charset=utf-8' };
    }
    res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'Content-Length': Buffer.byteLength(answer.body) });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
