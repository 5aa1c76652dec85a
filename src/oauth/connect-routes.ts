/**
 * The browser half of connecting a Google account. `GET /oauth/google/start?ticket=…` (the
 * URL people are given) only shows a "Continue to Google" button naming the Tidings
 * account the Google account will join, so a link preview or a mail scanner fetching it
 * burns nothing; the button's `POST` consumes the ticket, creates the OAuth state (PKCE,
 * nonce, expiry), binds it to this browser with a signed cookie and redirects to Google.
 * A chat-issued link takes both steps only with Telegram's login data for the user it was
 * issued to (`link-holder.ts`). The callback (`callback-route.ts`) finishes. Every outcome
 * is a page; none is a 500.
 */
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply } from 'fastify';
import * as client from 'openid-client';
import { bindingCookies, CALLBACK_PATH } from './browser-binding.ts';
import { registerCallbackRoute } from './callback-route.ts';
import { translateTokenError } from './google-oidc.ts';
import { openLink } from './link-holder.ts';
import { continuePage, sendFailure } from './result-pages.ts';
import type { ConnectRouteDeps } from './route-deps.ts';

export { CALLBACK_PATH } from './browser-binding.ts';
export type { ConnectRouteDeps } from './route-deps.ts';
export const START_PATH = '/oauth/google/start';

export function registerConnectRoutes(app: FastifyInstance, deps: ConnectRouteDeps): void {
  async function discovered(reply: FastifyReply): Promise<client.Configuration | null> {
    const oidc = deps.oidc();
    if (!oidc) {
      sendFailure(reply, 'not_configured');
      return null;
    }
    try {
      return await oidc.configuration();
    } catch (error) {
      deps.logger.warn({ err: translateTokenError(error).message }, 'Google discovery failed');
      sendFailure(reply, 'provider_unavailable');
      return null;
    }
  }

  function ticketFailure(reply: FastifyReply, status: 'unknown' | 'expired') {
    if (status === 'expired') return sendFailure(reply, 'oauth_state_expired');
    return sendFailure(
      reply,
      'oauth_state_invalid',
      'This connect link was already used or is not valid.',
    );
  }

  app.get(START_PATH, async (request, reply) => {
    const config = await discovered(reply);
    if (!config) return reply;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const known = await deps.tickets.peek(query.ticket);
    if (known.status !== 'ok') return ticketFailure(reply, known.status);
    const opened = await openLink(deps, known.value, query);
    if (!opened.ok) return sendFailure(reply, opened.failure, opened.hint);
    // The button posts here, and the answer redirects to Google: allow both for the form.
    const google = new URL(config.serverMetadata().authorization_endpoint ?? deps.publicUrl());
    return reply
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${google.origin}; frame-ancestors 'none'; base-uri 'none'`,
      )
      .type('text/html; charset=utf-8')
      .send(
        continuePage({
          action: `${deps.publicUrl()}${START_PATH}`,
          ticket: String(query.ticket),
          ...opened.value,
        }),
      );
  });

  app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 4096 });
    scope.post(START_PATH, async (request, reply) => {
      const config = await discovered(reply);
      if (!config) return reply;
      const form = (request.body ?? {}) as Record<string, unknown>;
      // A refused holder uses the ticket up too: a forwarded link dies at its first misuse.
      const consumed = await deps.tickets.consume(form.ticket);
      if (consumed.status !== 'ok') return ticketFailure(reply, consumed.status);
      const opened = await openLink(deps, consumed.value, form);
      if (!opened.ok) return sendFailure(reply, opened.failure, opened.hint);
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
      return reply
        .header(
          'set-cookie',
          bindingCookies(deps.cookieKey, state, {
            publicUrl: deps.publicUrl(),
            cookieHeader: request.headers.cookie,
            now: deps.now(),
          }),
        )
        .header('cache-control', 'no-store')
        .redirect(client.buildAuthorizationUrl(config, parameters).href, 303);
    });
  });

  registerCallbackRoute(app, deps);
}
