import { describe, expect, it } from 'vitest';
import { TidingsError } from '../errors.ts';
import { formatBatchRequest, parseBatchResponse } from './gmail-batch.ts';
import { MAX_REFRESHES } from './google-request.ts';
import { type PartReply, googleError, harness, LIST, ok, GET } from './gmail-batch.harness.ts';

describe('listing through the batch endpoint', () => {
  it('lists, then sends every metadata get of the page in one batch request', async () => {
    const h = harness(LIST, (_round, id) => ok(id));
    const result = await h.api.gmail.listMessagesWith(
      { q: 'is:unread', maxResults: 3 },
      { format: 'metadata', metadataHeaders: ['From', 'Subject'] },
    );
    expect({ result, exchanges: h.exchanges }).toStrictEqual({
      result: {
        messages: [
          { id: 'a', threadId: 'ta' },
          { id: 'b', threadId: 'tb' },
          { id: 'c', threadId: 'tc' },
        ],
        nextPageToken: 'p2',
      },
      exchanges: [
        {
          method: 'GET',
          url: 'https://google.test/gmail/v1/users/me/messages?q=is%3Aunread&maxResults=3',
          auth: 'Bearer ya29.first',
          calls: [],
        },
        // Alongside the list: the mailbox's history id, where kept messages start from.
        {
          method: 'GET',
          url: 'https://google.test/gmail/v1/users/me/profile',
          auth: 'Bearer ya29.first',
          calls: [],
        },
        {
          method: 'POST',
          url: 'https://google.test/batch/gmail/v1',
          auth: 'Bearer ya29.first',
          calls: [GET('a'), GET('b'), GET('c')],
        },
      ],
    });
  });

  it('sends only the parts that failed transiently again, after backoff, in a smaller batch', async () => {
    const h = harness(LIST, (round, id) => {
      if (round === 0 && id === 'b')
        return { status: 429, body: googleError(429, 'rateLimitExceeded') };
      if (round === 0 && id === 'c') return { status: 503, body: googleError(503, 'backendError') };
      return ok(id);
    });
    const result = await h.api.gmail.listMessagesWith(
      {},
      { format: 'metadata', metadataHeaders: ['From', 'Subject'] },
    );
    expect({
      ids: result.messages.map((m) => m.id),
      batches: h.exchanges.filter((e) => e.method === 'POST').map((e) => e.calls),
      sleeps: h.sleeps,
    }).toStrictEqual({
      ids: ['a', 'b', 'c'],
      batches: [
        [GET('a'), GET('b'), GET('c')],
        [GET('b'), GET('c')],
      ],
      sleeps: [250],
    });
  });

  it('honours the longest Retry-After of the parts it sends again', async () => {
    const h = harness(LIST, (round, id) =>
      round === 0 && id !== 'a'
        ? {
            status: 429,
            body: googleError(429, 'rateLimitExceeded'),
            retryAfter: id === 'b' ? '2' : '3',
          }
        : ok(id),
    );
    await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    expect(h.sleeps).toStrictEqual([3000]);
  });

  it('leaves out a message deleted between the list and its get', async () => {
    const h = harness(LIST, (_round, id) =>
      id === 'b' ? { status: 404, body: googleError(404, 'notFound') } : ok(id),
    );
    const result = await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    expect(result.messages.map((m) => m.id)).toStrictEqual(['a', 'c']);
  });

  it('refreshes once when parts answer 401 and sends them again with the new token', async () => {
    const h = harness(LIST, (round, id) =>
      round === 0 && id === 'c' ? { status: 401, body: googleError(401, 'authError') } : ok(id),
    );
    const result = await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    expect({
      ids: result.messages.map((m) => m.id),
      refreshes: h.refreshes,
      auth: h.exchanges.map((e) => e.auth),
      sleeps: h.sleeps,
    }).toStrictEqual({
      ids: ['a', 'b', 'c'],
      refreshes: ['ya29.first'],
      auth: ['Bearer ya29.first', 'Bearer ya29.first', 'Bearer ya29.second'],
      sleeps: [],
    });
  });

  it('refreshes again when a 401 comes after other failures took their time', async () => {
    const replies: Record<number, PartReply> = {
      0: { status: 401, body: googleError(401, 'authError') },
      1: { status: 503, body: googleError(503, 'backendError') },
      2: { status: 401, body: googleError(401, 'authError') },
    };
    const h = harness(LIST, (round, id) => (id === 'c' && replies[round]) || ok(id));
    const result = await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    expect({
      ids: result.messages.map((m) => m.id),
      refreshes: h.refreshes.length,
    }).toStrictEqual({ ids: ['a', 'b', 'c'], refreshes: 2 });
  });

  it('asks for reauthorisation when the part is still refused right after its last refresh', async () => {
    const h = harness(LIST, (_round, id) =>
      id === 'c' ? { status: 401, body: googleError(401, 'authError') } : ok(id),
    );
    const error = await h.api.gmail.listMessagesWith({}, { format: 'minimal' }).catch((e) => e);
    expect([error instanceof TidingsError ? error.code : error, h.refreshes.length]).toStrictEqual([
      'reauth_required',
      MAX_REFRESHES,
    ]);
  });

  it('fails the listing with the mapped code when a part keeps failing', async () => {
    const h = harness(LIST, (_round, id) =>
      id === 'a' ? { status: 503, body: googleError(503, 'backendError') } : ok(id),
    );
    const error = await h.api.gmail.listMessagesWith({}, { format: 'minimal' }).catch((e) => e);
    expect([
      error instanceof TidingsError ? error.code : error,
      (error as Error).message,
      h.exchanges.filter((e) => e.method === 'POST').length,
    ]).toStrictEqual([
      'provider_unavailable',
      'Google answered 503 (backendError) to gmail.messages.get',
      3,
    ]);
  });

  it('sends no batch for an empty page', async () => {
    const h = harness({ resultSizeEstimate: 0 }, (_round, id) => ok(id));
    const result = await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    expect([result, h.exchanges.length]).toStrictEqual([
      { messages: [], resultSizeEstimate: 0 },
      1,
    ]);
  });
});

/** Gmail's answer to a call past the user's concurrency limit. */

describe('batch wire format', () => {
  it('writes one application/http part per call and reads answers by Content-ID', () => {
    const body = formatBatchRequest(
      [{ path: '/gmail/v1/users/me/messages/a', query: { format: 'minimal' } }],
      [7],
      'B',
    );
    const answer =
      '--Z\r\nContent-Type: application/http\r\nContent-ID: <response-item-7>\r\n\r\n' +
      'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 5\r\n\r\n{"error":{}}\r\n--Z--\r\n';
    expect([body, Object.fromEntries(parseBatchResponse(answer, 'Z', [7]))]).toStrictEqual([
      '--B\r\nContent-Type: application/http\r\nContent-ID: <item-7>\r\n\r\n' +
        'GET /gmail/v1/users/me/messages/a?format=minimal HTTP/1.1\r\n\r\n--B--\r\n',
      { 7: { status: 429, retryAfter: '5', body: '{"error":{}}' } },
    ]);
  });
});
