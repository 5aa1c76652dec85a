import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALENDAR_READONLY,
  CLIENT_ID,
  CLIENT_SECRET,
  consent,
  GMAIL_READONLY,
  REDIRECT_URI,
  startTestSandbox,
} from '../sandbox.harness.ts';
import type { TestSandbox } from '../sandbox.harness.ts';

let sandbox: TestSandbox;
let config: client.Configuration;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  config = await client.discovery(new URL(sandbox.url), CLIENT_ID, CLIENT_SECRET, undefined, {
    execute: [client.allowInsecureRequests],
  });
});
afterAll(async () => {
  await sandbox.close();
});

describe('openid-client against the sandbox', () => {
  it('discovers the sandbox as issuer with Google-shaped metadata', () => {
    const metadata = config.serverMetadata();
    expect({
      issuer: metadata.issuer,
      authorization_endpoint: metadata.authorization_endpoint,
      token_endpoint: metadata.token_endpoint,
      revocation_endpoint: metadata.revocation_endpoint,
      userinfo_endpoint: metadata.userinfo_endpoint,
      jwks_uri: metadata.jwks_uri,
      code_challenge_methods_supported: metadata.code_challenge_methods_supported,
      id_token_signing_alg_values_supported: metadata.id_token_signing_alg_values_supported,
    }).toStrictEqual({
      issuer: sandbox.url,
      authorization_endpoint: `${sandbox.url}/o/oauth2/v2/auth`,
      token_endpoint: `${sandbox.url}/token`,
      revocation_endpoint: `${sandbox.url}/revoke`,
      userinfo_endpoint: `${sandbox.url}/v1/userinfo`,
      jwks_uri: `${sandbox.url}/oauth2/v3/certs`,
      code_challenge_methods_supported: ['plain', 'S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('runs the code flow with PKCE, state and nonce, then userinfo, refresh and revocation', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const authUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: `openid email profile ${GMAIL_READONLY} ${CALENDAR_READONLY}`,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      login_hint: 'alex@example.com',
      nonce,
      state,
    });
    const callback = await consent(sandbox.url, authUrl.toString());
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    expect({
      sub: claims?.sub,
      email: claims?.email,
      nonce: claims?.nonce,
      aud: claims?.aud,
      iss: claims?.iss,
    }).toStrictEqual({
      sub: sandbox.subs.alex,
      email: 'alex@example.com',
      nonce,
      aud: CLIENT_ID,
      iss: sandbox.url,
    });
    expect(tokens.refresh_token).toMatch(/^1\/\/0/);

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, sandbox.subs.alex);
    expect(userinfo.email).toBe('alex@example.com');

    const refreshed = await client.refreshTokenGrant(config, String(tokens.refresh_token));
    expect([refreshed.access_token === tokens.access_token, refreshed.refresh_token]).toStrictEqual(
      [false, undefined],
    );

    await client.tokenRevocation(config, String(tokens.refresh_token));
    const failure = await client
      .refreshTokenGrant(config, String(tokens.refresh_token))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(client.ResponseBodyError);
    expect({
      error: (failure as client.ResponseBodyError).error,
      description: (failure as client.ResponseBodyError).error_description,
      status: (failure as client.ResponseBodyError).status,
    }).toStrictEqual({
      error: 'invalid_grant',
      description: 'Token has been expired or revoked.',
      status: 400,
    });
  });

  it('rejects a callback whose state does not match', async () => {
    const authUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      state: 'one',
    });
    const callback = await consent(sandbox.url, authUrl.toString());
    const failure = await client
      .authorizationCodeGrant(config, callback, { expectedState: 'two' })
      .catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('OAUTH_INVALID_RESPONSE');
  });

  it('surfaces access_denied from a cancelled consent', async () => {
    const authUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      state: 's',
    });
    const callback = await consent(sandbox.url, authUrl.toString(), { action: 'cancel' });
    const failure = await client
      .authorizationCodeGrant(config, callback, { expectedState: 's' })
      .catch((e: unknown) => e);
    expect((failure as client.AuthorizationResponseError).error).toBe('access_denied');
  });
});
