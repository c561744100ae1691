/**
 * A task's sandbox output for `l`, read from its agent as the Mesos web UI
 * does: the agent's `/slave(1)/state` gives the executor's `directory` (the
 * sandbox), then `/files/read?path=<directory>/stdout&offset=0&length=N`
 * answers `{"data":"...","offset":0}`. The agent's address is its pid,
 * `slave(1)@ip:port`.
 */
import http from 'node:http';
import { err, ok, type Result } from '../../core/errors.js';

type Json = Record<string, unknown>;

/** The tail of a stream shown, bytes. */
const MAX_OUTPUT_BYTES = 64 * 1024;
/** The largest agent state read. */
const MAX_STATE_BYTES = 32 * 1024 * 1024;

/** `ip:port` of an agent pid `slave(1)@ip:port`, or null. */
export function agentAddressOfPid(pid: string): { readonly host: string; readonly port: number; readonly id: string } | null {
  const match = /^([^@]+)@(.+):(\d+)$/.exec(pid);
  if (!match) return null;
  return { id: match[1] as string, host: match[2] as string, port: Number(match[3]) };
}

function get(host: string, port: number, path: string, timeoutMs: number, maxBytes: number): Promise<Result<{ status: number; body: string }>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: Result<{ status: number; body: string }>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = http.request({ host, port, path, method: 'GET', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (text.length < maxBytes) text += c;
      });
      res.on('end', () => settle(ok({ status: res.statusCode ?? 0, body: text })));
      res.on('error', (e) => settle(err('IO', e.message)));
    });
    const timer = setTimeout(() => {
      settle(err('IO', `no answer from ${host}:${port} within ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('error', (e) => settle(err('IO', `cannot reach the agent at ${host}:${port}: ${e.message}`)));
    req.end();
  });
}

/** The sandbox directory of `taskId` in an agent's `/slave(1)/state`, or null. */
export function sandboxOf(agentState: Json, taskId: string): string | null {
  const lists = (value: unknown): Json[] => (Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : []);
  for (const framework of [...lists(agentState.frameworks), ...lists(agentState.completed_frameworks)]) {
    for (const executor of [...lists(framework.executors), ...lists(framework.completed_executors)]) {
      const tasks = [...lists(executor.tasks), ...lists(executor.queued_tasks), ...lists(executor.completed_tasks)];
      const holds = executor.id === taskId || tasks.some((t) => t.id === taskId);
      if (holds && typeof executor.directory === 'string') return executor.directory;
    }
  }
  return null;
}

/** A task's stdout and stderr, last lines. */
export interface FetchedOutput {
  readonly source: string;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
}

async function readFile(host: string, port: number, path: string, timeoutMs: number): Promise<Result<string[]>> {
  // Ask for the size first (length 0 answers the file's size as `offset`), then read the tail.
  const sized = await get(host, port, `/files/read?path=${encodeURIComponent(path)}&offset=-1`, timeoutMs, 4096);
  let offset = 0;
  if (sized.ok && sized.value.status === 200) {
    try {
      const size = (JSON.parse(sized.value.body) as Json).offset;
      if (typeof size === 'number' && size > MAX_OUTPUT_BYTES) offset = size - MAX_OUTPUT_BYTES;
    } catch {
      // An agent that does not size files: read from the start.
    }
  }
  const read = await get(host, port, `/files/read?path=${encodeURIComponent(path)}&offset=${offset}&length=${MAX_OUTPUT_BYTES}`, timeoutMs, MAX_OUTPUT_BYTES * 2);
  if (!read.ok) return read;
  if (read.value.status === 404) return ok([]);
  if (read.value.status !== 200) return err('IO', `/files/read answered ${read.value.status}`);
  try {
    const data = (JSON.parse(read.value.body) as Json).data;
    const text = typeof data === 'string' ? data : '';
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return ok(lines);
  } catch {
    return err('IO', '/files/read did not answer JSON');
  }
}

/** Reads a task's output from its agent. */
export async function fetchTaskOutput(options: { readonly pid: string; readonly taskId: string; readonly timeoutMs: number }): Promise<Result<FetchedOutput>> {
  const agent = agentAddressOfPid(options.pid);
  if (agent === null) return err('IO', `the agent's pid "${options.pid}" gives no address`);
  const state = await get(agent.host, agent.port, `/${agent.id}/state`, options.timeoutMs, MAX_STATE_BYTES);
  if (!state.ok) return state;
  if (state.value.status !== 200) return err('IO', `the agent at ${agent.host}:${agent.port} answered /${agent.id}/state with ${state.value.status}`);
  let parsed: Json;
  try {
    parsed = JSON.parse(state.value.body) as Json;
  } catch {
    return err('IO', `the agent at ${agent.host}:${agent.port} gave a state that is not JSON`);
  }
  const directory = sandboxOf(parsed, options.taskId);
  if (directory === null) return err('IO', `the agent at ${agent.host}:${agent.port} lists no sandbox for task ${options.taskId}`);
  const [stdout, stderr] = await Promise.all([readFile(agent.host, agent.port, `${directory}/stdout`, options.timeoutMs), readFile(agent.host, agent.port, `${directory}/stderr`, options.timeoutMs)]);
  if (!stdout.ok) return stdout;
  return ok({ source: `${agent.host}:${agent.port} ${directory}`, stdout: stdout.value, stderr: stderr.ok ? stderr.value : [`(stderr: ${stderr.error.message})`] });
}
