import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../context.ts';
import { createFakeContext, type FakeContext } from './fake-context.harness.ts';
import { registerGmailRoutes } from './routes.ts';
import { createGmailStore } from './store.ts';

const user = { email: 'alex@example.com', sub: '1', name: 'Alex', timeZone: 'UTC' };
let app: FastifyInstance;
let base: string;
let ctx: FakeContext;
let id: string;

beforeAll(async () => {
  const store = createGmailStore();
  id = store.importMessage(
    user.email,
    Buffer.from(
      'From: a@b.example\r\nSubject: Hi\r\nDate: Mon, 2 Mar 2026 09:00:00 +0000\r\n\r\nHi',
    ),
    ['INBOX'],
  ).id;
  ctx = createFakeContext(
    { 'token-alex': { user, scopes: [SCOPES.gmailReadonly] } },
    new Date('2026-03-07T12:00:00Z'),
  );
  app = Fastify();
  registerGmailRoutes(app, ctx, store);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
});

function batchBody(boundary: string, requests: { id?: string; line: string; extra?: string }[]) {
  return `${requests
    .map(
      (request) =>
        `--${boundary}\r\nContent-Type: application/http\r\n` +
        (request.id ? `Content-ID: <${request.id}>\r\n` : '') +
        `\r\n${request.line}\r\n${request.extra ?? ''}\r\n`,
    )
    .join('')}--${boundary}--\r\n`;
}

async function postBatch(body: string, token = 'token-alex') {
  const response = await fetch(`${base}/batch/gmail/v1`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'multipart/mixed; boundary=batch_foobarbaz',
    },
    body,
  });
  return { response, text: await response.text() };
}

/** Splits a multipart/mixed batch answer into [Content-ID, status line, JSON body]. */
function readAnswer(contentType: string, text: string): [string, string, unknown][] {
  const boundary = /boundary=(\S+)/.exec(contentType)![1]!;
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const split = part.indexOf('\r\n\r\n');
      const partHead = part.slice(0, split);
      const rest = part.slice(split + 4);
      const statusLine = rest.split('\r\n')[0]!;
      const json = rest.slice(rest.indexOf('\r\n\r\n') + 4).trim();
      const contentId = /Content-ID: (.*)/.exec(partHead)?.[1] ?? '';
      return [contentId, statusLine, JSON.parse(json)];
    });
}

describe('POST /batch/gmail/v1', () => {
  it('answers each call in order with its own status and Content-ID', async () => {
    const before = ctx.quota.get(user.email) ?? 0;
    const { response, text } = await postBatch(
      batchBody('batch_foobarbaz', [
        {
          id: 'item1:12930812@barnyard.example.com',
          line: `GET /gmail/v1/users/me/messages/${id}?format=minimal HTTP/1.1`,
        },
        {
          id: 'item2',
          line: 'GET https://gmail.googleapis.com/gmail/v1/users/me/messages/00000000000000ff',
        },
        {
          id: 'item3',
          line: 'GET /gmail/v1/users/me/labels/INBOX',
          extra: 'Authorization: Bearer nope\r\n',
        },
      ]),
    );
    expect(response.status).toBe(200);
    const contentType = response.headers.get('content-type')!;
    expect(contentType).toMatch(/^multipart\/mixed; boundary=batch_[\w-]+$/);
    const answers = readAnswer(contentType, text);
    expect(answers.map(([contentId, status]) => [contentId, status])).toStrictEqual([
      ['<response-item1:12930812@barnyard.example.com>', 'HTTP/1.1 200 OK'],
      ['<response-item2>', 'HTTP/1.1 404 Not Found'],
      ['<response-item3>', 'HTTP/1.1 401 Unauthorized'],
    ]);
    expect(answers[0]![2]).toStrictEqual({
      id,
      threadId: id,
      labelIds: ['INBOX'],
      snippet: 'Hi',
      sizeEstimate: 74,
      historyId: '1000001',
      internalDate: String(Date.parse('2026-03-02T09:00:00Z')),
    });
    expect(answers[1]![2]).toStrictEqual({
      error: {
        code: 404,
        message: 'Requested entity was not found.',
        errors: [
          { message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' },
        ],
        status: 'NOT_FOUND',
      },
    });
    expect((ctx.quota.get(user.email) ?? 0) - before).toBe(10);
  });

  it('refuses more than 100 calls', async () => {
    const calls = Array.from({ length: 101 }, (_, i) => ({
      id: `c${i}`,
      line: 'GET /gmail/v1/users/me/profile',
    }));
    const { response, text } = await postBatch(batchBody('batch_foobarbaz', calls));
    expect(response.status).toBe(400);
    const message = 'Exceeded the maximum calls(100) in a single batch request.';
    expect(JSON.parse(text)).toStrictEqual({
      error: {
        code: 400,
        message,
        errors: [{ message, domain: 'global', reason: 'badRequest' }],
        status: 'INVALID_ARGUMENT',
      },
    });
  });
});
