/**
 * `GET /oauth/google/start` and `GET /oauth/google/callback`: the browser half of connecting
 * a Google account. Start consumes a connect ticket, creates the OAuth state (PKCE, nonce,
 * expiry) and binds it to this browser with a signed cookie; the callback checks cookie and
 * state, consumes the state exactly once, exchanges the code, validates the ID token, and
 * stores the encrypted grant. Every outcome is a page; none is a 500.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import * as client from 'openid-client';
import type { ConnectionStore } from '../connections/index.ts';
import { isTidingsError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { secretEquals } from '../secret-equals.ts';
import { translateTokenError, type GoogleOidc } from './google-oidc.ts';
import { hashToken, type createStateStore, type createTicketStore } from './one-time-tokens.ts';
import { type ConnectFailure, failurePage, successPage } from './result-pages.ts';
import { normalizeScopes } from './scopes.ts';

export const CALLBACK_PATH = '/oauth/google/callback';
const COOKIE = 'tidings_oauth';

export interface ConnectRouteDeps {
  oidc: () => GoogleOidc | null;
  tickets: ReturnType<typeof createTicketStore>;
  states: ReturnType<typeof createStateStore>;
  connections: ConnectionStore;
  publicUrl: () => string;
  scopes: readonly string[];
  /** Signs the browser-binding cookie (derived from the master key). */
  cookieKey: Buffer;
  logger: Logger;
  /** Called after a grant was stored (the outbox then holds a "connected" notification). */
  onConnected?: () => void;
}

