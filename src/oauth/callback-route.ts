/**
 * `GET /oauth/google/callback`: a cookie must bind this browser to the `state`, and only
 * that cookie is cleared (a stray or cross-site hit, or another sign-in in the same
 * browser, leaves the others alone); the state is consumed atomically (a replay finds
 * nothing); Google's `?error=` becomes a friendly page; the code is exchanged with PKCE and
 * the nonce, the ID token's signature and claims are validated, the email must be
 * verified, and the encrypted grant is stored. Every outcome is a page; none is a 500. The
 * steps are in `callback-steps.ts`. Each callback is counted by outcome: `connected`, or
 * the stable error code of its failure page (or of what was thrown, `internal_error` for a
 * bug), never anything about the account.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TidingsError } from '../errors.ts';
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
import { type ConnectFailure, sendFailure, successPage } from './result-pages.ts';
import type { ConnectRouteDeps } from './route-deps.ts';

/** How a callback ended: the success page, or the failure page with this code. */
type Ended = { outcome: 'connected' } | Failed;

async function answer(
  deps: ConnectRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Ended> {
  const oidc = deps.oidc();
  if (!oidc) return { ok: false, failure: 'not_configured' };
  const query = (request.query ?? {}) as Record<string, unknown>;
  const bound = boundState(deps, request.headers.cookie, query);
  if (!bound.ok) return bound;
  // This sign-in ends here, however it ends: its binding is spent.
  reply.header('set-cookie', clearedCookie(bound.value, deps.publicUrl()));
  const consumed = await consumeState(deps, bound.value);
  if (!consumed.ok) return consumed;
  const refusal = googleRefusal(query);
  if (refusal) return refusal;
  const tokens = await exchangeCode(deps, oidc, request.url, consumed.value);
  if (!tokens.ok) return tokens;
  const identity = checkIdentity(tokens.value);
  if (!identity.ok) return identity;
  const stored = await storeGrant(deps, consumed.value.pending, tokens.value, identity.value);
  if (!stored.ok) return stored;
  reply.type('text/html; charset=utf-8').send(successPage(stored.value));
  return { outcome: 'connected' };
}

export function registerCallbackRoute(app: FastifyInstance, deps: ConnectRouteDeps): void {
  const count = (outcome: ConnectFailure | 'connected' | 'internal_error' | TidingsError['code']) =>
    deps.metrics?.oauthCallbacks.inc({ outcome });
  app.get(CALLBACK_PATH, async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    let ended: Ended;
    try {
      ended = await answer(deps, request, reply);
    } catch (error) {
      count(error instanceof TidingsError ? error.code : 'internal_error');
      throw error;
    }
    if ('outcome' in ended) {
      count(ended.outcome);
      return reply;
    }
    count(ended.failure);
    return sendFailure(reply, ended.failure, ended.hint);
  });
}
