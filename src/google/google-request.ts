/**
 * The request core every Google call goes through: bearer token from the broker, a
 * per-attempt timeout, retries with exponential backoff + full jitter for transient
 * answers (honouring `Retry-After`), one forced refresh on 401, and zod validation of the
 * answer. Failures leave through `translateGoogleFailure` only. Every HTTP exchange is
 * counted and timed by API, API method and status when metrics are given.
 */
import type { z } from 'zod';
import { backoffDelayMs, DEFAULT_BACKOFF, parseRetryAfter } from './backoff.ts';
import type { BackoffPolicy } from './backoff.ts';
import { isRetryable, translateGoogleFailure } from './google-failure.ts';
import type { GoogleFailure } from './google-failure.ts';
import type { ConnectionGate } from './connection-gate.ts';
import { createConnectionGate } from './connection-gate.ts';
import type { TokenSource } from './token-source.ts';

/**
 * The counter and histogram every exchange with Google is recorded in. `method` is the API
 * method (`messages.list`), never a URL; `status` the HTTP status, `network` or `timeout`.
 */
export interface GoogleMetrics {
  googleRequests: { inc(labels: { api: string; method: string; status: string }): void };
  googleDuration: { observe(labels: { api: string; method: string }, seconds: number): void };
}

/** `gmail.messages.list` → `gmail` and `messages.list`. */
export function apiMethodOf(operation: string): { api: string; method: string } {
  const dot = operation.indexOf('.');
  return dot > 0
    ? { api: operation.slice(0, dot), method: operation.slice(dot + 1) }
    : { api: 'google', method: operation };
}

/**
 * Records one exchange: its status always, its duration when it was timed (the calls inside
 * a Gmail batch have no duration of their own).
 */
