import { describe, expect, it } from 'vitest';
import { TidingsError } from '../errors.ts';
import { parseRetryAfter } from './backoff.ts';
import { createGoogleApi } from './google-api.ts';
import { MAX_REFRESHES } from './google-request.ts';
import type { TokenSource } from './token-source.ts';

type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'network'
  | 'hang';

interface Harness {
  calls: { url: string; auth: string | null }[];
  sleeps: number[];
  refreshes: string[];
  api: ReturnType<typeof createGoogleApi>;
}

function harness(
  replies: Reply[],
  options: { timeoutMs?: number; retries?: number } = {},
): Harness {
  const calls: Harness['calls'] = [];
  const sleeps: number[] = [];
  const refreshes: string[] = [];
  const tokens: TokenSource = {
    accessToken: async () => 'ya29.first',
    refreshAfterRejection: async (_id, rejected) => {
      refreshes.push(rejected);
      return 'ya29.second';
    },
  };
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({ url: String(input), auth: headers.get('authorization') });
    const reply = replies.shift() ?? { status: 200, body: {} };
    if (reply === 'network') throw new TypeError('fetch failed');
    if (reply === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    return new Response(JSON.stringify(reply.body ?? {}), {
      status: reply.status,
      headers: { 'content-type': 'application/json', ...reply.headers },
    });
  }) as typeof fetch;
  const api = createGoogleApi({
    apiRoot: 'https://google.test',
    tokens,
    connectionId: 'c1',
    fetch: fakeFetch,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => new Date('2026-11-25T10:00:00Z'),
    ...options,
  });
  return { calls, sleeps, refreshes, api };
}

function googleError(code: number, reason: string, message = 'Something') {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status: 'X' } };
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TidingsError)
      return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a failure');
}

const label = { id: 'INBOX', name: 'INBOX', messagesUnread: 3 };

