/**
 * Gmail's batch endpoint (`POST {root}/batch/gmail/v1`, `multipart/mixed`): many GET calls
 * in one HTTP round trip. Each inner call still costs its own quota, runs at the same time
 * as the others and can fail on its own, so every part is mapped to a value or a failure:
 * parts Gmail refused for too many calls at once are sent again at once in narrower
 * batches, parts that failed otherwise transiently (429, 5xx, a rate-limit 403) again
 * after backoff, parts refused with 401 once more after one forced refresh; the rest are
 * final. The outer request runs through the same retry loop as every other call, and
 * holds one permit of the connection's gate per inner call. The metrics count the outer
 * exchange as `batch`, and each call inside it under its own method and status.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { isRetryable, translateGoogleFailure } from './google-failure.ts';
import type { GoogleFailure } from './google-failure.ts';
import {
  buildUrl,
  MAX_REFRESHES,
  httpFailure,
  parseSuccess,
  recordExchange,
  retryDelayMs,
  withRetries,
} from './google-request.ts';
import type { Attempt, QueryValue, RequestDeps } from './google-request.ts';

/**
 * Google takes up to 100 calls per batch and discourages more than 50, but the calls of a
 * batch run at once, and Gmail refuses a user's calls past a handful in flight (public
 * clients see it from about 25 per batch; 10 rarely fails).
 */
export const MAX_BATCH_CALLS = 10;

export interface BatchCall {
  /** Path below the API root, starting with `/gmail/v1/`. */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** How the call is counted and named in failures (default: the batch's operation). */
  operation?: string;
}

export type BatchResult<T> = Attempt<T>;

interface RawPart {
  status: number;
  retryAfter: string | null;
  body: string;
}

/** The multipart request body: one `application/http` GET per call, `Content-ID: <item-i>`. */
export function formatBatchRequest(
  calls: readonly BatchCall[],
  ids: readonly number[],
  boundary: string,
): string {
  let out = '';
  calls.forEach((call, i) => {
    const url = new URL(buildUrl('http://batch.invalid', { operation: 'batch', ...call }));
    out +=
      `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <item-${ids[i]}>\r\n\r\n` +
      `GET ${url.pathname}${url.search} HTTP/1.1\r\n\r\n`;
  });
  return `${out}--${boundary}--\r\n`;
}

function splitHead(text: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return [text, ''];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}

function headerOf(head: string, name: string): string | null {
  const line = head
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line === undefined ? null : line.slice(name.length + 1).trim();
}

/**
 * The parts of a batch answer by item number (`Content-ID: <response-item-i>`); a part
 * without a readable id takes the position it has. Unreadable parts are left out.
 */
export function parseBatchResponse(
  text: string,
  boundary: string,
  ids: readonly number[],
): Map<number, RawPart> {
  const parts = new Map<number, RawPart>();
  const chunks = text.split(`--${boundary}`).slice(1);
  chunks.forEach((chunk, position) => {
    if (chunk.startsWith('--')) return;
    const [partHead, http] = splitHead(chunk.replace(/^\r?\n/, ''));
    const id = /<response-item-(\d+)>/.exec(headerOf(partHead, 'content-id') ?? '');
    const [head, body] = splitHead(http.replace(/^(\r?\n)+/, ''));
    const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(head);
    if (!status) return;
    const item = id ? Number(id[1]) : ids[position];
    if (item === undefined) return;
    parts.set(item, {
      status: Number(status[1]),
      retryAfter: headerOf(head, 'retry-after'),
      body: body.replace(/\r?\n$/, ''),
    });
  });
  return parts;
}

function boundaryOf(contentType: string | null): string | null {
  const match = /boundary="?([^";]+)"?/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