function sign(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export function registerConnectRoutes(app: FastifyInstance, deps: ConnectRouteDeps): void {
  const secure = () => deps.publicUrl().startsWith('https:');
  const cookieAttributes = () =>
    `Path=${CALLBACK_PATH}; HttpOnly; SameSite=Lax${secure() ? '; Secure' : ''}`;

  function fail(reply: FastifyReply, code: ConnectFailure, hint?: string) {
    const { status, html } = failurePage(code, hint);
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  app.get('/oauth/google/start', async (request, reply) => {
    const oidc = deps.oidc();
    if (!oidc) return fail(reply, 'not_configured');
    const { ticket } = (request.query ?? {}) as { ticket?: unknown };
    let config: client.Configuration;
    try {
      config = await oidc.configuration();
    } catch (error) {
      deps.logger.warn({ err: translateTokenError(error).message }, 'Google discovery failed');
      return fail(reply, 'provider_unavailable');
    }
    const consumed = await deps.tickets.consume(ticket);
    if (consumed.status === 'expired') return fail(reply, 'oauth_state_expired');
    if (consumed.status !== 'ok') {
      return fail(
        reply,
        'oauth_state_invalid',
        'This connect link was already used or is not valid.',
      );
    }
    const { userId, connectionId } = consumed.value;
    let loginHint: string | null = null;
    if (connectionId) {
      const known = (await deps.connections.list(userId)).find((c) => c.id === connectionId);
      loginHint = known?.email ?? null;
    }
    const codeVerifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = await deps.states.create({
      userId,
      connectionId,
      loginHint,
      codeVerifier,
      nonce,
      scopes: [...deps.scopes],
    });
    const parameters: Record<string, string> = {
      redirect_uri: `${deps.publicUrl()}${CALLBACK_PATH}`,
      response_type: 'code',
      scope: deps.scopes.join(' '),
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
    };
    if (loginHint) parameters.login_hint = loginHint;
    const binding = hashToken(state);
    reply.header(
      'set-cookie',
      `${COOKIE}=${binding}.${sign(deps.cookieKey, binding)}; Max-Age=600; ${cookieAttributes()}`,
    );
    reply.header('cache-control', 'no-store');
    return reply.redirect(client.buildAuthorizationUrl(config, parameters).href, 302);
  });

  app.get(CALLBACK_PATH, async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    reply.header('set-cookie', `${COOKIE}=; Max-Age=0; ${cookieAttributes()}`);
    const oidc = deps.oidc();
    if (!oidc) return fail(reply, 'not_configured');
    const query = (request.query ?? {}) as Record<string, unknown>;
    const state = typeof query.state === 'string' ? query.state : null;
    if (!state)
      return fail(reply, 'oauth_state_invalid', 'The answer from Google carried no state.');

    const cookie = readCookie(request.headers.cookie, COOKIE);
    if (!cookie) {
      return fail(
        reply,
        'oauth_state_invalid',
        'This browser did not start the sign-in (its cookie is missing). Open the link in the browser you started from.',
      );
    }
    const [binding = '', signature = ''] = cookie.split('.');
    if (
      !secretEquals(signature, sign(deps.cookieKey, binding)) ||
      !secretEquals(binding, hashToken(state))
    ) {
      return fail(
        reply,
        'oauth_state_invalid',
        'The sign-in answer does not belong to this browser session.',
      );
    }
    const consumed = await deps.states.consume(state);
    if (consumed.status === 'expired') return fail(reply, 'oauth_state_expired');
    if (consumed.status !== 'ok')
      return fail(reply, 'oauth_state_invalid', 'This sign-in answer was already used.');
    const pending = consumed.value;

    if (typeof query.error === 'string') {
      const hint =
        query.error === 'access_denied'
          ? undefined
          : `Google said “${query.error.replace(/[^a-z_]/gi, '').slice(0, 40)}” (for example, a Workspace administrator may block this app).`;
      return fail(reply, 'oauth_access_denied', hint);
    }

    let config: client.Configuration;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      config = await oidc.configuration();
      const currentUrl = new URL(`${deps.publicUrl()}${request.url}`);
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedNonce: pending.nonce,
        expectedState: state,
        idTokenExpected: true,
      });
    } catch (error) {
      return fail(reply, callbackFailure(error, deps.logger));
    }
    const claims = tokens.claims();
    if (!claims || typeof claims.sub !== 'string' || typeof claims.email !== 'string') {
      return fail(reply, 'oauth_identity_invalid');
    }
    if (claims.email_verified !== true) {
      return fail(
        reply,
        'oauth_identity_invalid',
        'Google says this account’s email address is not verified.',
      );
    }
    const scopes = normalizeScopes(
      typeof tokens.scope === 'string' ? tokens.scope : pending.scopes.join(' '),
    );
    try {
      const { connection, created } = await deps.connections.saveGrant({
        userId: pending.userId,
        subject: claims.sub,
        email: claims.email,
        displayName: typeof claims.name === 'string' ? claims.name : null,
        hostedDomain: typeof claims.hd === 'string' ? claims.hd : null,
        scopes,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token ?? null,
        expiresIn: typeof tokens.expires_in === 'number' ? tokens.expires_in : null,
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
        return fail(reply, 'oauth_no_refresh_token');
      throw error;
    }
  });
}

/** The one translation of a failed code exchange into a page. */
function callbackFailure(error: unknown, logger: Logger): ConnectFailure {
  if (error instanceof client.ResponseBodyError) {
    if (error.error === 'invalid_grant') return 'oauth_code_invalid';
    if (error.error === 'invalid_client' || error.error === 'unauthorized_client')
      return 'not_configured';
    return error.status >= 500 ? 'provider_unavailable' : 'oauth_code_invalid';
  }
  const failure = translateTokenError(error);
  const code = (error as { code?: string }).code ?? '';
  if (failure.kind === 'transient' && !code.startsWith('OAUTH_JWT') && !code.includes('CLAIM')) {
    const cause = (error as { cause?: unknown }).cause;
    const status = cause instanceof Response ? cause.status : 0;
    if (status === 0 || status >= 500 || status === 429 || error instanceof TypeError) {
      logger.warn({ error: failure.message }, 'code exchange failed: Google unavailable');
      return 'provider_unavailable';
    }
  }
  logger.warn(
    { error: (error as Error).message?.slice(0, 200), code },
    'ID token or code exchange rejected',
  );
  return 'oauth_identity_invalid';
}
