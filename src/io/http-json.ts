// JSON over HTTP with the built-in fetch: a timeout on the whole exchange and errors that say what
// went wrong and where (connect, timeout, HTTP status, bad JSON). `fetchJson` returns a Result so a
// daemon can keep its last good state; `getJson`/`postJson` throw the same error as a CodedError.
import { CodedError } from '../kernel/errors.js';
import type { Result } from '../kernel/errors.js';
import { ok, err } from '../kernel/errors.js';

export type HttpErrorCode = 'E_HTTP_TIMEOUT' | 'E_HTTP_CONNECT' | 'E_HTTP_STATUS' | 'E_HTTP_JSON' | 'E_HTTP_ABORTED';

export interface HttpError {
  readonly code: HttpErrorCode;
  readonly message: string;
  readonly url: string;
  /** Set for E_HTTP_STATUS (and E_HTTP_JSON). */
  readonly status?: number;
  /** The start of the response body, for E_HTTP_STATUS / E_HTTP_JSON. */
  readonly body?: string;
}

export interface HttpJsonOptions {
  readonly method?: string;
  /** Sent as JSON (Content-Type: application/json) unless it is already a string. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Default 'follow' (Mesos answers non-leaders with 307 to the leader). */
  readonly redirect?: 'follow' | 'manual' | 'error';
}

export interface HttpJsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
  /** The URL finally answered (after redirects). */
  readonly url: string;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

const snippet = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

function describe(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}

export async function fetchJson(url: string, opts: HttpJsonOptions = {}): Promise<Result<HttpJsonResponse, HttpError>> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
  const fail = (code: HttpErrorCode, message: string, extra: Partial<HttpError> = {}): Result<never, HttpError> =>
    err({ code, message: `${method} ${url}: ${message}`, url, ...extra });
  const aborted = (): Result<never, HttpError> =>
    timeout.aborted ? fail('E_HTTP_TIMEOUT', `no complete answer within ${timeoutMs} ms`) : fail('E_HTTP_ABORTED', 'aborted');
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, signal, redirect: opts.redirect ?? 'follow' });
  } catch (e) {
    if (signal.aborted) return aborted();
    return fail('E_HTTP_CONNECT', `cannot connect: ${describe(e)}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    if (signal.aborted) return aborted();
    return fail('E_HTTP_CONNECT', `connection lost while reading: ${describe(e)}`);
  }
  if (res.status < 200 || res.status > 299) {
    return fail('E_HTTP_STATUS', `HTTP ${res.status}${text ? `: ${snippet(text.trim())}` : ''}`, { status: res.status, body: snippet(text) });
  }
  let json: unknown = undefined;
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch (e) {
      return fail('E_HTTP_JSON', `response is not JSON (${(e as Error).message})`, { status: res.status, body: snippet(text) });
    }
  }
  return ok({ status: res.status, headers: res.headers, json, url: res.url || url });
}

function orThrow(r: Result<HttpJsonResponse, HttpError>): unknown {
  if (r.ok) return r.value.json;
  const { code, message, ...details } = r.error;
  throw new CodedError(code, message, details);
}

export async function getJson(url: string, opts: Omit<HttpJsonOptions, 'method' | 'body'> = {}): Promise<unknown> {
  return orThrow(await fetchJson(url, { ...opts, method: 'GET' }));
}

export async function postJson(url: string, body: unknown, opts: Omit<HttpJsonOptions, 'method' | 'body'> = {}): Promise<unknown> {
  return orThrow(await fetchJson(url, { ...opts, method: 'POST', body }));
}