describe('request core', () => {
  it('sends the bearer token to the Gmail path and validates the answer', async () => {
    const h = harness([{ status: 200, body: { ...label, extra: true } }]);
    expect(await h.api.gmail.getLabel('INBOX')).toStrictEqual(label);
    expect(h.calls).toStrictEqual([
      { url: 'https://google.test/gmail/v1/users/me/labels/INBOX', auth: 'Bearer ya29.first' },
    ]);
  });

  it('refreshes once after a 401 and retries with the new token', async () => {
    const h = harness([
      { status: 401, body: googleError(401, 'authError') },
      { status: 200, body: label },
    ]);
    expect(await h.api.gmail.getLabel('INBOX')).toStrictEqual(label);
    expect({
      refreshes: h.refreshes,
      auth: h.calls.map((c) => c.auth),
      sleeps: h.sleeps,
    }).toStrictEqual({
      refreshes: ['ya29.first'],
      auth: ['Bearer ya29.first', 'Bearer ya29.second'],
      sleeps: [],
    });
  });

  it('gives reauth_required when the refreshed token is refused too, refresh after refresh', async () => {
    const refused = { status: 401, body: googleError(401, 'authError') };
    const h = harness(Array.from({ length: MAX_REFRESHES + 1 }, () => refused));
    expect(await failure(h.api.gmail.getLabel('INBOX'))).toStrictEqual({
      code: 'reauth_required',
      message:
        'Google answered 401 (authError) to gmail.labels.get; the refreshed token was refused too',
      details: { reason: 'revoked' },
    });
    expect(h.refreshes.length).toBe(MAX_REFRESHES);
  });

  it('retries 503 with full-jitter exponential backoff and then succeeds', async () => {
    const h = harness([
      { status: 503 },
      { status: 502 },
      { status: 500 },
      { status: 200, body: label },
    ]);
    expect(await h.api.gmail.getLabel('INBOX')).toStrictEqual(label);
    expect(h.sleeps).toStrictEqual([250, 500, 1000]);
  });

  it('honours Retry-After in seconds on 429', async () => {
    const h = harness([
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 200, body: label },
    ]);
    await h.api.gmail.getLabel('INBOX');
    expect(h.sleeps).toStrictEqual([7000]);
  });

  it('retries 403 userRateLimitExceeded and reports provider_rate_limited when exhausted', async () => {
    const limited = {
      status: 403,
      body: googleError(403, 'userRateLimitExceeded'),
      headers: { 'retry-after': '2' },
    };
    const h = harness([limited, limited, limited, limited]);
    expect(await failure(h.api.gmail.getLabel('INBOX'))).toStrictEqual({
      code: 'provider_rate_limited',
      message: 'Google answered 403 (userRateLimitExceeded) to gmail.labels.get',
      details: { retryAfterSeconds: 2 },
    });
    expect(h.sleeps).toStrictEqual([2000, 2000, 2000]);
  });

  it('does not wait for a Retry-After beyond the cap', async () => {
    const h = harness([{ status: 429, headers: { 'retry-after': '3600' } }]);
    expect(await failure(h.api.gmail.getLabel('INBOX'))).toStrictEqual({
      code: 'provider_rate_limited',
      message: 'Google answered 429 to gmail.labels.get',
      details: { retryAfterSeconds: 3600 },
    });
    expect(h.calls.length).toBe(1);
  });

  it('maps 403 insufficientPermissions to scope_missing with the needed scopes', async () => {
    const h = harness([{ status: 403, body: googleError(403, 'insufficientPermissions') }]);
    expect(await failure(h.api.calendar.getTimeZone())).toStrictEqual({
      code: 'scope_missing',
      message: 'Google answered 403 (insufficientPermissions) to calendar.settings.get',
      details: {
        scopes: [
          'https://www.googleapis.com/auth/calendar.readonly',
          'https://www.googleapis.com/auth/calendar.events.readonly',
          'https://www.googleapis.com/auth/calendar',
        ],
      },
    });
  });

  it('maps 404 to not_found without retrying', async () => {
    const h = harness([
      { status: 404, body: googleError(404, 'notFound', 'Requested entity was not found.') },
    ]);
    expect(await failure(h.api.gmail.getMessage('abc', { format: 'full' }))).toStrictEqual({
      code: 'not_found',
      message: 'Google answered 404 (notFound) to gmail.messages.get',
      details: {},
    });
    expect(h.calls.length).toBe(1);
  });

  it('maps 400 to invalid_request with Google message', async () => {
    const h = harness([{ status: 400, body: googleError(400, 'badRequest', 'Invalid timeMin.') }]);
    expect(
      await failure(h.api.calendar.listEvents('primary', { timeMin: 'x', timeMax: 'y' })),
    ).toStrictEqual({
      code: 'invalid_request',
      message: 'Google answered 400 (badRequest) to calendar.events.list: Invalid timeMin.',
      details: {},
    });
  });

  it('maps exhausted 5xx to provider_unavailable', async () => {
    const h = harness([{ status: 503 }, { status: 503 }], { retries: 1 });
    expect(await failure(h.api.gmail.listLabels())).toStrictEqual({
      code: 'provider_unavailable',
      message: 'Google answered 503 to gmail.labels.list',
      details: {},
    });
  });

  it('maps network errors to provider_unavailable after retries', async () => {
    const h = harness(['network', 'network'], { retries: 1 });
    expect(await failure(h.api.gmail.listLabels())).toStrictEqual({
      code: 'provider_unavailable',
      message: 'Google could not be reached (gmail.labels.list)',
      details: {},
    });
    expect(h.sleeps).toStrictEqual([250]);
  });

  it('aborts a request that exceeds the timeout and reports provider_unavailable', async () => {
    const h = harness(['hang'], { timeoutMs: 20, retries: 0 });
    expect(await failure(h.api.gmail.listLabels())).toStrictEqual({
      code: 'provider_unavailable',
      message: 'Google did not answer within 20 ms (gmail.labels.list)',
      details: {},
    });
  });

  it('reports an answer of the wrong shape as provider_unavailable', async () => {
    const h = harness([{ status: 200, body: { id: 5 } }]);
    expect(await failure(h.api.gmail.getLabel('INBOX'))).toStrictEqual({
      code: 'provider_unavailable',
      message:
        'Google answered gmail.labels.get with an unexpected shape: id: Invalid input: expected string, received number',
      details: {},
    });
  });

  it('never puts the token into an error message', async () => {
    const h = harness([{ status: 400, body: googleError(400, 'badRequest', 'bad') }]);
    const result = await failure(h.api.gmail.getLabel('INBOX'));
    expect(JSON.stringify(result).includes('ya29')).toBe(false);
  });
});

describe('listing', () => {
  it('follows event pages with singleEvents and startTime order', async () => {
    const h = harness([
      { status: 200, body: { items: [{ id: 'e1' }], nextPageToken: 'n' } },
      { status: 200, body: { items: [{ id: 'e2' }] } },
    ]);
    const events = await h.api.calendar.listEvents('a@b.c', {
      timeMin: '2026-11-25T00:00:00Z',
      timeMax: '2026-11-26T00:00:00Z',
    });
    expect(events).toStrictEqual([{ id: 'e1' }, { id: 'e2' }]);
    expect(h.calls[1]?.url).toBe(
      'https://google.test/calendar/v3/calendars/a%40b.c/events?timeMin=2026-11-25T00%3A00%3A00Z&timeMax=2026-11-26T00%3A00%3A00Z&singleEvents=true&orderBy=startTime&maxResults=250&pageToken=n',
    );
  });
});

describe('Retry-After parsing', () => {
  it('reads seconds and HTTP dates', () => {
    const now = new Date('2026-11-25T10:00:00Z');
    expect([
      parseRetryAfter('12', now),
      parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now),
      parseRetryAfter('soon', now),
      parseRetryAfter(null, now),
    ]).toStrictEqual([12, 30, null, null]);
  });
});
