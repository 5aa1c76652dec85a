import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  consent,
  GMAIL_READONLY,
  REDIRECT_URI,
  startTestSandbox,
} from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

function oauthClient(): OAuth2Client {
  return new OAuth2Client({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    endpoints: {
      oauth2AuthBaseUrl: `${sandbox.url}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${sandbox.url}/token`,
      oauth2RevokeUrl: `${sandbox.url}/revoke`,
      tokenInfoUrl: `${sandbox.url}/oauth2/v3/tokeninfo`,
      oauth2FederatedSignonJwkCertsUrl: `${sandbox.url}/oauth2/v3/certs`,
    },
  });
}

describe('google-auth-library OAuth2Client against the sandbox', () => {
  it('exchanges a PKCE code, refreshes, revokes, and then fails to refresh with invalid_grant', async () => {
    const oauth = oauthClient();
    const { codeVerifier, codeChallenge } = await oauth.generateCodeVerifierAsync();
    const authUrl = oauth.generateAuthUrl({
      access_type: 'offline',
      scope: ['openid', 'email', GMAIL_READONLY],
      code_challenge: String(codeChallenge),
      code_challenge_method: CodeChallengeMethod.S256,
      state: 'gal',
    });
    const callback = await consent(sandbox.url, authUrl);
    const { tokens } = await oauth.getToken({
      code: callback.searchParams.get('code') ?? '',
      codeVerifier,
    });
    expect({
      access: /^ya29\./.test(String(tokens.access_token)),
      refresh: /^1\/\/0/.test(String(tokens.refresh_token)),
      scope: tokens.scope,
      type: tokens.token_type,
      idToken: typeof tokens.id_token,
    }).toStrictEqual({
      access: true,
      refresh: true,
      scope: `${GMAIL_READONLY} https://www.googleapis.com/auth/userinfo.email openid`,
      type: 'Bearer',
      idToken: 'string',
    });

    const info = await oauth.getTokenInfo(String(tokens.access_token));
    expect([info.email, info.scopes, info.aud]).toStrictEqual([
      'alex@example.com',
      [GMAIL_READONLY, 'https://www.googleapis.com/auth/userinfo.email', 'openid'],
      CLIENT_ID,
    ]);

    oauth.setCredentials({ refresh_token: tokens.refresh_token ?? null });
    const refreshed = await oauth.refreshAccessToken();
    expect(refreshed.credentials.access_token).not.toBe(tokens.access_token);

    const revoked = await oauth.revokeToken(String(tokens.refresh_token));
    expect(revoked.status).toBe(200);

    const retry = oauthClient();
    retry.setCredentials({ refresh_token: tokens.refresh_token ?? null });
    const failure = (await retry.refreshAccessToken().catch((error: unknown) => error)) as {
      response?: { status: number; data: unknown };
    };
    expect([failure.response?.status, failure.response?.data]).toStrictEqual([
      400,
      { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    ]);
  });
});