/** One outer batch exchange: the raw parts by item number, or why the whole batch failed. */
async function sendBatch(
  deps: RequestDeps,
  operation: string,
  calls: readonly BatchCall[],
  ids: readonly number[],
  token: string,
): Promise<Attempt<Map<number, RawPart>>> {
  const boundary = `tidings_${randomBytes(12).toString('hex')}`;
  const signal = AbortSignal.timeout(deps.timeoutMs);
  const startedAt = performance.now();
  try {
    const response = await deps.fetch(`${deps.apiRoot.replace(/\/+$/, '')}/batch/gmail/v1`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/mixed; boundary=${boundary}`,
      },
      body: formatBatchRequest(calls, ids, boundary),
      signal,
    });
    const text = await response.text();
    const retryAfter = response.headers.get('retry-after');
    recordExchange(deps.metrics, operation, response.status, startedAt);
    if (response.status < 200 || response.status >= 300) {
      return {
        ok: false,
        failure: httpFailure(operation, response.status, text, retryAfter, deps.now()),
      };
    }
    const answer = boundaryOf(response.headers.get('content-type'));
    if (!answer) {
      return {
        ok: false,
        failure: { kind: 'invalid_response', operation, problem: 'not multipart' },
      };
    }
    return { ok: true, value: parseBatchResponse(text, answer, ids) };
  } catch (error) {
    recordExchange(deps.metrics, operation, signal.aborted ? 'timeout' : 'network', startedAt);
    if (signal.aborted)
      return { ok: false, failure: { kind: 'timeout', operation, timeoutMs: deps.timeoutMs } };
    return { ok: false, failure: { kind: 'network', operation, cause: error } };
  }
}

/**
 * Gmail's answer to a call past the user's concurrency limit: 429 rateLimitExceeded "Too
 * many concurrent requests for user." It says nothing is wrong with the call, only that
 * too many ran at once.
 */
export function isConcurrencyRefusal(failure: GoogleFailure): boolean {
  return (
    failure.kind === 'http' &&
    failure.status === 429 &&
    /too many concurrent requests/i.test(failure.message)
  );
}

/** Whether a request attempt (`Attempt`) ended in Gmail's concurrency refusal. */
export function isRefusedAttempt(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  const attempt = result as Partial<Attempt<unknown>>;
  return (
    attempt.ok === false && attempt.failure !== undefined && isConcurrencyRefusal(attempt.failure)
  );
}

/** What one round made of its calls (by call index). */
interface Round {
  /** Calls that got through to Gmail (answered, whatever the answer). */
  accepted: number;
  /** Refused for too many at once. */
  refused: Array<{ index: number; failure: GoogleFailure }>;
  /** Failed transiently otherwise: each counts as a failed attempt. */
  failed: Array<{ index: number; failure: GoogleFailure }>;
  /** Answered 401: sent again after a forced refresh (refused for good right after one). */
  rejected: number[];
}

/** Settles what each part answered in `results` and sorts out what to send again. */
function readRound<T>(
  deps: RequestDeps,
  schema: z.ZodType<T>,
  operation: string,
  answers: ReadonlyArray<{ ids: readonly number[]; parts: Map<number, RawPart> }>,
  results: Array<BatchResult<T> | undefined>,
  refreshed: boolean,
  calls: readonly BatchCall[],
): Round {
  const round: Round = { accepted: 0, refused: [], failed: [], rejected: [] };
  const batchOperation = operation;
  for (const { ids, parts } of answers) {
    for (const index of ids) {
      const operation = calls[index]?.operation ?? batchOperation;
      const part = parts.get(index);
      if (part) recordExchange(deps.metrics, operation, part.status);
      const failure: GoogleFailure | null = !part
        ? { kind: 'invalid_response', operation, problem: 'batch part missing' }
        : part.status >= 200 && part.status < 300
          ? null
          : httpFailure(operation, part.status, part.body, part.retryAfter, deps.now());
      if (failure !== null && isConcurrencyRefusal(failure)) {
        round.refused.push({ index, failure });
        continue;
      }
      round.accepted += 1;
      if (failure === null) results[index] = parseSuccess(schema, operation, part?.body ?? '');
      else if (failure.kind === 'http' && failure.status === 401 && !refreshed)
        round.rejected.push(index);
      else if (isRetryable(failure)) round.failed.push({ index, failure });
      else results[index] = { ok: false, failure };
    }
  }
  return round;
}

/**
 * Runs GET calls through the batch endpoint and answers each call's value, or its final
 * failure when `tolerate` accepts it for that call (a message gone since the listing, a
 * history too old to read), in call order;
 * any other final failure ends the whole at once as our error (no part of an answer).
 * A round sends as many calls as the connection's gate has room for, at most
 * `MAX_BATCH_CALLS` per batch. Parts Gmail refused for too many at once go again at once,
 * in batches no wider than what it accepted (the gate is narrowed to that); they count as
 * a failed attempt only when nothing got through (other clients of the user hold its
 * slots). Other transient failures always count, and go again after backoff (or
 * `Retry-After`). A call that failed more than `retries` times, or for good, has its
 * final failure; nothing is dropped or answered twice.
 */
export async function batchGet<T>(
  deps: RequestDeps,
  schema: z.ZodType<T>,
  operation: string,
  calls: readonly BatchCall[],
  tolerate: (failure: GoogleFailure, index: number) => boolean = () => false,
): Promise<BatchResult<T>[]> {
  const results: Array<BatchResult<T> | undefined> = new Array(calls.length);
  const attempts = new Array<number>(calls.length).fill(0);
  let pending = calls.map((_call, index) => index);
  let refreshed = false;
  let refreshes = 0;
  while (pending.length > 0) {
    const room = Math.max(1, deps.gate.capacity(deps.connectionId));
    const width = Math.min(MAX_BATCH_CALLS, room);
    const taken = pending.slice(0, Math.max(1, Math.floor(room / width)) * width);
    const chunks: number[][] = [];
    for (let i = 0; i < taken.length; i += width) chunks.push(taken.slice(i, i + width));
    let usedToken = '';
    const answers = await Promise.all(
      chunks.map((ids) =>
        withRetries(deps, (token) => {
          usedToken = token;
          return deps.gate.run(deps.connectionId, ids.length, () =>
            sendBatch(
              deps,
              'gmail.batch',
              ids.map((i) => calls[i]!),
              ids,
              token,
            ),
          );
        }).then((parts) => ({ ids, parts })),
      ),
    );
    const round: Round = readRound(
      deps,
      schema,
      operation,
      answers,
      results,
      refreshed && refreshes >= MAX_REFRESHES,
      calls,
    );
    if (round.refused.length > 0) deps.gate.narrow(deps.connectionId, round.accepted);
    const throttled = round.accepted > 0;
    const counted = throttled ? round.failed : [...round.failed, ...round.refused];
    const again = throttled ? round.refused.map((r) => r.index) : [];
    let wait: number | null = null;
    for (const { index, failure } of counted) {
      attempts[index] = (attempts[index] ?? 0) + 1;
      const delay = retryDelayMs(deps, failure, attempts[index]! - 1);
      if (delay === null) {
        results[index] = { ok: false, failure };
        continue;
      }
      again.push(index);
      wait = Math.max(wait ?? 0, delay);
    }
    // Only a part refused again in the round right after a refresh is refused for good: a
    // 401 that comes later, after other failures took their time, may only mean the token
    // ran out meanwhile (those failures use up the retries, so this ends).
    refreshed = round.rejected.length > 0;
    if (refreshed) {
      refreshes += 1;
      await deps.tokens.refreshAfterRejection(deps.connectionId, usedToken);
    }
    const fatal = results.find(
      (result, index) => result?.ok === false && !tolerate(result.failure, index),
    );
    if (fatal?.ok === false) throw translateGoogleFailure(fatal.failure);
    if (wait !== null) await deps.sleep(wait);
    pending = [...round.rejected, ...again, ...pending.slice(taken.length)].sort((a, b) => a - b);
  }
  return results as BatchResult<T>[];
}
