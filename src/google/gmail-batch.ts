/**
 * Gmail's batch endpoint (`POST {root}/batch/gmail/v1`, `multipart/mixed`): many GET calls
 * in one HTTP round trip. Each inner call still costs its own quota and can fail on its
 * own, so every part is mapped to a value or a failure; parts that failed transiently
 * (429, 5xx, a rate-limit 403) are sent again in a smaller batch after backoff, parts
 * refused with 401 once more after one forced refresh, the rest are final. The outer
 * request runs through the same retry loop as every other call, and holds one permit of
 * the connection's gate per inner call.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { GoogleFailure } from './google-failure.ts';
import {
  buildUrl,
  httpFailure,
  parseSuccess,
  retryDelayMs,
  withRetries,
} from './google-request.ts';
import type { Attempt, QueryValue, RequestDeps } from './google-request.ts';

/** Google: up to 100 calls per batch, more than 50 discouraged. */
export const MAX_BATCH_CALLS = 50;

export interface BatchCall {
  /** Path below the API root, starting with `/gmail/v1/`. */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
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
    if (signal.aborted)
      return { ok: false, failure: { kind: 'timeout', operation, timeoutMs: deps.timeoutMs } };
    return { ok: false, failure: { kind: 'network', operation, cause: error } };
  }
}

/**
 * Runs GET calls through the batch endpoint, at most `MAX_BATCH_CALLS` per batch (the
 * batches of one round go out together), and answers each call's value or final failure
 * in call order.
 */
export async function batchGet<T>(
  deps: RequestDeps,
  schema: z.ZodType<T>,
  operation: string,
  calls: readonly BatchCall[],
): Promise<BatchResult<T>[]> {
  const results: Array<BatchResult<T> | undefined> = new Array(calls.length);
  let pending = calls.map((_call, index) => index);
  let refreshed = false;
  for (let round = 0; pending.length > 0; round++) {
    const chunks: number[][] = [];
    for (let i = 0; i < pending.length; i += MAX_BATCH_CALLS)
      chunks.push(pending.slice(i, i + MAX_BATCH_CALLS));
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
    const again: number[] = [];
    const rejected: number[] = [];
    let wait = 0;
    for (const { ids, parts } of answers) {
      for (const index of ids) {
        const part = parts.get(index);
        const failure: GoogleFailure | null = !part
          ? { kind: 'invalid_response', operation, problem: 'batch part missing' }
          : part.status >= 200 && part.status < 300
            ? null
            : httpFailure(operation, part.status, part.body, part.retryAfter, deps.now());
        if (part && failure === null) {
          results[index] = parseSuccess(schema, operation, part.body);
          continue;
        }
        if (failure?.kind === 'http' && failure.status === 401 && !refreshed) {
          rejected.push(index);
          continue;
        }
        const delay = failure ? retryDelayMs(deps, failure, round) : null;
        if (failure && delay !== null) {
          again.push(index);
          wait = Math.max(wait, delay);
          continue;
        }
        results[index] = { ok: false, failure: failure! };
      }
    }
    if (rejected.length > 0) {
      refreshed = true;
      await deps.tokens.refreshAfterRejection(deps.connectionId, usedToken);
    }
    if (again.length > 0) await deps.sleep(wait);
    pending = [...rejected, ...again].sort((a, b) => a - b);
  }
  return results as BatchResult<T>[];
}
