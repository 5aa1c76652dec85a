/**
 * Google's token endpoint, `POST /token`: the `authorization_code` grant (single use,
 * five minutes, PKCE, exact redirect URI) and the `refresh_token` grant (the grant's
 * current scopes; no new refresh token unless the `rotateRefreshTokens` setting asks for
 * one), with Google's error bodies. A refresh token past its end (Testing app, six months
 * unused, dropped as the oldest past the per-client limit) gets the same `invalid_grant`
 * "Token has been expired or revoked." as a revoked one.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { authenticateClient, sameSecret } from './client-auth.ts';
import { issueAccessToken, issueRefreshToken, liveGrant, usableRefreshToken } from './grants.ts';
import type { AuthCode, IssuedToken } from './grants.ts';
import { buildIdToken } from './id-token.ts';
import type { OAuthState } from './oauth-state.ts';
import { formatScopes, OPENID, parseScopes } from './scopes.ts';
import type { SigningKey } from './signing-key.ts';

export interface TokenRouteDeps {
  state: OAuthState;
  key: SigningKey;
  now(): Date;
  baseUrl(): string;
}

function tokenError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error, error_description: description });
}

/** Form fields as single strings (a repeated field keeps its first value). */
function formFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (body === null || typeof body !== 'object') return fields;
  for (const [name, value] of Object.entries(body)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') fields[name] = first;
  }
  return fields;
}

function verifierMatches(
  challenge: NonNullable<AuthCode['codeChallenge']>,
  verifier: string,
): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed =
    challenge.method === 'S256'
      ? createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  return sameSecret(computed, challenge.value);
}

export function registerTokenRoute(app: FastifyInstance, deps: TokenRouteDeps): void {
  const { state } = deps;

  /** Issues an access token (and the ID token when `openid` is granted) for a grant. */
  function tokenResponse(
    source: Pick<IssuedToken, 'grantId' | 'clientId' | 'email' | 'scopes' | 'accessType'>,
    refreshToken: string | null,
    nonce: string | null,
  ): Record<string, unknown> {
    const nowMs = deps.now().getTime();
    const ttl = state.settings.accessTokenTtlSeconds;
    const accessToken = issueAccessToken(state.grants, source, nowMs, nowMs + ttl * 1000);
    const user = state.users.get(source.email);
    const idToken =
      user && source.scopes.includes(OPENID)
        ? buildIdToken(
            { key: deps.key, baseUrl: deps.baseUrl(), nowMs },
            { clientId: source.clientId, user, scopes: source.scopes, accessToken, nonce },
          )
        : null;
    return {
      access_token: accessToken,
      expires_in: ttl,
      ...(refreshToken === null ? {} : { refresh_token: refreshToken }),
      scope: formatScopes(source.scopes),
      token_type: 'Bearer',
      ...(idToken === null ? {} : { id_token: idToken }),
    };
  }

  app.post('/token', async (request, reply) => {
    const form = formFields(request.body);
    const auth = authenticateClient(request, form, state.clients);
    if (!auth.ok) return tokenError(reply, auth.status, auth.error, auth.description);
    const client = auth.client;
    const grantType = form.grant_type;
    if (!grantType)
      return tokenError(reply, 400, 'invalid_request', 'Required parameter is missing: grant_type');

    if (grantType === 'authorization_code') {
      const code = form.code;
      if (!code)
        return tokenError(reply, 400, 'invalid_request', 'Missing required parameter: code');
      if (!/^4\/[A-Za-z0-9_-]+$/.test(code))
        return tokenError(reply, 400, 'invalid_grant', 'Malformed auth code.');
      const record = state.grants.codes.get(code);
      if (!record || record.clientId !== client.clientId || record.used) {
        return tokenError(reply, 400, 'invalid_grant', 'Bad Request');
      }
      if (record.expiresAt <= deps.now().getTime())
        return tokenError(reply, 400, 'invalid_grant', 'Bad Request');
      if (!form.redirect_uri)
        return tokenError(reply, 400, 'invalid_request', 'Missing parameter: redirect_uri');
      if (form.redirect_uri !== record.redirectUri) {
        return tokenError(reply, 400, 'redirect_uri_mismatch', 'Bad Request');
      }
      if (record.codeChallenge) {
        if (!form.code_verifier)
          return tokenError(reply, 400, 'invalid_grant', 'Missing code verifier.');
        if (!verifierMatches(record.codeChallenge, form.code_verifier)) {
          return tokenError(reply, 400, 'invalid_grant', 'Invalid code verifier.');
        }
      }
      const grant = liveGrant(state.grants, record);
      if (!grant)
        return tokenError(reply, 400, 'invalid_grant', 'Token has been expired or revoked.');
      record.used = true;
      const source = {
        grantId: grant.id,
        clientId: client.clientId,
        email: record.email,
        scopes: record.scopes,
        accessType: record.accessType,
      };
      const refreshToken = record.issueRefresh
        ? issueRefreshToken(state.grants, grant, source, deps.now().getTime(), state.settings)
        : null;
      state.stats.grants.authorization_code += 1;
      return reply
        .header('cache-control', 'no-store')
        .send(tokenResponse(source, refreshToken, record.nonce));
    }

    if (grantType === 'refresh_token') {
      const token = form.refresh_token;
      if (!token)
        return tokenError(
          reply,
          400,
          'invalid_request',
          'Missing required parameter: refresh_token',
        );
      const nowMs = deps.now().getTime();
      const record = usableRefreshToken(state.grants, token, nowMs, state.settings);
      if (!record && state.grants.tokens.get(token)?.errorSubtype === 'invalid_rapt') {
        return reply.code(400).header('cache-control', 'no-store').send({
          error: 'invalid_grant',
          error_description: 'reauth related error (invalid_rapt)',
          error_subtype: 'invalid_rapt',
        });
      }
      if (!record)
        return tokenError(reply, 400, 'invalid_grant', 'Token has been expired or revoked.');
      if (record.clientId !== client.clientId)
        return tokenError(reply, 401, 'unauthorized_client', 'Unauthorized');
      const grant = liveGrant(state.grants, record);
      if (!grant)
        return tokenError(reply, 400, 'invalid_grant', 'Token has been expired or revoked.');
      // Google answers what the (user, client) grant holds now, not what this refresh token
      // was first issued with: scopes added later with include_granted_scopes count too.
      const held = [...grant.scopes];
      let scopes = held;
      if (form.scope) {
        const asked = parseScopes(form.scope);
        if (asked.unknown.length > 0 || asked.known.some((s) => !held.includes(s))) {
          return tokenError(reply, 400, 'invalid_scope', 'Bad Request');
        }
        scopes = asked.known;
      }
      const source = { ...record, scopes };
      // Google may rotate a refresh token in a refresh response; the old one stays valid
      // (Google documents no invalidation) until the grant is revoked or it is dropped as
      // the oldest past the per-client limit.
      record.lastUsedAt = nowMs;
      const rotated = state.settings.rotateRefreshTokens
        ? issueRefreshToken(
            state.grants,
            grant,
            { scopes: held, accessType: record.accessType },
            nowMs,
            state.settings,
          )
        : null;
      state.stats.grants.refresh_token += 1;
      return reply.header('cache-control', 'no-store').send(tokenResponse(source, rotated, null));
    }

    return tokenError(reply, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  });
}
