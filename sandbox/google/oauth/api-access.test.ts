import { afterEach, describe, expect, it } from 'vitest';
import { CALENDAR_READONLY, control, signIn, startProbeSandbox } from '../sandbox.harness.ts';
import type { ProbeRecord, TestSandbox } from '../sandbox.harness.ts';

let sandbox: TestSandbox & { probe: ProbeRecord };
afterEach(async () => {
  await sandbox.close();
});

async function probe(token: string | null, userId = 'me', viaQuery = false) {
  const query = viaQuery && token ? `?access_token=${encodeURIComponent(token)}` : '';
  const response = await fetch(`${sandbox.url}/probe/users/${userId}/mail${query}`, {
    headers: token && !viaQuery ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: await response.json() };
}

const INVALID = {
  status: 401,
  body: {
    error: {
      code: 401,
      message:
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      errors: [
        {
          message: 'Invalid Credentials',
          domain: 'global',
          reason: 'authError',
          location: 'Authorization',
          locationType: 'header',
        },
      ],
      status: 'UNAUTHENTICATED',
    },
  },
};

describe('access checks of API requests', () => {
  it('accepts a valid token by header or access_token query parameter, for me or the own email', async () => {
    sandbox = await startProbeSandbox();
    const { access_token } = await signIn(sandbox.url, {}, { account: 'alex@example.com' });
    const token = String(access_token);
    expect([
      await probe(token),
      await probe(token, 'alex@example.com'),
      await probe(token, 'me', true),
    ]).toStrictEqual([
      { status: 200, body: { email: 'alex@example.com' } },
      { status: 200, body: { email: 'alex@example.com' } },
      { status: 200, body: { email: 'alex@example.com' } },
    ]);
  });

  it('answers the 401 envelope for an unknown token', async () => {
    sandbox = await startProbeSandbox();
    expect(await probe('ya29.nothing')).toStrictEqual(INVALID);
  });

  it('answers the login-required 401 envelope without any token', async () => {
    sandbox = await startProbeSandbox();
    expect(await probe(null)).toStrictEqual({
      status: 401,
      body: {
        error: {
          code: 401,
          message:
            'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          errors: [
            {
              message: 'Login Required.',
              domain: 'global',
              reason: 'required',
              location: 'Authorization',
              locationType: 'header',
            },
          ],
          status: 'UNAUTHENTICATED',
        },
      },
    });
  });

  it('answers 401 once an access token with a short lifetime has expired', async () => {
    let clock = new Date('2026-03-04T10:00:00Z');
    sandbox = await startProbeSandbox({ now: () => clock });
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { accessTokenTtlSeconds: 5 });
    const token = String((await signIn(sandbox.url, {})).access_token);
    const before = await probe(token);
    clock = new Date('2026-03-04T10:00:05Z');
    expect([before.status, await probe(token)]).toStrictEqual([200, INVALID]);
  });

  it('answers 403 insufficientPermissions when no accepted scope was granted', async () => {
    sandbox = await startProbeSandbox();
    const token = String(
      (await signIn(sandbox.url, { scope: `openid ${CALENDAR_READONLY}` })).access_token,
    );
    expect(await probe(token)).toStrictEqual({
      status: 403,
      body: {
        error: {
          code: 403,
          message: 'Request had insufficient authentication scopes.',
          errors: [
            {
              message: 'Insufficient Permission',
              domain: 'global',
              reason: 'insufficientPermissions',
            },
          ],
          status: 'PERMISSION_DENIED',
        },
      },
    });
  });

  it("answers 403 delegation denied for another user's id", async () => {
    sandbox = await startProbeSandbox();
    const token = String(
      (await signIn(sandbox.url, {}, { account: 'alex@example.com' })).access_token,
    );
    expect(await probe(token, 'sam@example.com')).toStrictEqual({
      status: 403,
      body: {
        error: {
          code: 403,
          message: 'Delegation denied for alex@example.com',
          errors: [
            {
              message: 'Delegation denied for alex@example.com',
              domain: 'global',
              reason: 'forbidden',
            },
          ],
          status: 'PERMISSION_DENIED',
        },
      },
    });
  });

  it('describes an access token at the tokeninfo endpoint', async () => {
    let clock = new Date('2026-03-04T10:00:00Z');
    sandbox = await startProbeSandbox({ now: () => clock });
    const token = String(
      (await signIn(sandbox.url, { access_type: 'offline' }, { account: 'sam@example.com' }))
        .access_token,
    );
    clock = new Date('2026-03-04T10:00:59Z');
    const response = await fetch(`${sandbox.url}/oauth2/v3/tokeninfo?access_token=${token}`);
    const unknown = await fetch(`${sandbox.url}/oauth2/v3/tokeninfo?access_token=ya29.x`);
    expect([await response.json(), unknown.status, await unknown.json()]).toStrictEqual([
      {
        azp: 'test-app',
        aud: 'test-app',
        sub: sandbox.subs.sam,
        scope:
          'https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/gmail.readonly https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid',
        exp: String(Date.parse('2026-03-04T10:00:00Z') / 1000 + 3599),
        expires_in: '3540',
        email: 'sam@example.com',
        email_verified: 'true',
        access_type: 'offline',
      },
      400,
      { error_description: 'Invalid Value' },
    ]);
  });
});
