import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.harness.ts';
import { type RuntimeFixture, startRuntimeFixture } from './runtime-api.harness.ts';

const problem = (
  code: string,
  title: string,
  status: number,
  detail: string,
  instance: string,
) => ({
  type: `https://tidings.dev/problems/${code}`,
  title,
  status,
  code,
  detail,
  instance,
});

for (const database of DATABASES) {
  describe(`runtime API error codes on ${database.name}`, () => {
    let f: RuntimeFixture;
    beforeAll(async () => {
      f = await startRuntimeFixture(database, {
        connectLink: async (_userId, options) => ({
          url: `https://tidings.test/oauth/google/start?ticket=t-${options?.connectionId ?? 'new'}`,
          expiresAt: new Date('2026-03-10T09:10:00.000Z'),
        }),
      });
    });
    afterEach(async () => {
      await f.control('DELETE', '/__sandbox/faults');
    });
    afterAll(async () => {
      await f?.close();
    });

    it('answers unauthorized with WWW-Authenticate when no key is sent', async () => {
      const answer = await f.get('/v1/gmail/unread');
      expect([answer.status, answer.headers['www-authenticate'], answer.body]).toStrictEqual([
        401,
        'Bearer realm="tidings"',
        problem(
          'unauthorized',
          'Unauthorized',
          401,
          'Send an API key as "Authorization: Bearer <key>" (create one with: tidings api-keys create <user id>).',
          '/v1/gmail/unread',
        ),
      ]);
    });

    it('answers invalid_request naming the parameter', async () => {
      const answer = await f.get('/v1/gmail/messages?pageSize=0', f.keys.a);
      expect([answer.status, answer.body]).toStrictEqual([
        400,
        {
          ...problem(
            'invalid_request',
            'Invalid request',
            400,
            'pageSize: Too small: expected number to be >=1',
            '/v1/gmail/messages',
          ),
          field: 'pageSize',
        },
      ]);
    });

    it('answers not_found for a message Gmail does not have', async () => {
      const answer = await f.get('/v1/gmail/messages/ffffffffffffffff', f.keys.a);
      expect([answer.status, answer.body]).toStrictEqual([
        404,
        problem(
          'not_found',
          'Not found',
          404,
          'Google answered 404 (notFound) to gmail.messages.get',
          '/v1/gmail/messages/ffffffffffffffff',
        ),
      ]);
    });

    it('answers not_connected for a user without a Google account', async () => {
      const answer = await f.get('/v1/calendar/next', f.keys.e);
      expect([answer.status, answer.body]).toStrictEqual([
        409,
        problem(
          'not_connected',
          'No Google account connected',
          409,
          'Connect a Google account first',
          '/v1/calendar/next',
        ),
      ]);
    });

    it('answers scope_missing when the grant lacks the Calendar scope', async () => {
      const answer = await f.get('/v1/calendar/next', f.keys.c);
      expect([answer.status, answer.body]).toStrictEqual([
        403,
        {
          ...problem(
            'scope_missing',
            'The Google connection lacks a permission',
            403,
            'calendar.next needs access to Google Calendar',
            '/v1/calendar/next',
          ),
          scopes: [
            'https://www.googleapis.com/auth/calendar.readonly',
            'https://www.googleapis.com/auth/calendar.events.readonly',
            'https://www.googleapis.com/auth/calendar',
          ],
        },
      ]);
    });

    it('answers provider_unavailable when Google keeps failing with 503', async () => {
      await f.control('POST', '/__sandbox/faults', {
        path: '/gmail/v1/users/me/labels',
        status: 503,
      });
      const answer = await f.get('/v1/gmail/unread', f.keys.a);
      expect([answer.status, answer.body]).toStrictEqual([
        502,
        problem(
          'provider_unavailable',
          'Google is unavailable',
          502,
          'Google answered 503 (backendError) to gmail.labels.list',
          '/v1/gmail/unread',
        ),
      ]);
    });

    it('answers forbidden when Google refuses a call for another reason than scope or rate', async () => {
      await f.control('POST', '/__sandbox/faults', {
        path: '/gmail/v1/users/me/labels',
        status: 403,
        reason: 'failedPrecondition',
      });
      const answer = await f.get('/v1/gmail/unread', f.keys.a);
      expect([answer.status, answer.body]).toStrictEqual([
        403,
        problem(
          'forbidden',
          'Forbidden',
          403,
          'Google answered 403 (failedPrecondition) to gmail.labels.list: Precondition check failed.',
          '/v1/gmail/unread',
        ),
      ]);
    });

    it('answers provider_rate_limited with Retry-After when Google keeps answering 429', async () => {
      await f.control('POST', '/__sandbox/faults', {
        path: '/calendar/v3',
        status: 429,
        retryAfter: 7,
      });
      const answer = await f.get('/v1/calendar/next', f.keys.a);
      expect([answer.status, answer.headers['retry-after'], answer.body]).toStrictEqual([
        429,
        '7',
        {
          ...problem(
            'provider_rate_limited',
            'Google rate limit reached',
            429,
            'Google answered 429 (rateLimitExceeded) to calendar.calendarList.list',
            '/v1/calendar/next',
          ),
          retry_after: 7,
        },
      ]);
    });

    it('answers not_configured when the server cannot make connect links', async () => {
      const bare = await startRuntimeFixture(database);
      try {
        const answer = await bare.request('POST', '/v1/connect-links', bare.keys.a);
        expect([answer.status, answer.body]).toStrictEqual([
          503,
          {
            ...problem(
              'not_configured',
              'Not configured',
              503,
              'Google sign-in is not set up on this server.',
              '/v1/connect-links',
            ),
            settings: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
          },
        ]);
      } finally {
        await bare.close();
      }
    });

    it('makes a connect link, or a reconnect link for one of the user’s connections', async () => {
      const fresh = await f.request('POST', '/v1/connect-links', f.keys.a);
      const again = await f.request('POST', '/v1/connect-links', f.keys.a, {
        connection: 'kim@example.com',
      });
      const foreign = await f.request('POST', '/v1/connect-links', f.keys.a, {
        connection: 'sam@example.com',
      });
      expect([
        [fresh.status, fresh.body],
        [again.status, again.body],
        [foreign.status, (foreign.body as { code: string }).code],
      ]).toStrictEqual([
        [
          201,
          {
            url: 'https://tidings.test/oauth/google/start?ticket=t-new',
            expires_at: '2026-03-10T09:10:00.000Z',
          },
        ],
        [
          201,
          {
            url: 'https://tidings.test/oauth/google/start?ticket=t-conn-kim',
            expires_at: '2026-03-10T09:10:00.000Z',
          },
        ],
        [404, 'not_found'],
      ]);
    });

    // Last: revoking robin's grant is for good.
    it('answers reauth_required with the reason once Google revoked the grant', async () => {
      await f.control('POST', '/__sandbox/users/robin@example.com/revoke', {});
      const answer = await f.get('/v1/gmail/unread', f.keys.d);
      expect([answer.status, answer.body]).toStrictEqual([
        409,
        {
          ...problem(
            'reauth_required',
            'The Google connection needs to be reconnected',
            409,
            'Google no longer accepts this connection',
            '/v1/gmail/unread',
          ),
          reason: 'revoked',
          connection: 'conn-robin',
        },
      ]);
    });
  });
}