export function recordExchange(
  metrics: GoogleMetrics | undefined,
  operation: string,
  status: number | 'network' | 'timeout',
  startedAt?: number,
): void {
  if (!metrics) return;
  const labels = apiMethodOf(operation);
  metrics.googleRequests.inc({ ...labels, status: String(status) });
  if (startedAt !== undefined) {
    metrics.googleDuration.observe(labels, (performance.now() - startedAt) / 1000);
  }
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface GoogleRequest {
  /** A stable label used in errors and logs, e.g. `gmail.messages.get`. */
  operation: string;
  method?: 'GET' | 'POST';
  /** Path below the API root, starting with `/`. */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** JSON body for POST. */
  body?: unknown;
}

export interface RequestDeps {
  apiRoot: string;
  tokens: TokenSource;
  connectionId: string;
  fetch: typeof fetch;
  timeoutMs: number;
  retries: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  backoff: BackoffPolicy;
  /** Bounds the calls in flight per connection, shared by every client of the process. */
  gate: ConnectionGate;
  /** Where exchanges are counted and timed; none in unit tests that do not look. */
  metrics?: GoogleMetrics | undefined;
}

export type GoogleRequester = <T>(schema: z.ZodType<T>, request: GoogleRequest) => Promise<T>;

export function buildUrl(apiRoot: string, request: GoogleRequest): string {
  const url = new URL(apiRoot.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** Fills in defaults for the optional dependencies. */
export function requestDeps(
  deps: Pick<RequestDeps, 'apiRoot' | 'tokens' | 'connectionId'> & Partial<RequestDeps>,
): RequestDeps {
  return {
    apiRoot: deps.apiRoot,
    tokens: deps.tokens,
    connectionId: deps.connectionId,
    fetch: deps.fetch ?? globalThis.fetch,
    timeoutMs: deps.timeoutMs ?? 10_000,
    retries: deps.retries ?? 3,
    random: deps.random ?? Math.random,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: deps.now ?? (() => new Date()),
    backoff: deps.backoff ?? DEFAULT_BACKOFF,
    gate: deps.gate ?? createConnectionGate(DEFAULT_CALLS_IN_FLIGHT),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  };
}

/** Google calls in flight per connection when no shared gate is given. */
export const DEFAULT_CALLS_IN_FLIGHT = 50;

export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: GoogleFailure };

/**
 * The retry loop every Google request runs in: the broker's token, a forced refresh when
 * Google answers 401, and backoff with jitter (or `Retry-After`, up to its cap) for
 * transient failures. `attempt` makes one HTTP exchange with the token it is given.
 *
 * A token refused on the attempt right after its refresh means the grant is refused:
 * `reauth_required`. A 401 that comes later, after other failures took their time (slow
 * answers, `Retry-After` waits), may only mean the token ran out meanwhile: it is refreshed
 * again. Those failures use up the retries, so the loop still ends.
 */
/**
 * Forced refreshes one request may make before a token refused right after its refresh
 * counts as a refused grant: a token can also run out between its refresh and its use when
 * answers are slow, and a grant that is really gone fails the refresh itself.
 */
export const MAX_REFRESHES = 3;

export async function withRetries<T>(
  deps: RequestDeps,
  attempt: (token: string) => Promise<Attempt<T>>,
): Promise<T> {
  let token = await deps.tokens.accessToken(deps.connectionId);
  let justRefreshed = false;
  let refreshes = 0;
  for (let round = 0; ; round++) {
    const result = await attempt(token);
    if (result.ok) return result.value;
    const failure = result.failure;
    if (failure.kind === 'http' && failure.status === 401) {
      if (justRefreshed && refreshes >= MAX_REFRESHES) {
        throw translateGoogleFailure({ ...failure, afterRefresh: true });
      }
      justRefreshed = true;
      refreshes += 1;
      token = await deps.tokens.refreshAfterRejection(deps.connectionId, token);
      round--;
      continue;
    }
    justRefreshed = false;
    const wait = retryDelayMs(deps, failure, round);
    if (wait === null) throw translateGoogleFailure(failure);
    await deps.sleep(wait);
  }
}

/** How long to wait before retry number `round + 1`, or null when there is none. */
export function retryDelayMs(
  deps: RequestDeps,
  failure: GoogleFailure,
  round: number,
): number | null {
  if (!isRetryable(failure) || round >= deps.retries) return null;
  const waitSeconds = failure.kind === 'http' ? failure.retryAfterSeconds : null;
  if (waitSeconds !== null && waitSeconds > deps.backoff.retryAfterCapSeconds) return null;
  return waitSeconds === null
    ? backoffDelayMs(deps.backoff, round, deps.random)
    : waitSeconds * 1000;
}

export function createRequester(deps: RequestDeps): GoogleRequester {
  return async function request<T>(schema: z.ZodType<T>, req: GoogleRequest): Promise<T> {
    const url = buildUrl(deps.apiRoot, req);
    return withRetries(deps, (token) =>
      deps.gate.run(deps.connectionId, 1, () => attemptOnce(deps, schema, req, url, token)),
    );
  };
}

async function attemptOnce<T>(
  deps: RequestDeps,
  schema: z.ZodType<T>,
  req: GoogleRequest,
  url: string,
  token: string,
): Promise<Attempt<T>> {
  const signal = AbortSignal.timeout(deps.timeoutMs);
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
  };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  let status: number;
  let text: string;
  let retryAfter: string | null;
  const startedAt = performance.now();
  try {
    const response = await deps.fetch(url, {
      method: req.method ?? 'GET',
      headers,
      signal,
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
    });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    text = await response.text();
  } catch (error) {
    recordExchange(deps.metrics, req.operation, signal.aborted ? 'timeout' : 'network', startedAt);
    if (signal.aborted) {
      return {
        ok: false,
        failure: { kind: 'timeout', operation: req.operation, timeoutMs: deps.timeoutMs },
      };
    }
    return { ok: false, failure: { kind: 'network', operation: req.operation, cause: error } };
  }
  recordExchange(deps.metrics, req.operation, status, startedAt);
  if (status >= 200 && status < 300) return parseSuccess(schema, req.operation, text);
  return { ok: false, failure: httpFailure(req.operation, status, text, retryAfter, deps.now()) };
}

/** A non-2xx answer as a failure: Google's reason and message, and its `Retry-After`. */
export function httpFailure(
  operation: string,
  status: number,
  text: string,
  retryAfter: string | null,
  now: Date,
): GoogleFailure {
  const envelope = parseErrorEnvelope(text);
  return {
    kind: 'http',
    operation,
    status,
    reason: envelope.reason,
    message: envelope.message,
    retryAfterSeconds: parseRetryAfter(retryAfter, now),
  };
}

export function parseSuccess<T>(schema: z.ZodType<T>, operation: string, text: string): Attempt<T> {
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    return { ok: false, failure: { kind: 'invalid_response', operation, problem: 'not JSON' } };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const problem = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
  return { ok: false, failure: { kind: 'invalid_response', operation, problem } };
}

/** Google's `{"error":{"message","errors":[{"reason"}]}}`; lenient about anything else. */
export function parseErrorEnvelope(text: string): { reason: string; message: string } {
  try {
    const json = JSON.parse(text) as {
      error?: { message?: unknown; errors?: { reason?: unknown }[]; status?: unknown } | string;
    };
    const error = json.error;
    if (typeof error === 'string') return { reason: error, message: '' };
    const reason = error?.errors?.[0]?.reason;
    const message = error?.message;
    return {
      reason: typeof reason === 'string' ? reason : '',
      message: typeof message === 'string' ? message.slice(0, 200) : '',
    };
  } catch {
    return { reason: '', message: '' };
  }
}
