/**
 * Builds the Gmail + Calendar client bound to one connection. Everything it needs comes
 * in through `deps`; nothing is global, so tests pass a fake fetch, clock and sleep. The
 * gate (calls in flight per connection) and the memo (profile, time zone) outlive one
 * client: the composition root builds them once and hands the same ones to every client,
 * or each client gets its own.
 */
import type { BackoffPolicy } from './backoff.ts';
import { createCalendarApi } from './calendar-client.ts';
import type { CalendarApi } from './calendar-client.ts';
import type { ConnectionGate } from './connection-gate.ts';
import { createConnectionMemo } from './connection-memo.ts';
import type { ConnectionMemo } from './connection-memo.ts';
import { createGmailApi } from './gmail-client.ts';
import type { GmailApi } from './gmail-client.ts';
import { createRequester, type GoogleMetrics, requestDeps } from './google-request.ts';
import type { TokenSource } from './token-source.ts';

export interface GoogleApi {
  gmail: GmailApi;
  calendar: CalendarApi;
}

export interface GoogleApiDeps {
  /** Like `https://www.googleapis.com` (no trailing slash needed). */
  apiRoot: string;
  tokens: TokenSource;
  connectionId: string;
  fetch?: typeof fetch;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt for transient answers; default 3. */
  retries?: number;
  /** Bounds Google calls in flight per connection; default: 50, this client's own. */
  gate?: ConnectionGate;
  /** Keeps the profile and time zone per connection; default: this client's own. */
  memo?: ConnectionMemo;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  backoff?: BackoffPolicy;
  /** Where every exchange with Google is counted and timed. */
  metrics?: GoogleMetrics;
}

/**
 * The broker's token asked once per client (one client serves one capability run), not
 * once per Google call: each ask is a database read and a decryption. A 401 still goes
 * to the broker, and the refreshed token is the one used from then on.
 */
export function tokenOncePerClient(tokens: TokenSource): TokenSource {
  let current: Promise<string> | null = null;
  return {
    accessToken(connectionId) {
      if (current === null) {
        const asked = tokens.accessToken(connectionId);
        current = asked;
        asked.catch(() => {
          if (current === asked) current = null;
        });
      }
      return current;
    },
    async refreshAfterRejection(connectionId, rejected) {
      const fresh = tokens.refreshAfterRejection(connectionId, rejected);
      current = fresh;
      fresh.catch(() => {
        if (current === fresh) current = null;
      });
      return fresh;
    },
  };
}

export function createGoogleApi(deps: GoogleApiDeps): GoogleApi {
  const resolved = requestDeps({
    apiRoot: deps.apiRoot,
    tokens: tokenOncePerClient(deps.tokens),
    connectionId: deps.connectionId,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    ...(deps.retries === undefined ? {} : { retries: deps.retries }),
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    ...(deps.gate ? { gate: deps.gate } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  const request = createRequester(resolved);
  const memo = deps.memo ?? createConnectionMemo(resolved.now);
  return {
    gmail: createGmailApi(resolved, memo),
    calendar: createCalendarApi(request, deps.connectionId, memo),
  };
}
