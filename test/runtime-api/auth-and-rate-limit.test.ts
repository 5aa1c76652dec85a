import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { type RuntimeFixture, startRuntimeFixture } from './runtime-api.harness.ts';

const unknownKey = {
  type: 'https://tidings.dev/problems/unauthorized',
  title: 'Unauthorized',
  status: 401,
  code: 'unauthorized',
  detail: 'The API key is unknown or has been revoked.',
  instance: '/v1/connections',
};

for (const database of DATABASES) {
  describe(`runtime API authentication and rate limit on ${database.name}`, () => {
    let f: RuntimeFixture;
    beforeAll(async () => {
      f = await startRuntimeFixture(database, {
        rateLimit: { max: 3, timeWindowMs: 60_000, failedAuthMax: 8 },
      });
    });
    afterAll(async () => {
      await f?.close();
    });

    const withHeader = (authorization: string, remoteAddress = '127.0.0.1') =>
      f.app.inject({
        method: 'GET',
        url: '/v1/connections',
        headers: { authorization },
        remoteAddress,
      });

    it('refuses malformed, unknown and wrong-scheme credentials with 401', async () => {
      const key = f.keys.a;
      const answers = await Promise.all(
        [
          `Basic ${Buffer.from(`x:${key}`).toString('base64')}`,
          // The key with its last character changed (to one it is not).
          `Bearer ${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`,
          `Bearer tid_abcdefgh_${'0'.repeat(64)}`,
          'Bearer',
          `Bearer ${key} extra`,
          `Bearer ${'x'.repeat(10_000)}`,
          "Bearer ' OR 1=1 --",
        ].map((header) => withHeader(header)),
      );
      expect(
        answers.map((a) => [a.statusCode, a.headers['www-authenticate'], a.json().code]),
      ).toStrictEqual([
        [401, 'Bearer realm="tidings"', 'unauthorized'],
        [401, 'Bearer realm="tidings", error="invalid_token"', 'unauthorized'],
        [401, 'Bearer realm="tidings", error="invalid_token"', 'unauthorized'],
        [401, 'Bearer realm="tidings"', 'unauthorized'],
        [401, 'Bearer realm="tidings"', 'unauthorized'],
        [401, 'Bearer realm="tidings", error="invalid_token"', 'unauthorized'],
        [401, 'Bearer realm="tidings"', 'unauthorized'],
      ]);
    });

    it('refuses a revoked key', async () => {
      const created = await f.apiKeys.create(f.users.e, 'short-lived');
      const before = await f.get('/v1/connections', created.key);
      await f.apiKeys.revoke(f.users.e, created.id);
      const after = await f.get('/v1/connections', created.key);
      expect([before.status, after.status, after.body]).toStrictEqual([200, 401, unknownKey]);
    });

    it('accepts the scheme in any case and records when the key was used', async () => {
      const created = await f.apiKeys.create(f.users.e, 'case');
      const answer = await withHeader(`bearer ${created.key}`);
      const [info] = (await f.apiKeys.list(f.users.e)).filter((k) => k.id === created.id);
      expect([answer.statusCode, info?.lastUsedAt instanceof Date]).toStrictEqual([200, true]);
    });

    it('answers 429 with Retry-After and a problem once a key used up its requests', async () => {
      const key = (await f.apiKeys.create(f.users.b, 'busy')).key;
      const other = (await f.apiKeys.create(f.users.b, 'calm')).key;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await f.get('/v1/connections', key)).status);
      const limited = await f.get('/v1/connections', key);
      const otherKey = await f.get('/v1/connections', other);
      expect([
        statuses,
        limited.status,
        Number(limited.headers['retry-after']) > 0,
        limited.headers['content-type'],
        limited.body,
        otherKey.status,
      ]).toStrictEqual([
        [200, 200, 200],
        429,
        true,
        'application/problem+json; charset=utf-8',
        {
          type: 'https://tidings.dev/problems/rate_limited',
          title: 'Too many requests',
          status: 429,
          code: 'rate_limited',
          detail: 'Slow down: too many requests with this key.',
          retry_after: Number(limited.headers['retry-after']),
        },
        200,
      ]);
    });

    it('limits requests without a valid key by client address, not the keys used from it', async () => {
      const wrong = `Bearer tid_abcdefgh_${'1'.repeat(64)}`;
      const good = (await f.apiKeys.create(f.users.b, 'from the same address')).key;
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await withHeader(wrong, '10.0.0.7')).statusCode);
      const limited = await withHeader(wrong, '10.0.0.7');
      const missing = await withHeader('', '10.0.0.7');
      const elsewhere = await withHeader(wrong, '10.0.0.8');
      const valid = await withHeader(`Bearer ${good}`, '10.0.0.7');
      expect([
        statuses,
        limited.statusCode,
        limited.json(),
        missing.statusCode,
        elsewhere.statusCode,
        valid.statusCode,
      ]).toStrictEqual([
        [401, 401, 401, 401, 401, 401, 401, 401],
        429,
        {
          type: 'https://tidings.dev/problems/rate_limited',
          title: 'Too many requests',
          status: 429,
          code: 'rate_limited',
          detail: 'Slow down: too many requests without a valid key from this address.',
          retry_after: Number(limited.headers['retry-after']),
        },
        429,
        401,
        200,
      ]);
    });

    it('serves the OpenAPI document and the docs page without a key', async () => {
      const answers = await Promise.all([f.get('/v1/openapi.json'), f.get('/v1/docs')]);
      expect(answers.map((a) => [a.status, a.headers['content-type']])).toStrictEqual([
        [200, 'application/json; charset=utf-8'],
        [200, 'text/html; charset=utf-8'],
      ]);
    });
  });
}
