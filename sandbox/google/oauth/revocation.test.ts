import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { control, signIn, startTestSandbox, tokenRequest } from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';

let sandbox: TestSandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

async function revoke(token: string, via: 'form' | 'query' = 'form') {
  const response = await fetch(
    via === 'form'
      ? `${sandbox.url}/revoke`
      : `${sandbox.url}/revoke?token=${encodeURIComponent(token)}`,
    via === 'form'
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token }).toString(),
        }
      : { method: 'POST' },
  );
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

const refresh = (token: unknown) =>
  tokenRequest(sandbox.url, { grant_type: 'refresh_token', refresh_token: String(token) });
const REVOKED = {
  status: 400,
  body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
};

describe('revocation', () => {
  it('revokes the whole grant through either token and answers 200 again for a revoked token', async () => {
    const tokens = await signIn(sandbox.url, { access_type: 'offline' });
    const first = await revoke(String(tokens.access_token));
    const second = await revoke(String(tokens.refresh_token));
    const userinfo = await fetch(`${sandbox.url}/v1/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect([first, second, await refresh(tokens.refresh_token), userinfo.status]).toStrictEqual([
      { status: 200, body: null },
      { status: 200, body: null },
      REVOKED,
      401,
    ]);
  });

  it('takes the token from the query string too', async () => {
    const tokens = await signIn(sandbox.url, { access_type: 'offline' });
    expect([
      await revoke(String(tokens.refresh_token), 'query'),
      await refresh(tokens.refresh_token),
    ]).toStrictEqual([{ status: 200, body: null }, REVOKED]);
  });

  it('answers invalid_token for a token it never issued', async () => {
    expect(await revoke('ya29.unknown')).toStrictEqual({
      status: 400,
      body: { error: 'invalid_token', error_description: 'Token expired or revoked' },
    });
  });

  it('issues a refresh token again after a revoked grant, without prompt=consent', async () => {
    const tokens = await signIn(sandbox.url, { access_type: 'offline' });
    await revoke(String(tokens.refresh_token));
    const again = await signIn(sandbox.url, { access_type: 'offline' });
    expect(typeof again.refresh_token).toBe('string');
  });

  it('revokes every grant of a user through the control API', async () => {
    const alex = await signIn(
      sandbox.url,
      { access_type: 'offline' },
      { account: 'alex@example.com' },
    );
    const sam = await signIn(
      sandbox.url,
      { access_type: 'offline' },
      { account: 'sam@example.com' },
    );
    const answer = await control(sandbox.url, 'POST', '/__sandbox/users/alex@example.com/revoke');
    expect([
      answer,
      await refresh(alex.refresh_token),
      (await refresh(sam.refresh_token)).status,
    ]).toStrictEqual([{ revoked: 1, deliveries: [] }, REVOKED, 200]);
  });

  it('answers invalid_grant with error_subtype invalid_rapt after a session-control expiry', async () => {
    const tokens = await signIn(
      sandbox.url,
      { access_type: 'offline' },
      { account: 'alex@example.com' },
    );
    await control(sandbox.url, 'POST', '/__sandbox/users/alex@example.com/revoke', {
      reason: 'invalid_rapt',
    });
    expect(await refresh(tokens.refresh_token)).toStrictEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'reauth related error (invalid_rapt)',
        error_subtype: 'invalid_rapt',
      },
    });
  });

  it('keeps at most 100 refresh tokens per user and client, silently dropping the oldest', async () => {
    const tokens: unknown[] = [];
    for (let i = 0; i < 101; i += 1) {
      tokens.push(
        (await signIn(sandbox.url, { access_type: 'offline', prompt: 'consent', scope: 'openid' }))
          .refresh_token,
      );
    }
    expect([
      (await refresh(tokens[0])).body.error,
      (await refresh(tokens[1])).status,
      (await refresh(tokens[100])).status,
    ]).toStrictEqual(['invalid_grant', 200, 200]);
  });
});
