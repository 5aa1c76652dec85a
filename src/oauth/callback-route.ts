/**
 * `GET /oauth/google/callback`: the cookie must bind this browser to the `state`; the
 * state is consumed atomically (a replay finds nothing); Google's `?error=` becomes a
 * friendly page; the code is exchanged with PKCE and the nonce, the ID token's signature
 * and claims are validated, the email must be verified, and the encrypted grant is
 * stored. Every outcome is a page; none is a 500.
 */
import type { FastifyInstance } from 'fastify';
import type { TokenFailure } from '../connections/index.ts';
import { isTidingsError } from '../errors.ts';
import { CALLBACK_PATH, checkBinding, clearedCookie } from './browser-binding.ts';
import type { ConnectRouteDeps } from './connect-routes.ts';
import { type CodeExchange, translateTokenError } from './google-oidc.ts';
import { type ConnectFailure, sendFailure, successPage } from './result-pages.ts';
import { grantedScopes } from './scopes.ts';

/** The one translation of a failed code exchange into a page. */
function exchangeFailure(failure: TokenFailure): ConnectFailure {
  switch (failure.kind) {
    case 'invalid_grant':
    case 'rejected':
      return 'oauth_code_invalid';
    case 'client':
      return 'not_configured';
    case 'transient':
      return 'provider_unavailable';
    case 'identity':
      return 'oauth_identity_invalid';
    default: {
      const unreachable: never = failure.kind;
      return unreachable;
    }
  }
}

export function registerCallbackRoute(app: FastifyInstance, deps: ConnectRouteDeps): void {
  app.get(CALLBACK_PATH, async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    reply.header('set-cookie', clearedCookie(deps.publicUrl()));
    const oidc = deps.oidc();
    if (!oidc) return sendFailure(reply, 'not_configured');
    const query = (request.query ?? {}) as Record<string, unknown>;
    const state = typeof query.state === 'string' ? query.state : null;
    if (!state)
      return sendFailure(reply, 'oauth_state_invalid', 'The answer from Google carried no state.');

    const binding = checkBinding(deps.cookieKey, request.headers.cookie, state);
    if (binding === 'missing') {
      return sendFailure(
        reply,
        'oauth_state_invalid',
        'This browser did not start the sign-in (its cookie is missing). Open the link in the browser you started from.',
      );
    }
    if (binding === 'mismatch') {
      return sendFailure(
        reply,
        'oauth_state_invalid',
        'The sign-in answer does not belong to this browser session.',
      );
    }
    const consumed = await deps.states.consume(state);
    if (consumed.status === 'expired') return sendFailure(reply, 'oauth_state_expired');
    if (consumed.status !== 'ok')
      return sendFailure(reply, 'oauth_state_invalid', 'This sign-in answer was already used.');
    const pending = consumed.value;

    if (typeof query.error === 'string') {
      const hint =
        query.error === 'access_denied'
          ? undefined
          : `Google said “${query.error.replace(/[^a-z_]/gi, '').slice(0, 40)}” (for example, a Workspace administrator may block this app).`;
      return sendFailure(reply, 'oauth_access_denied', hint);
    }
    if (typeof query.code !== 'string' || query.code === '') {
      return sendFailure(reply, 'oauth_code_invalid');
    }

    let tokens: CodeExchange;
    try {
      tokens = await oidc.exchangeCode(new URL(`${deps.publicUrl()}${request.url}`), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedNonce: pending.nonce,
        expectedState: state,
      });
    } catch (error) {
      const failure = translateTokenError(error);
      const code = exchangeFailure(failure);
      deps.logger.warn(
        { kind: failure.kind, error: failure.message, page: code },
        'code exchange failed',
      );
      return sendFailure(reply, code);
    }
    const claims = tokens.claims;
    if (!claims || typeof claims.sub !== 'string' || typeof claims.email !== 'string') {
      return sendFailure(reply, 'oauth_identity_invalid');
    }
    if (claims.email_verified !== true) {
      return sendFailure(
        reply,
        'oauth_identity_invalid',
        'Google says this account’s email address is not verified.',
      );
    }
    try {
      const { connection, created } = await deps.connections.saveGrant({
        userId: pending.userId,
        subject: claims.sub,
        email: claims.email,
        displayName: typeof claims.name === 'string' ? claims.name : null,
        hostedDomain: typeof claims.hd === 'string' ? claims.hd : null,
        scopes: grantedScopes(tokens.scope, pending.scopes),
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresIn: tokens.expiresIn,
      });
      deps.logger.info(
        { connection: connection.id, created, capabilities: connection.capabilities },
        'Google account connected',
      );
      deps.onConnected?.();
      return reply.type('text/html; charset=utf-8').send(
        successPage({
          email: connection.email,
          capabilities: connection.capabilities,
          reconnected: !created,
        }),
      );
    } catch (error) {
      if (isTidingsError(error, 'oauth_no_refresh_token'))
        return sendFailure(reply, 'oauth_no_refresh_token');
      throw error;
    }
  });
}
