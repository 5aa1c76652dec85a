/**
 * OpenID Connect discovery and the signing keys: `/.well-known/openid-configuration`
 * (Google's fields, with the values the sandbox supports; the sandbox is the issuer) and
 * `/oauth2/v3/certs` (JWKS). Both answer with a `Date` header read from the sandbox clock,
 * as Google's carry Google's time: a clock pinned or moved in a test is a server clock
 * that differs from the caller's (`tidings doctor` compares the two).
 */
import type { FastifyInstance } from 'fastify';
import type { SigningKey } from './signing-key.ts';

export function openIdConfiguration(baseUrl: string): Record<string, unknown> {
  return {
    issuer: baseUrl,
    authorization_endpoint: `${baseUrl}/o/oauth2/v2/auth`,
    token_endpoint: `${baseUrl}/token`,
    userinfo_endpoint: `${baseUrl}/v1/userinfo`,
    revocation_endpoint: `${baseUrl}/revoke`,
    jwks_uri: `${baseUrl}/oauth2/v3/certs`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: [
      'aud',
      'email',
      'email_verified',
      'exp',
      'family_name',
      'given_name',
      'iat',
      'iss',
      'name',
      'picture',
      'sub',
    ],
    code_challenge_methods_supported: ['plain', 'S256'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
  };
}

export function registerDiscoveryRoutes(
  app: FastifyInstance,
  deps: { key: SigningKey; baseUrl(): string; now(): Date },
): void {
  app.get('/.well-known/openid-configuration', async (_request, reply) => {
    return reply
      .header('cache-control', 'public, max-age=3600')
      .header('date', deps.now().toUTCString())
      .send(openIdConfiguration(deps.baseUrl()));
  });
  app.get('/oauth2/v3/certs', async (_request, reply) => {
    return reply
      .header('cache-control', 'public, max-age=3600')
      .header('date', deps.now().toUTCString())
      .send(deps.key.jwks());
  });
}
