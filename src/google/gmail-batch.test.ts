import { describe, expect, it } from 'vitest';
import { TidingsError } from '../errors.ts';
import { createConnectionGate, NARROWED_FOR_MS } from './connection-gate.ts';
import type { ConnectionGate } from './connection-gate.ts';
import { createGoogleApi } from './google-api.ts';
import { formatBatchRequest, parseBatchResponse } from './gmail-batch.ts';
import { MAX_REFRESHES } from './google-request.ts';
import type { TokenSource } from './token-source.ts';

/** What the fake batch endpoint answers for one inner call: status and JSON body. */
type PartReply = { status: number; body: unknown; retryAfter?: string };

interface Exchange {
  method: string;
  url: string;
  auth: string | null;
  /** Inner request lines of a batch. */
  calls: string[];
}

function innerCalls(body: string, boundary: string): string[] {
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => /\r\n\r\n(GET [^\r\n]+)/.exec(part)?.[1] ?? '?');
}

function multipart(parts: Array<[string, PartReply]>, boundary: string): string {
  let out = '';
  for (const [id, reply] of parts) {
    out +=
      `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <response-${id}>\r\n\r\n` +
      `HTTP/1.1 ${reply.status} X\r\nContent-Type: application/json\r\n` +
      (reply.retryAfter ? `Retry-After: ${reply.retryAfter}\r\n` : '') +
      `\r\n${JSON.stringify(reply.body)}\r\n`;
  }
  return `${out}--${boundary}--\r\n`;
}

function googleError(code: number, reason: string) {
  return { error: { code, message: reason, errors: [{ reason }], status: 'X' } };
}

/**
 * A fake Google: `list` answers messages.list; `parts(round, id)` answers each inner call
 * of batch number `round` (0-based) by the message id it asks for.
 */
function harness(
  list: unknown,
  parts: (round: number, id: string, position: number) => PartReply,
  options: { gate?: ConnectionGate } = {},
) {
  const exchanges: Exchange[] = [];
  const sleeps: number[] = [];
  const refreshes: string[] = [];
  let token = 'ya29.first';
  const tokens: TokenSource = {
    accessToken: async () => token,
    async refreshAfterRejection(_id, rejected) {
      refreshes.push(rejected);
      token = 'ya29.second';
      return token;
    },
  };
  let rounds = 0;
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    const type = headers.get('content-type') ?? '';
    const boundary = /boundary=(\S+)/.exec(type)?.[1] ?? '';
    const calls = init?.method === 'POST' ? innerCalls(String(init.body), boundary) : [];
    exchanges.push({
      method: init?.method ?? 'GET',
      url,
      auth: headers.get('authorization'),
      calls,
    });
    if (init?.method !== 'POST') return Response.json(list);
    const round = rounds++;
    const ids = String(init.body)
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((part) => /Content-ID: <([^>]+)>/.exec(part)?.[1] ?? '');
    const answer = calls.map((line, i): [string, PartReply] => {
      const id = /messages\/([^?/ ]+)/.exec(line)?.[1] ?? '';
      return [ids[i] ?? '', parts(round, id, i)];
    });
    return new Response(multipart(answer, 'batch_x'), {
      headers: { 'content-type': 'multipart/mixed; boundary=batch_x' },
    });
  }) as typeof fetch;
  const api = createGoogleApi({
    apiRoot: 'https://google.test',
    tokens,
    connectionId: 'c1',
    fetch: fakeFetch,
    random: () => 0.5,
    retries: 2,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => new Date('2026-11-25T10:00:00Z'),
    ...(options.gate ? { gate: options.gate } : {}),
  });
  return { api, exchanges, sleeps, refreshes };
}

const LIST = {
  messages: [
    { id: 'a', threadId: 'ta' },
    { id: 'b', threadId: 'tb' },
    { id: 'c', threadId: 'tc' },
  ],
  nextPageToken: 'p2',
};
const ok = (id: string): PartReply => ({ status: 200, body: { id, threadId: `t${id}` } });
const GET = (id: string) =>
  `GET /gmail/v1/users/me/messages/${id}?format=metadata&metadataHeaders=From&metadataHeaders=Subject HTTP/1.1`;

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
const TOO_MANY: PartReply = {
  status: 429,
  body: {
    error: {
      code: 429,
      message: 'Too many concurrent requests for user.',
      errors: [
        {
          message: 'Too many concurrent requests for user.',
          domain: 'global',
          reason: 'rateLimitExceeded',
        },
      ],
      status: 'RESOURCE_EXHAUSTED',
    },
  },
};

function listOf(count: number) {
  const ids = Array.from({ length: count }, (_, i) => `m${String(i).padStart(2, '0')}`);
  return { ids, list: { messages: ids.map((id) => ({ id, threadId: `t${id}` })) } };
}

/** The message ids each batch asked for, batch by batch. */
function batchIds(exchanges: Exchange[]): string[][] {
  return exchanges
    .filter((e) => e.method === 'POST')
    .map((e) => e.calls.map((line) => /messages\/([^?/ ]+)/.exec(line)?.[1] ?? '?'));
}

