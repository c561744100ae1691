/**
 * The HTTP edge's expected failures: a status code and one line, as Mesos
 * answers them (`src/master/http.cpp`). Parsing and gatekeeping return these
 * as typed results; the server writes them as they are.
 */

/** An HTTP answer other than success. */
export interface ApiError {
  readonly status: number;
  readonly message: string;
  /** Extra response headers (Location on a 307). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A value or an ApiError. */
export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** Wraps a success. */
export function apiOk<T>(value: T): ApiResult<T> {
  return { ok: true, value };
}

/** Builds a failure. */
export function apiErr<T = never>(status: number, message: string, headers?: Readonly<Record<string, string>>): ApiResult<T> {
  return { ok: false, error: headers === undefined ? { status, message } : { status, message, headers } };
}

/** Thrown inside one parser and caught at its entry point (never crosses a module boundary). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a parser that may throw ApiFailure; returns its value or the failure as a result. */
export function catchApi<T>(fn: () => T): ApiResult<T> {
  try {
    return apiOk(fn());
  } catch (error) {
    if (error instanceof ApiFailure) return apiErr(error.status, error.message);
    throw error;
  }
}
