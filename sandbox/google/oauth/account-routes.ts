/**
 * Revocation (`POST /revoke`), userinfo (`GET /v1/userinfo`, also `/oauth2/v3/userinfo`)
 * and tokeninfo (`GET|POST /oauth2/v3/tokeninfo`), answering as Google does.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from './access-check.ts';
import { revokeGrant, usableToken } from './grants.ts';
import { profileClaims } from './id-token.ts';
import type { OAuthState } from './oauth-state.ts';
import { formatScopes } from './scopes.ts';

export interface AccountRouteDeps {
  state: OAuthState;
  now(): Date;
  baseUrl(): string;
}

function field(source: unknown, name: string): string | null {
  if (source === null || typeof source !== 'object') return null;
  const value: unknown = (source as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function registerAccountRoutes(app: FastifyInstance, deps: AccountRouteDeps): void {
  const { state } = deps;

  app.post('/revoke', async (request, reply) => {
    const token = field(request.body, 'token') ?? field(request.query, 'token');
    const record = token === null ? undefined : state.grants.tokens.get(token);
    if (!record) {
      return reply
        .code(400)
        .type('application/json; charset=utf-8')
        .send({ error: 'invalid_token', error_description: 'Token expired or revoked' });
    }
    if (!record.revoked) revokeGrant(state.grants, record.grantId);
    state.stats.revocations += 1;
    return reply.code(200).type('application/json; charset=utf-8').send('');
  });

  async function userinfo(request: FastifyRequest, reply: FastifyReply) {
    const token = bearerToken(request);
    const record =
      token === null ? null : usableToken(state.grants, token, 'access', deps.now().getTime());
    const user = record ? state.users.get(record.email) : undefined;
    if (!record || !user) {
      return reply
        .code(401)
        .header(
          'www-authenticate',
          'Bearer realm="https://accounts.google.com/", error="invalid_token"',
        )
        .send({ error: 'invalid_request', error_description: 'Invalid Credentials' });
    }
    const { email, profile } = profileClaims(deps.baseUrl(), user, record.scopes);
    const hd = user.hd === undefined ? {} : { hd: user.hd };
    return reply.send({ sub: user.sub, ...profile, ...email, ...hd });
  }
  app.get('/v1/userinfo', userinfo);
  app.get('/oauth2/v3/userinfo', userinfo);

  async function tokeninfo(request: FastifyRequest, reply: FastifyReply) {
    const token =
      field(request.query, 'access_token') ??
      field(request.body, 'access_token') ??
      bearerToken(request);
    const nowMs = deps.now().getTime();
    const record = token === null ? null : usableToken(state.grants, token, 'access', nowMs);
    const user = record ? state.users.get(record.email) : undefined;
    if (!record || !user) return reply.code(400).send({ error_description: 'Invalid Value' });
    const { email } = profileClaims(deps.baseUrl(), user, record.scopes);
    return reply.send({
      azp: record.clientId,
      aud: record.clientId,
      sub: user.sub,
      scope: formatScopes(record.scopes),
      exp: String(Math.floor(record.expiresAt / 1000)),
      expires_in: String(Math.max(0, Math.floor((record.expiresAt - nowMs) / 1000))),
      ...(email.email === undefined
        ? {}
        : { email: user.email, email_verified: String(email.email_verified) }),
      access_type: record.accessType,
    });
  }
  app.get('/oauth2/v3/tokeninfo', tokeninfo);
  app.post('/oauth2/v3/tokeninfo', tokeninfo);
}
