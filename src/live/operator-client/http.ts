/**
 * One-shot requests of the operator client: operator calls (POST /api/v1,
 * whole JSON answers, a 307 followed to the leader) and `GET /master/redirect`.
 * The SUBSCRIBE stream and the POST itself are the scheduler client's
 * transport (scheduler-client/transport.ts).
 */
import http from 'node:http';
import { err, ok, type Result } from '../../core/errors.js';
import type { FaultlineInfo } from '../../api/faultline-call.js';
import { formatEndpoint, type MasterEndpoint } from '../scheduler-client/endpoint.js';
import { postCall } from '../scheduler-client/transport.js';
import { onOperatorPath, operatorRedirect } from './endpoint.js';

/** The largest answer read: a GET_STATE of 50,000 tasks is ~30 MiB. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** 307s followed for one call. */
const MAX_REDIRECTS = 3;

/** Why an operator call failed: no connection at all (`unreachable`) or an answer other than 200. */
export type OperatorCallFailure =
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'status'; readonly status: number; readonly body: string; readonly message: string };

/** The JSON answer of a call, and the master that gave it. */
export interface OperatorAnswer {
  readonly json: Record<string, unknown>;
  readonly endpoint: MasterEndpoint;
}

/** POSTs one operator call; follows 307s to the leader; never rejects. */
export async function operatorCall(endpoint: MasterEndpoint, call: object, timeoutMs: number): Promise<{ ok: true; value: OperatorAnswer } | { ok: false; failure: OperatorCallFailure }> {
  let at = endpoint;
  const body = JSON.stringify(call);
  for (let redirects = 0; ; redirects += 1) {
    const outcome = await postCall(at, body, undefined, timeoutMs, MAX_ANSWER_BYTES);
    if (outcome.kind === 'failed') return { ok: false, failure: { kind: 'unreachable', message: `cannot reach the master at ${formatEndpoint(at)}: ${outcome.message}` } };
    const { status, location, body: text } = outcome.reply;
    if (status === 307 && location !== undefined && redirects < MAX_REDIRECTS) {
      const next = operatorRedirect(at, location);
      if (!next.ok) return { ok: false, failure: { kind: 'status', status, body: location, message: next.error.message } };
      at = next.value;
      continue;
    }
    const type = (call as { type?: unknown }).type;
    if (status !== 200) return { ok: false, failure: { kind: 'status', status, body: text, message: `${String(type)} to ${formatEndpoint(at)} answered ${status}${text ? `: ${text.split('\n')[0]}` : ''}` } };
    try {
      const json = JSON.parse(text) as unknown;
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not an object');
      return { ok: true, value: { json: json as Record<string, unknown>, endpoint: at } };
    } catch (e) {
      return { ok: false, failure: { kind: 'status', status, body: text.slice(0, 200), message: `${String(type)} to ${formatEndpoint(at)}: the answer is not JSON (${(e as Error).message})` } };
    }
  }
}

/** What `/master/redirect` said: the leader, or why the client stays where it is. */
export type LeaderAnswer = { readonly kind: 'leader'; readonly endpoint: MasterEndpoint } | { readonly kind: 'no-leader'; readonly message: string } | { readonly kind: 'unreachable'; readonly message: string } | { readonly kind: 'unsupported'; readonly message: string };

/** Asks `GET /master/redirect` which master leads (every master, the leader too, answers 307 to it; 503 when none is known). */
export function findLeader(endpoint: MasterEndpoint, timeoutMs: number): Promise<LeaderAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: LeaderAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const where = formatEndpoint(endpoint);
    const req = http.request({ host: endpoint.host, port: endpoint.port, path: '/master/redirect', method: 'GET', agent: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status === 307 && typeof location === 'string') {
        const target = operatorRedirect(endpoint, location);
        settle(target.ok ? { kind: 'leader', endpoint: target.value } : { kind: 'unsupported', message: target.error.message });
      } else if (status === 503) settle({ kind: 'no-leader', message: `${where} knows no leading master (503)` });
      else settle({ kind: 'unsupported', message: `${where} answered /master/redirect with ${status}` });
    });
    const timer = setTimeout(() => {
      settle({ kind: 'unreachable', message: `no answer from ${where} within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (e) => settle({ kind: 'unreachable', message: `cannot reach the master at ${where}: ${e.message}` }));
    req.end();
  });
}

/** The leader if `/master/redirect` names one, else `endpoint` itself (an older or odd master: ask it directly). */
export async function leaderOr(endpoint: MasterEndpoint, timeoutMs: number): Promise<Result<MasterEndpoint>> {
  const answer = await findLeader(endpoint, timeoutMs);
  switch (answer.kind) {
    case 'leader':
      return ok(answer.endpoint);
    case 'unsupported':
      return ok(onOperatorPath(endpoint));
    case 'no-leader':
      return err('IO', answer.message);
    case 'unreachable':
      return err('IO', answer.message);
    default: {
      const never: never = answer;
      throw new Error(`unexpected leader answer ${JSON.stringify(never)}`);
    }
  }
}

/** What FAULTLINE_GET_INFO told about the master: a faultline master's info, or why it is read-only. */
export type MasterKind = { readonly kind: 'faultline'; readonly info: FaultlineInfo } | { readonly kind: 'mesos'; readonly reason: string };

/** Probes with FAULTLINE_GET_INFO: a Mesos master answers 400 (an unknown call type). */
export async function probeMaster(endpoint: MasterEndpoint, timeoutMs: number): Promise<Result<{ readonly endpoint: MasterEndpoint; readonly master: MasterKind }>> {
  const answer = await operatorCall(endpoint, { type: 'FAULTLINE_GET_INFO' }, timeoutMs);
  if (answer.ok) {
    const info = answer.value.json.faultline_get_info;
    if (typeof info === 'object' && info !== null) return ok({ endpoint: answer.value.endpoint, master: { kind: 'faultline', info: info as FaultlineInfo } });
    return ok({ endpoint: answer.value.endpoint, master: { kind: 'mesos', reason: 'the master answered FAULTLINE_GET_INFO without its info' } });
  }
  const failure = answer.failure;
  if (failure.kind === 'unreachable') return err('IO', failure.message);
  if (failure.status === 400 || failure.status === 501) return ok({ endpoint, master: { kind: 'mesos', reason: 'a Mesos master (no chaos calls)' } });
  if (failure.status === 401) return err('IO', `${failure.message} (${endpoint.authorization === undefined ? 'give its secret with --secret-file' : 'the secret given is not its secret'})`);
  return err('IO', failure.message);
}