describe("under Gmail's concurrency limit", () => {
  it('sends at most ten gets per batch, one batch after another', async () => {
    const { ids, list } = listOf(25);
    const h = harness(list, (_round, id) => ok(id));
    const result = await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    expect({
      ids: result.messages.map((m) => m.id),
      batches: batchIds(h.exchanges),
    }).toStrictEqual({ ids, batches: [ids.slice(0, 10), ids.slice(10, 20), ids.slice(20)] });
  });

  it('sends the parts refused for too many at once again at once, in batches as wide as Gmail took', async () => {
    const { ids, list } = listOf(10);
    // Gmail takes three calls of a batch at once and refuses the rest.
    const h = harness(list, (_round, id, position) => (position < 3 ? ok(id) : TOO_MANY));
    const result = await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    expect({
      ids: result.messages.map((m) => m.id),
      batches: batchIds(h.exchanges),
      sleeps: h.sleeps,
    }).toStrictEqual({
      ids,
      batches: [ids, ids.slice(3, 6), ids.slice(6, 9), ids.slice(9)],
      sleeps: [],
    });
  });

  it("keeps the connection's Gmail calls that narrow for a minute after the last refusal", async () => {
    let clock = Date.parse('2026-11-25T10:00:00Z');
    const gate = createConnectionGate(50, () => clock);
    const { ids, list } = listOf(10);
    let refusing = true;
    const h = harness(
      list,
      (_round, id, position) => (refusing && position >= 4 ? TOO_MANY : ok(id)),
      { gate },
    );
    await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    refusing = false;
    const widths = async () => {
      const before = batchIds(h.exchanges).length;
      await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
      return batchIds(h.exchanges)
        .slice(before)
        .map((batch) => batch.length);
    };
    const soon = await widths();
    clock += NARROWED_FOR_MS;
    const later = await widths();
    expect({ soon, later, all: ids.length }).toStrictEqual({
      soon: [4, 4, 2],
      later: [10],
      all: 10,
    });
  });

  it('counts refusals as failed attempts when nothing got through, and ends in provider_rate_limited', async () => {
    const h = harness(LIST, () => TOO_MANY);
    const error = await h.api.gmail.listMessagesWith({}, { format: 'minimal' }).catch((e) => e);
    expect({
      code: error instanceof TidingsError ? error.code : error,
      message: (error as Error).message,
      batches: batchIds(h.exchanges),
      sleeps: h.sleeps,
    }).toStrictEqual({
      code: 'provider_rate_limited',
      message: 'Google answered 429 (rateLimitExceeded) to gmail.messages.get',
      // Retries 2: three attempts of the first message, one call at a time after the first.
      batches: [['a', 'b', 'c'], ['a'], ['a']],
      sleeps: [250, 500],
    });
  });

  it('narrows parallel gets refused for too many at once until Gmail takes them all', async () => {
    const gate = createConnectionGate(50);
    let inFlight = 0;
    let peakAfterRefusals = 0;
    let refused = 0;
    const fakeFetch = (async () => {
      inFlight += 1;
      try {
        if (inFlight > 3) {
          refused += 1;
          return Response.json(TOO_MANY.body, { status: 429 });
        }
        if (refused > 0) peakAfterRefusals = Math.max(peakAfterRefusals, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        return Response.json({ id: 'm', threadId: 't' });
      } finally {
        inFlight -= 1;
      }
    }) as typeof fetch;
    const api = createGoogleApi({
      apiRoot: 'https://google.test',
      tokens: { accessToken: async () => 'ya29.t', refreshAfterRejection: async () => 'ya29.t' },
      connectionId: 'c1',
      fetch: fakeFetch,
      gate,
      random: () => 0.5,
      // A backoff lets the calls in flight go on, as real time would.
      sleep: () => new Promise((resolve) => setImmediate(resolve)),
    });
    const got = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.gmail.getMessage(`m${i}`, { format: 'minimal' })),
    );
    expect({
      got: got.length,
      refused,
      peakAfterRefusals,
      capacity: gate.lane('gmail', 10).capacity('c1'),
    }).toStrictEqual({ got: 8, refused: 5, peakAfterRefusals: 3, capacity: 3 });
  });
});

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

describe('the connection gate', () => {
  it('holds calls back while a connection has no room, first come first served', async () => {
    const gate = createConnectionGate(3);
    const log: string[] = [];
    const releases: Array<() => void> = [];
    const job = (name: string, weight: number, connection = 'c1') =>
      gate.run(connection, weight, async () => {
        log.push(`start ${name}`);
        await new Promise<void>((resolve) => releases.push(resolve));
        log.push(`end ${name}`);
      });
    const running = [job('a', 2), job('b', 2), job('c', 1), job('other', 3, 'c2')];
    await Promise.resolve();
    const first = [...log];
    const inFlight = [gate.inFlight('c1'), gate.inFlight('c2')];
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(running);
    expect({ first, inFlight, log, after: gate.inFlight('c1') }).toStrictEqual({
      first: ['start a', 'start other'],
      inFlight: [2, 3],
      log: ['start a', 'start other', 'end a', 'start b', 'start c', 'end other', 'end b', 'end c'],
      after: 0,
    });
  });
});
