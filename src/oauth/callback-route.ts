/**
 * `GET /oauth/google/callback`: a cookie must bind this browser to the `state`, and only
 * that cookie is cleared (a stray or cross-site hit, or another sign-in in the same
 * browser, leaves the others alone); the state is consumed atomically (a replay finds
 * nothing); Google's `?error=` becomes a friendly page; the code is exchanged with PKCE and
 * the nonce, the ID token's signature and claims are validated, the email must be
 * verified, and the encrypted grant is stored. Every outcome is a page; none is a 500. The
 * steps are in `callback-steps.ts`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CALLBACK_PATH, clearedCookie } from './browser-binding.ts';
import {
  boundState,
  checkIdentity,
  consumeState,
  exchangeCode,
  type Failed,
  googleRefusal,
  storeGrant,
} from './callback-steps.ts';
import { sendFailure, successPage } from './result-pages.ts';
import type { ConnectRouteDeps } from './route-deps.ts';

function sendFailed(reply: FastifyReply, failed: Failed) {
  return sendFailure(reply, failed.failure, failed.hint);
}

export function registerCallbackRoute(app: FastifyInstance, deps: ConnectRouteDeps): void {
  app.get(CALLBACK_PATH, async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    const oidc = deps.oidc();
    if (!oidc) return sendFailure(reply, 'not_configured');
    const query = (request.query ?? {}) as Record<string, unknown>;
    const bound = boundState(deps, request.headers.cookie, query);
    if (!bound.ok) return sendFailed(reply, bound);
    // This sign-in ends here, however it ends: its binding is spent.
    reply.header('set-cookie', clearedCookie(bound.value, deps.publicUrl()));
    const consumed = await consumeState(deps, bound.value);
    if (!consumed.ok) return sendFailed(reply, consumed);
    const refusal = googleRefusal(query);
    if (refusal) return sendFailed(reply, refusal);
    const tokens = await exchangeCode(deps, oidc, request.url, consumed.value);
    if (!tokens.ok) return sendFailed(reply, tokens);
    const identity = checkIdentity(tokens.value);
    if (!identity.ok) return sendFailed(reply, identity);
    const stored = await storeGrant(deps, consumed.value.pending, tokens.value, identity.value);
    if (!stored.ok) return sendFailed(reply, stored);
    return reply.type('text/html; charset=utf-8').send(successPage(stored.value));
  });
}
