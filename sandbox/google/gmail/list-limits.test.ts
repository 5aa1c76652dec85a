import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../context.ts';
import { createFakeContext } from './fake-context.harness.ts';
import { registerGmailRoutes } from './routes.ts';
import { createGmailStore } from './store.ts';
import { alex, NOW } from './gmail-app.harness.ts';

const app = Fastify();
let base = '';
beforeAll(async () => {
  const store = createGmailStore();
  for (let i = 0; i < 520; i += 1) {
    const date = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000).toUTCString();
    store.importMessage(
      alex.email,
      Buffer.from(`From: n${i}@example.org\r\nSubject: Note ${i}\r\nDate: ${date}\r\n\r\nNote`),
      ['INBOX'],
    );
  }
  registerGmailRoutes(
    app,
    createFakeContext({ token: { user: alex, scopes: [SCOPES.gmailReadonly] } }, NOW),
    store,
  );
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
});

async function page(path: string) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: 'Bearer token' } });
  const body = (await response.json()) as {
    messages?: unknown[];
    threads?: unknown[];
    nextPageToken?: string;
    resultSizeEstimate: number;
  };
  return [
    (body.messages ?? body.threads)?.length,
    typeof body.nextPageToken,
    body.resultSizeEstimate,
  ];
}

describe('list page sizes', () => {
  it('gives 100 messages or threads a page by default and never more than 500, as Gmail does', async () => {
    expect([
      await page('/gmail/v1/users/me/messages'),
      await page('/gmail/v1/users/me/messages?maxResults=500'),
      await page('/gmail/v1/users/me/messages?maxResults=1000'),
      await page('/gmail/v1/users/me/threads'),
      await page('/gmail/v1/users/me/threads?maxResults=1000'),
    ]).toStrictEqual([
      [100, 'string', 520],
      [500, 'string', 520],
      [500, 'string', 520],
      [100, 'string', 520],
      [500, 'string', 520],
    ]);
  });
});
