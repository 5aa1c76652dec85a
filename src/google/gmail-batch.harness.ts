/**
 * Gmail listings through a scripted batch endpoint: a Google API over a fake fetch that
 * answers the list and each batch part as the test says, records every exchange, and
 * the helpers that build multipart answers and read back what each batch asked for.
 */
import type { ConnectionGate } from './connection-gate.ts';
import { createGoogleApi } from './google-api.ts';
import type { TokenSource } from './token-source.ts';

/** What the fake batch endpoint answers for one inner call: status and JSON body. */
export type PartReply = { status: number; body: unknown; retryAfter?: string };

export interface Exchange {
  method: string;
  url: string;
  auth: string | null;
  /** Inner request lines of a batch. */
  calls: string[];
}

export function innerCalls(body: string, boundary: string): string[] {
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => /\r\n\r\n(GET [^\r\n]+)/.exec(part)?.[1] ?? '?');
}

export function multipart(parts: Array<[string, PartReply]>, boundary: string): string {
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

export function googleError(code: number, reason: string) {
  return { error: { code, message: reason, errors: [{ reason }], status: 'X' } };
}

/**
 * A fake Google: `list` answers messages.list; `parts(round, id)` answers each inner call
 * of batch number `round` (0-based) by the message id it asks for.
 */
export function harness(
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

export const LIST = {
  messages: [
    { id: 'a', threadId: 'ta' },
    { id: 'b', threadId: 'tb' },
    { id: 'c', threadId: 'tc' },
  ],
  nextPageToken: 'p2',
};
export const ok = (id: string): PartReply => ({ status: 200, body: { id, threadId: `t${id}` } });
export const GET = (id: string) =>
  `GET /gmail/v1/users/me/messages/${id}?format=metadata&metadataHeaders=From&metadataHeaders=Subject HTTP/1.1`;

export const TOO_MANY: PartReply = {
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

export function listOf(count: number) {
  const ids = Array.from({ length: count }, (_, i) => `m${String(i).padStart(2, '0')}`);
  return { ids, list: { messages: ids.map((id) => ({ id, threadId: `t${id}` })) } };
}

/** The message ids each batch asked for, batch by batch. */
export function batchIds(exchanges: Exchange[]): string[][] {
  return exchanges
    .filter((e) => e.method === 'POST')
    .map((e) => e.calls.map((line) => /messages\/([^?/ ]+)/.exec(line)?.[1] ?? '?'));
}
