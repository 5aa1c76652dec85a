/**
 * Google's authorization endpoint, `GET|POST /o/oauth2/v2/auth`: checks the request,
 * shows the consent page (or answers at once in auto-approve mode or for `prompt=none`),
 * and sends the browser back to the app with a code or an error.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkAuthorizationRequest, redirectLocation } from './authorization-request.ts';
import type { AuthorizationRequest } from './authorization-request.ts';
import { renderConsentPage, renderErrorPage } from './consent-page.ts';
import { grantKey, recordConsent } from './grants.ts';
import type { OAuthState } from './oauth-state.ts';
import { formatScopes, isSignInScope } from './scopes.ts';

export interface AuthorizeRouteDeps {
  state: OAuthState;
  now(): Date;
}

/** How long a consent page stays answerable. */
const PENDING_LIFETIME_MS = 10 * 60 * 1000;

function sendPage(reply: FastifyReply, status: number, error: string, description: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(renderErrorPage(status, error, description));
}

/** Records the consent and returns where the browser goes next (the app, with a code). */
function approve(
  deps: AuthorizeRouteDeps,
  request: AuthorizationRequest,
  email: string,
  grantable: string[],
): string {
  const granted = request.scopes.filter((s) => isSignInScope(s) || grantable.includes(s));
  const { code, scopes } = recordConsent(deps.state.grants, deps.now().getTime(), {
    clientId: request.clientId,
    email,
    redirectUri: request.redirectUri,
    granted,
    accessType: request.accessType,
    promptConsent: request.prompt.includes('consent'),
    includeGrantedScopes: request.includeGrantedScopes,
    codeChallenge: request.codeChallenge,
    nonce: request.nonce,
  });
  return redirectLocation(request.redirectUri, {
    ...(request.state === null ? {} : { state: request.state }),
    code,
    scope: formatScopes(scopes),
  });
}

function denied(request: AuthorizationRequest, error: string): string {
  return redirectLocation(request.redirectUri, {
    error,
    ...(request.state === null ? {} : { state: request.state }),
  });
}

/** `prompt=none`: answer without a page when the user already granted every scope asked for. */
function silent(deps: AuthorizeRouteDeps, request: AuthorizationRequest): string {
  const candidates = request.loginHint ? [request.loginHint] : [...deps.state.users.keys()];
  const granted = candidates.filter((email) => {
    const grant = deps.state.grants.grants.get(grantKey(email, request.clientId));
    return (
      grant !== undefined && request.scopes.every((s) => isSignInScope(s) || grant.scopes.has(s))
    );
  });
  const email = granted[0];
  if (granted.length !== 1 || email === undefined) {
    return denied(request, granted.length > 1 ? 'interaction_required' : 'consent_required');
  }
  return approve(deps, request, email, request.scopes);
}

function formList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export function registerAuthorizeRoutes(app: FastifyInstance, deps: AuthorizeRouteDeps): void {
  app.get('/o/oauth2/v2/auth', async (req, reply) => {
    const check = checkAuthorizationRequest(
      req.query as Record<string, unknown>,
      deps.state.clients,
    );
    if (check.kind === 'page') return sendPage(reply, check.status, check.error, check.description);
    if (check.kind === 'redirect') {
      return reply.redirect(redirectLocation(check.redirectUri, check.params), 302);
    }
    const request = check.request;
    if (deps.state.autoDeny !== null) {
      return reply.redirect(denied(request, deps.state.autoDeny), 302);
    }
    const auto = deps.state.autoApprove;
    if (auto && deps.state.users.has(auto.email)) {
      const grantable = auto.scopes ?? request.scopes;
      return reply.redirect(approve(deps, request, auto.email, grantable), 302);
    }
    if (request.prompt.includes('none')) return reply.redirect(silent(deps, request), 302);

    const nowMs = deps.now().getTime();
    for (const [id, pending] of deps.state.pending) {
      if (pending.expiresAt <= nowMs) deps.state.pending.delete(id);
    }
    const requestId = randomBytes(24).toString('base64url');
    deps.state.pending.set(requestId, { ...request, expiresAt: nowMs + PENDING_LIFETIME_MS });
    const users = [...deps.state.users.values()];
    const hinted =
      request.loginHint && deps.state.users.has(request.loginHint) ? request.loginHint : null;
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        renderConsentPage({
          requestId,
          clientId: request.clientId,
          users,
          selectedEmail: hinted,
          scopes: request.scopes,
        }),
      );
  });

  app.post('/o/oauth2/v2/auth', async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const requestId = formList(form.request_id)[0] ?? '';
    const request = deps.state.pending.get(requestId);
    deps.state.pending.delete(requestId);
    if (!request || request.expiresAt <= deps.now().getTime()) {
      return sendPage(
        reply,
        400,
        'invalid_request',
        'This sign-in request has expired or was already answered. Start again from the app.',
      );
    }
    const action = formList(form.action)[0];
    if (action !== 'allow') return reply.redirect(denied(request, 'access_denied'), 302);
    const email = formList(form.account)[0]?.toLowerCase() ?? '';
    if (!deps.state.users.has(email)) {
      return sendPage(
        reply,
        400,
        'invalid_request',
        'Choose one of the accounts on the sign-in page.',
      );
    }
    return reply.redirect(approve(deps, request, email, formList(form.scope)), 302);
  });
}
