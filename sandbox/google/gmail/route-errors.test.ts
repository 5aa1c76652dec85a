import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './gmail-app.harness.ts';

let app: FastifyInstance;
let base: string;
let ids: TestApp['ids'];

beforeAll(async () => {
  ({ app, base, ids } = await startTestApp());
});

afterAll(async () => {
  await app.close();
});

describe('Gmail error envelopes', () => {
  const get = async (path: string, token?: string) => {
    const response = await fetch(`${base}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: await response.json() };
  };
  const envelope = (code: number, message: string, reason: string, status: string) => ({
    error: { code, message, errors: [{ message, domain: 'global', reason }], status },
  });

  it('answers 404 notFound for an unknown message id', async () => {
    expect(await get('/gmail/v1/users/me/messages/00000000000abcde', 'token-alex')).toStrictEqual({
      status: 404,
      body: envelope(404, 'Requested entity was not found.', 'notFound', 'NOT_FOUND'),
    });
  });

  it('answers 400 invalidArgument for an id that is not hexadecimal', async () => {
    expect(await get('/gmail/v1/users/me/messages/not-an-id', 'token-alex')).toStrictEqual({
      status: 400,
      body: envelope(400, 'Invalid id value', 'invalidArgument', 'INVALID_ARGUMENT'),
    });
  });

  it("keeps one user's mail invisible to another", async () => {
    expect(await get(`/gmail/v1/users/me/messages/${ids.invoice}`, 'token-sam')).toStrictEqual({
      status: 404,
      body: envelope(404, 'Requested entity was not found.', 'notFound', 'NOT_FOUND'),
    });
    expect((await get('/gmail/v1/users/me/messages?q=alice', 'token-sam')).body).toStrictEqual({
      resultSizeEstimate: 0,
    });
  });

  it('leaves authorization to the context: 401 without a token, 403 without a Gmail scope', async () => {
    expect((await get('/gmail/v1/users/me/profile')).status).toBe(401);
    expect((await get('/gmail/v1/users/me/profile', 'token-calendar')).body).toStrictEqual({
      error: {
        code: 403,
        message: 'Request had insufficient authentication scopes.',
        errors: [
          {
            message: 'Request had insufficient authentication scopes.',
            domain: 'global',
            reason: 'insufficientPermissions',
          },
        ],
        status: 'PERMISSION_DENIED',
      },
    });
  });

  it('rejects an unknown format and a bad page token', async () => {
    expect(
      await get(`/gmail/v1/users/me/messages/${ids.invoice}?format=html`, 'token-alex'),
    ).toStrictEqual({
      status: 400,
      body: envelope(400, 'Invalid format value', 'invalidArgument', 'INVALID_ARGUMENT'),
    });
    expect((await get('/gmail/v1/users/me/messages?pageToken=zz', 'token-alex')).status).toBe(400);
  });
});
