import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  CALENDAR_READONLY,
  consent,
  control,
  decodeJwtPayload,
  exchangeCode,
  GMAIL_READONLY,
  REDIRECT_URI,
  signIn,
  startTestSandbox,
  tokenRequest,
  USERINFO_EMAIL,
  USERINFO_PROFILE,
} from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';

const ALL_SCOPES = [CALENDAR_READONLY, GMAIL_READONLY, USERINFO_EMAIL, USERINFO_PROFILE, 'openid']
  .sort()
  .join(' ');
const ACCESS = expect.stringMatching(/^ya29\.[A-Za-z0-9_-]{20,}$/);
const REFRESH = expect.stringMatching(/^1\/\/0[A-Za-z0-9_-]{20,}$/);
const JWT = expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/);

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

describe('authorization code flow', () => {
  it('issues access, refresh and ID tokens for an offline first consent', async () => {
    const back = await consent(
      sandbox.url,
      authorizeUrl(sandbox.url, { access_type: 'offline', login_hint: 'sam@example.com' }),
    );
    const code = back.searchParams.get('code') ?? '';
    expect([...back.searchParams.keys()]).toStrictEqual(['state', 'code', 'scope']);
    expect(back.searchParams.get('state')).toBe('state-1');
    expect(back.searchParams.get('scope')).toBe(ALL_SCOPES);
    expect(code).toMatch(/^4\/0/);
    const answer = await exchangeCode(sandbox.url, code);
    expect(answer).toStrictEqual({
      status: 200,
      body: {
        access_token: ACCESS,
        expires_in: 3599,
        refresh_token: REFRESH,
        scope: ALL_SCOPES,
        token_type: 'Bearer',
        id_token: JWT,
      },
    });
    const claims = decodeJwtPayload(String(answer.body.id_token));
    const iat = claims.iat as number;
    expect(claims).toStrictEqual({
      iss: sandbox.url,
      azp: 'test-app',
      aud: 'test-app',
      sub: sandbox.subs.sam,
      email: 'sam@example.com',
      email_verified: true,
      at_hash: createHash('sha256')
        .update(String(answer.body.access_token))
        .digest()
        .subarray(0, 16)
        .toString('base64url'),
      name: 'Sam Tanaka',
      picture: `${sandbox.url}/__sandbox/avatars/${sandbox.subs.sam}.svg`,
      given_name: 'Sam',
      family_name: 'Tanaka',
      iat,
      exp: iat + 3600,
    });
  });

  it('gives no refresh token for online access', async () => {
    const body = await signIn(sandbox.url, {});
    expect(body).toStrictEqual({
      access_token: ACCESS,
      expires_in: 3599,
      scope: ALL_SCOPES,
      token_type: 'Bearer',
      id_token: JWT,
    });
  });

  it('withholds the refresh token when a user consents again without prompt=consent', async () => {
    const first = await signIn(sandbox.url, { access_type: 'offline' });
    const again = await signIn(sandbox.url, { access_type: 'offline' });
    expect(first.refresh_token).toStrictEqual(REFRESH);
    expect(again).toStrictEqual({
      access_token: ACCESS,
      expires_in: 3599,
      scope: ALL_SCOPES,
      token_type: 'Bearer',
      id_token: JWT,
    });
  });

  it('returns a new refresh token when prompt=consent forces consent again', async () => {
    const first = await signIn(sandbox.url, { access_type: 'offline' });
    const again = await signIn(sandbox.url, { access_type: 'offline', prompt: 'consent' });
    expect(again.refresh_token).toStrictEqual(REFRESH);
    expect(again.refresh_token).not.toBe(first.refresh_token);
  });

  it('lists only the scopes the user left ticked', async () => {
    const body = await signIn(
      sandbox.url,
      { access_type: 'offline' },
      { untick: [GMAIL_READONLY] },
    );
    expect(body.scope).toBe(
      [CALENDAR_READONLY, USERINFO_EMAIL, USERINFO_PROFILE, 'openid'].sort().join(' '),
    );
  });

  it('adds earlier granted scopes with include_granted_scopes=true', async () => {
    await signIn(sandbox.url, { scope: `openid ${GMAIL_READONLY}` });
    const without = await signIn(sandbox.url, { scope: `openid ${CALENDAR_READONLY}` });
    const withEarlier = await signIn(sandbox.url, {
      scope: `openid ${CALENDAR_READONLY}`,
      include_granted_scopes: 'true',
    });
    expect([without.scope, withEarlier.scope]).toStrictEqual([
      `${CALENDAR_READONLY} openid`,
      `${CALENDAR_READONLY} ${GMAIL_READONLY} openid`,
    ]);
  });

  it('rejects a second exchange of the same code and keeps the first tokens working', async () => {
    const back = await consent(sandbox.url, authorizeUrl(sandbox.url, {}));
    const code = back.searchParams.get('code') ?? '';
    const first = await exchangeCode(sandbox.url, code);
    const second = await exchangeCode(sandbox.url, code);
    expect(second).toStrictEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Bad Request' },
    });
    const info = await fetch(`${sandbox.url}/v1/userinfo`, {
      headers: { authorization: `Bearer ${first.body.access_token}` },
    });
    expect(info.status).toBe(200);
  });

  it('rejects a malformed code', async () => {
    expect(await exchangeCode(sandbox.url, 'not-a-code')).toStrictEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Malformed auth code.' },
    });
  });

  it('rejects a token request whose redirect_uri differs from the authorization request', async () => {
    const back = await consent(sandbox.url, authorizeUrl(sandbox.url, {}));
    const answer = await exchangeCode(sandbox.url, back.searchParams.get('code') ?? '', {
      redirect_uri: 'http://127.0.0.1:9/other',
    });
    expect(answer).toStrictEqual({
      status: 400,
      body: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' },
    });
  });

  it('checks the PKCE verifier against an S256 challenge', async () => {
    const verifier = 'v'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const url = authorizeUrl(sandbox.url, {
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const code = (await consent(sandbox.url, url)).searchParams.get('code') ?? '';
    const missing = await exchangeCode(sandbox.url, code);
    const wrong = await exchangeCode(sandbox.url, code, { code_verifier: 'w'.repeat(43) });
    const right = await exchangeCode(sandbox.url, code, { code_verifier: verifier });
    expect([missing, wrong, right.status]).toStrictEqual([
      {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Missing code verifier.' },
      },
      {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Invalid code verifier.' },
      },
      200,
    ]);
  });

  it('accepts a plain PKCE challenge', async () => {
    const verifier = 'p'.repeat(50);
    const url = authorizeUrl(sandbox.url, { code_challenge: verifier });
    const code = (await consent(sandbox.url, url)).searchParams.get('code') ?? '';
    expect((await exchangeCode(sandbox.url, code, { code_verifier: verifier })).status).toBe(200);
  });

  it('rejects a wrong client secret and accepts HTTP Basic client authentication', async () => {
    const code =
      (await consent(sandbox.url, authorizeUrl(sandbox.url, {}))).searchParams.get('code') ?? '';
    const wrong = await tokenRequest(sandbox.url, {
      client_secret: 'nope',
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    });
    const basic = await fetch(`${sandbox.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('test-app:test-app-secret').toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
      }).toString(),
    });
    expect([wrong, basic.status]).toStrictEqual([
      { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } },
      200,
    ]);
  });

  it('answers unsupported_grant_type and invalid_request as Google does', async () => {
    const unsupported = await tokenRequest(sandbox.url, { grant_type: 'password' });
    const missing = await tokenRequest(sandbox.url, {});
    expect([unsupported, missing]).toStrictEqual([
      {
        status: 400,
        body: {
          error: 'unsupported_grant_type',
          error_description: 'Invalid grant_type: password',
        },
      },
      {
        status: 400,
        body: {
          error: 'invalid_request',
          error_description: 'Required parameter is missing: grant_type',
        },
      },
    ]);
  });

  it('lets a code expire after five minutes', async () => {
    let clock = new Date('2026-03-04T10:00:00Z');
    await sandbox.close();
    sandbox = await startTestSandbox(() => clock);
    const code =
      (await consent(sandbox.url, authorizeUrl(sandbox.url, {}))).searchParams.get('code') ?? '';
    clock = new Date('2026-03-04T10:05:01Z');
    expect(await exchangeCode(sandbox.url, code)).toStrictEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Bad Request' },
    });
  });

  it('refreshes an access token without returning a new refresh token', async () => {
    const first = await signIn(sandbox.url, { access_type: 'offline' });
    const refreshed = await tokenRequest(sandbox.url, {
      grant_type: 'refresh_token',
      refresh_token: String(first.refresh_token),
    });
    expect(refreshed).toStrictEqual({
      status: 200,
      body: {
        access_token: ACCESS,
        expires_in: 3599,
        scope: ALL_SCOPES,
        token_type: 'Bearer',
        id_token: JWT,
      },
    });
    expect(refreshed.body.access_token).not.toBe(first.access_token);
  });

  it('uses the access token lifetime from the settings', async () => {
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { accessTokenTtlSeconds: 60 });
    const body = await signIn(sandbox.url, {});
    expect(body.expires_in).toBe(60);
  });
});
