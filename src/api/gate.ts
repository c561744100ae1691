/**
 * Which endpoint a request is for, and the checks Mesos makes before it looks
 * at a call (`Master::Http::scheduler` and `Master::Http::api` in
 * `src/master/http.cpp`), as pure functions of the request and this master's
 * view of leadership and of its frameworks:
 * - not the leader: 307 `Location: //leader:port/path?query`, or 503 "No leader elected";
 * - not POST: 405; no Content-Type: 400; another Content-Type: 415;
 * - SUBSCRIBE whose Accept allows no JSON: 406; SUBSCRIBE with a Mesos-Stream-Id: 400;
 * - any other call: unknown framework 400, disconnected 403, not on HTTP 403,
 *   without or with a wrong Mesos-Stream-Id 400.
 * Leniency, said out loud: Content-Type is compared without parameters and
 * case-insensitively, so `application/json; charset=utf-8` is accepted (Mesos
 * compares the exact string and answers 415). faultline speaks JSON only, so
 * `application/x-protobuf` gets 415 and an Accept of only protobuf gets 406.
 */
import type { FrameworkId } from '../core/ids.js';
import type { Address } from './addresses.js';
import { apiErr, apiOk, type ApiResult } from './errors.js';

/** The endpoints served. */
export type Route = 'scheduler' | 'operator' | 'state' | 'redirect' | 'health' | 'metrics' | 'not_found';

/** A request's route, path and query. */
export interface Routed {
  readonly route: Route;
  readonly path: string;
  /** The raw query string with its `?`, or ''. */
  readonly search: string;
  readonly query: URLSearchParams;
}

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/api/v1/scheduler', 'scheduler'],
  ['/master/api/v1/scheduler', 'scheduler'],
  ['/api/v1', 'operator'],
  ['/master/api/v1', 'operator'],
  ['/master/state', 'state'],
  ['/state', 'state'],
  ['/master/state.json', 'state'],
  ['/state.json', 'state'],
  ['/master/redirect', 'redirect'],
  ['/redirect', 'redirect'],
  ['/master/health', 'health'],
  ['/health', 'health'],
  ['/metrics/snapshot', 'metrics'],
]);

/** Routes a request target (`/master/state?jsonp=cb`). `/master/redirect/...` is not found, as in Mesos (no redirect loops). */
export function routeOf(target: string): Routed {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const search = q < 0 ? '' : target.slice(q);
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  return { route: ROUTES.get(path) ?? 'not_found', path: rawPath, search, query: new URLSearchParams(search) };
}

/** This master's view of leadership. */
export interface LeadershipView {
  /** Whether this master leads (and has recovered). */
  readonly leading: boolean;
  /** The leader's HTTP address when another master leads and it is known. */
  readonly leader: Address | null;
}

/** Request headers, lower-case names (as Node gives them). */
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** 307 to the leader keeping path and query, or 503 when none is known (`Master::Http::redirect`). */
export function redirectToLeader(view: LeadershipView, pathAndQuery: string): ApiResult<never> {
  if (view.leader === null) return apiErr(503, 'No leader elected');
  return apiErr(307, '', { Location: `//${view.leader.hostname}:${view.leader.port}${pathAndQuery}` });
}

/** `/master/redirect`: every master, the leader too, answers 307 to the leader (no path), or 503. */
export function redirectEndpoint(view: LeadershipView, self: Address): RedirectAnswer {
  if (view.leading) return { status: 307, location: `//${self.hostname}:${self.port}` };
  if (view.leader === null) return { status: 503, message: 'No leader elected' };
  return { status: 307, location: `//${view.leader.hostname}:${view.leader.port}` };
}

/** The answer of `/master/redirect`. */
export type RedirectAnswer = { readonly status: 307; readonly location: string } | { readonly status: 503; readonly message: string };

const JSON_TYPE = 'application/json';

function mediaType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/** Whether an Accept header allows JSON (no header allows everything). */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const type = mediaType(range);
    return type === JSON_TYPE || type === 'application/*' || type === '*/*';
  });
}

/** The checks before a v1 call's body is read: leadership, method, Content-Type. */
export function gateCall(request: { readonly method: string; readonly headers: Headers; readonly pathAndQuery: string }, view: LeadershipView): ApiResult<true> {
  if (!view.leading) return redirectToLeader(view, request.pathAndQuery);
  if (request.method !== 'POST') return apiErr(405, `Expecting one of { 'POST' }, but received '${request.method}'`, { Allow: 'POST' });
  const contentType = header(request.headers, 'content-type');
  if (contentType === undefined) return apiErr(400, "Expecting 'Content-Type' to be present");
  if (mediaType(contentType) !== JSON_TYPE) return apiErr(415, `Expecting 'Content-Type' of ${JSON_TYPE} (faultline speaks JSON only)`);
  return apiOk(true);
}

/** The checks of a streaming SUBSCRIBE (scheduler or operator): Accept must allow JSON; a scheduler SUBSCRIBE carries no stream id. */
export function gateSubscribe(headers: Headers, kind: 'scheduler' | 'operator'): ApiResult<true> {
  if (!acceptsJson(header(headers, 'accept'))) return apiErr(406, `Expecting 'Accept' to allow ${JSON_TYPE}`);
  if (kind === 'scheduler' && header(headers, 'mesos-stream-id') !== undefined) return apiErr(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
  return apiOk(true);
}

/** A framework as the serving master knows it. */
export type FrameworkStanding =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'disconnected' }
  /** Subscribed, but not through this HTTP API (a built-in scheduler). */
  | { readonly kind: 'not_http' }
  | { readonly kind: 'subscribed'; readonly streamId: string };

/** The checks of a non-SUBSCRIBE scheduler call against the framework it names. */
export function gateFrameworkCall(frameworkId: FrameworkId, headers: Headers, standing: FrameworkStanding): ApiResult<true> {
  switch (standing.kind) {
    case 'unknown':
      return apiErr(400, 'Framework cannot be found');
    case 'disconnected':
      return apiErr(403, 'Framework is not subscribed');
    case 'not_http':
      return apiErr(403, 'Framework is not connected via HTTP');
    case 'subscribed': {
      const streamId = header(headers, 'mesos-stream-id');
      if (streamId === undefined) return apiErr(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
      if (streamId !== standing.streamId) {
        return apiErr(400, `The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID ${frameworkId}`);
      }
      return apiOk(true);
    }
    default: {
      const never: never = standing;
      throw new Error(`unexpected standing ${JSON.stringify(never)}`);
    }
  }
}
