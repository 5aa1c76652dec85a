/**
 * Builds the Gmail + Calendar client bound to one connection. Everything it needs comes
 * in through `deps`; nothing is global, so tests pass a fake fetch, clock and sleep.
 */
import type { BackoffPolicy } from './backoff.ts';
import { createCalendarApi } from './calendar-client.ts';
import type { CalendarApi } from './calendar-client.ts';
import { createGmailApi } from './gmail-client.ts';
import type { GmailApi } from './gmail-client.ts';
import { createRequester, requestDeps } from './google-request.ts';
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
  /** Gets in flight at once when listing messages; default 10. */
  concurrency?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  backoff?: BackoffPolicy;
}

export function createGoogleApi(deps: GoogleApiDeps): GoogleApi {
  const request = createRequester(
    requestDeps({
      apiRoot: deps.apiRoot,
      tokens: deps.tokens,
      connectionId: deps.connectionId,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
      ...(deps.retries === undefined ? {} : { retries: deps.retries }),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
    }),
  );
  return {
    gmail: createGmailApi(request, deps.concurrency ?? 10),
    calendar: createCalendarApi(request),
  };
}
