import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CALENDAR_READONLY,
  control,
  GMAIL_READONLY,
  REDIRECT_URI,
  signIn,
  startTestSandbox,
  tokenRequest,
} from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';

const ACCESS = expect.stringMatching(/^ya29\.[A-Za-z0-9_-]{20,}$/);
const REFRESH = expect.stringMatching(/^1\/\/0[A-Za-z0-9_-]{20,}$/);

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

function refresh(refreshToken: unknown, extra: Record<string, string> = {}) {
  return tokenRequest(sandbox.url, {
    grant_type: 'refresh_token',
    refresh_token: String(refreshToken),
    ...extra,
  });
}

describe('the refresh_token grant', () => {
  it('answers every scope the grant holds, also for a refresh token from before an incremental consent', async () => {
    const first = await signIn(sandbox.url, {
      scope: `openid ${GMAIL_READONLY}`,
      access_type: 'offline',
    });
    await signIn(sandbox.url, {
      scope: `openid ${CALENDAR_READONLY}`,
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
    });
    const refreshed = await refresh(first.refresh_token);
    expect([first.scope, refreshed.body.scope]).toStrictEqual([
      `${GMAIL_READONLY} openid`,
      `${CALENDAR_READONLY} ${GMAIL_READONLY} openid`,
    ]);
  });

  it('narrows to a scope asked for and refuses one the grant does not hold', async () => {
    const first = await signIn(sandbox.url, {
      scope: `openid ${GMAIL_READONLY}`,
      access_type: 'offline',
    });
    const narrowed = await refresh(first.refresh_token, { scope: GMAIL_READONLY });
    const wider = await refresh(first.refresh_token, { scope: CALENDAR_READONLY });
    expect([narrowed.body.scope, wider]).toStrictEqual([
      GMAIL_READONLY,
      { status: 400, body: { error: 'invalid_scope', error_description: 'Bad Request' } },
    ]);
  });

  it("answers unauthorized_client for another client's refresh token", async () => {
    const first = await signIn(sandbox.url, { access_type: 'offline' });
    await control(sandbox.url, 'POST', '/__sandbox/clients', {
      client_id: 'other-app',
      client_secret: 'other-app-secret',
      redirect_uris: [REDIRECT_URI],
    });
    const answer = await refresh(first.refresh_token, {
      client_id: 'other-app',
      client_secret: 'other-app-secret',
    });
    expect(answer).toStrictEqual({
      status: 401,
      body: { error: 'unauthorized_client', error_description: 'Unauthorized' },
    });
  });

  it('rotates the refresh token when asked to, and the old one keeps working', async () => {
    const first = await signIn(sandbox.url, { access_type: 'offline' });
    const settings = await control(sandbox.url, 'PUT', '/__sandbox/settings', {
      rotateRefreshTokens: true,
    });
    const rotated = await refresh(first.refresh_token);
    const fromNew = await refresh(rotated.body.refresh_token);
    const fromOld = await refresh(first.refresh_token);
    expect({
      setting: (settings as Record<string, unknown>).rotateRefreshTokens,
      rotated: rotated.body.refresh_token,
      different: rotated.body.refresh_token !== first.refresh_token,
      fromNew: [fromNew.status, fromNew.body.access_token],
      fromOld: fromOld.status,
    }).toStrictEqual({
      setting: true,
      rotated: REFRESH,
      different: true,
      fromNew: [200, ACCESS],
      fromOld: 200,
    });
  });

  it('revokes a rotated refresh token with the rest of its grant', async () => {
    const first = await signIn(sandbox.url, { access_type: 'offline' });
    await control(sandbox.url, 'PUT', '/__sandbox/settings', { rotateRefreshTokens: true });
    const rotated = await refresh(first.refresh_token);
    await fetch(`${sandbox.url}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: String(first.refresh_token) }).toString(),
    });
    expect((await refresh(rotated.body.refresh_token)).body).toStrictEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
  });
});
