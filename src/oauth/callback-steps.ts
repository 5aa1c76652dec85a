/**
 * The steps of `GET /oauth/google/callback`, in the order the route takes them: find the
 * state this browser is bound to, consume it, read Google's answer, exchange the code,
 * check the identity, store the grant (a reconnect only over the account it reconnects).
 * Each step answers a value or the failure page to show instead (`ok: false`); the route
 * only sends. Failures expected from a browser or from Google are values here; anything
 * else propagates.
 */
import type { TokenFailure } from '../connections/index.ts';
import { isTidingsError } from '../errors.ts';
import { checkBinding } from './browser-binding.ts';
import { type CodeExchange, type GoogleOidc, translateTokenError } from './google-oidc.ts';
import type { PendingAuthorization } from './one-time-tokens.ts';
import type { ConnectFailure, SuccessDetails } from './result-pages.ts';
import type { ConnectRouteDeps } from './route-deps.ts';
import { grantedScopes } from './scopes.ts';

/** The failure page a step ends the callback with. */
export interface Failed {
  ok: false;
  failure: ConnectFailure;
  hint?: string | undefined;
}

export type Step<T> = { ok: true; value: T } | Failed;

const done = <T>(value: T): Step<T> => ({ ok: true, value });
const failed = (failure: ConnectFailure, hint?: string): Failed => ({ ok: false, failure, hint });

/** The consent this callback finishes: its state and what was stored with it. */
export interface ConsumedState {
  state: string;
  pending: PendingAuthorization;
}

/** The account the ID token names, its email verified by Google. */
export interface GoogleIdentity {
  subject: string;
  email: string;
  displayName: string | null;
  hostedDomain: string | null;
}

function bindingFailure(binding: 'missing' | 'mismatch'): Failed {
  return binding === 'missing'
    ? failed(
        'oauth_state_invalid',
        'This browser did not start the sign-in (its cookie is missing). Open the link in the browser you started from.',
      )
    : failed('oauth_state_invalid', 'The sign-in answer does not belong to this browser session.');
}

/** The `state` of Google's answer, when this browser's cookie binds it to that state. */
export function boundState(
  deps: Pick<ConnectRouteDeps, 'cookieKey'>,
  cookieHeader: string | undefined,
  query: Record<string, unknown>,
): Step<string> {
  const state = typeof query.state === 'string' ? query.state : null;
  if (!state) return failed('oauth_state_invalid', 'The answer from Google carried no state.');
  const binding = checkBinding(deps.cookieKey, cookieHeader, state);
  if (binding !== 'ok') return bindingFailure(binding);
  return done(state);
}

/** Uses the state up: a replayed answer finds nothing. */
export async function consumeState(
  deps: Pick<ConnectRouteDeps, 'states'>,
  state: string,
): Promise<Step<ConsumedState>> {
  const consumed = await deps.states.consume(state);
  if (consumed.status === 'expired') return failed('oauth_state_expired');
  if (consumed.status !== 'ok')
    return failed('oauth_state_invalid', 'This sign-in answer was already used.');
  return done({ state, pending: consumed.value });
}

/** Google's `?error=` (or an answer without a code) as a page; null when there is a code. */
export function googleRefusal(query: Record<string, unknown>): Failed | null {
  if (typeof query.error === 'string') {
    const hint =
      query.error === 'access_denied'
        ? undefined
        : `Google said “${query.error.replace(/[^a-z_]/gi, '').slice(0, 40)}” (for example, a Workspace administrator may block this app).`;
    return failed('oauth_access_denied', hint);
  }
  if (typeof query.code !== 'string' || query.code === '') return failed('oauth_code_invalid');
  return null;
}

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

/** Exchanges the code with PKCE, the nonce and the state; the ID token is validated. */
export async function exchangeCode(
  deps: Pick<ConnectRouteDeps, 'publicUrl' | 'logger'>,
  oidc: GoogleOidc,
  requestUrl: string,
  consumed: ConsumedState,
): Promise<Step<CodeExchange>> {
  try {
    return done(
      await oidc.exchangeCode(new URL(`${deps.publicUrl()}${requestUrl}`), {
        pkceCodeVerifier: consumed.pending.codeVerifier,
        expectedNonce: consumed.pending.nonce,
        expectedState: consumed.state,
      }),
    );
  } catch (error) {
    const failure = translateTokenError(error);
    const code = exchangeFailure(failure);
    deps.logger.warn(
      { kind: failure.kind, error: failure.message, page: code },
      'code exchange failed',
    );
    return failed(code);
  }
}

/** The ID token must name an account (`sub`) with an email Google has verified. */
export function checkIdentity(tokens: CodeExchange): Step<GoogleIdentity> {
  const claims = tokens.claims;
  if (!claims || typeof claims.sub !== 'string' || typeof claims.email !== 'string') {
    return failed('oauth_identity_invalid');
  }
  if (claims.email_verified !== true) {
    return failed(
      'oauth_identity_invalid',
      'Google says this account’s email address is not verified.',
    );
  }
  return done({
    subject: claims.sub,
    email: claims.email,
    displayName: typeof claims.name === 'string' ? claims.name : null,
    hostedDomain: typeof claims.hd === 'string' ? claims.hd : null,
  });
}

/** Stores the encrypted grant; answers what the success page shows. */
export async function storeGrant(
  deps: Pick<ConnectRouteDeps, 'connections' | 'users' | 'logger' | 'onConnected'>,
  pending: PendingAuthorization,
  tokens: CodeExchange,
  identity: GoogleIdentity,
): Promise<Step<SuccessDetails>> {
  const user = await deps.users.get(pending.userId);
  if (!user) return failed('oauth_state_invalid', 'This account no longer exists.');
  try {
    const { connection, created } = await deps.connections.saveGrant({
      userId: pending.userId,
      reconnect: pending.connectionId,
      subject: identity.subject,
      email: identity.email,
      displayName: identity.displayName,
      hostedDomain: identity.hostedDomain,
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
    return done({
      email: connection.email,
      capabilities: connection.capabilities,
      reconnected: !created,
      account: { displayName: user.displayName, telegramUserId: user.telegramUserId },
    });
  } catch (error) {
    if (isTidingsError(error, 'oauth_no_refresh_token')) return failed('oauth_no_refresh_token');
    // A reconnect link signed in to another Google account than the one it reconnects.
    if (isTidingsError(error, 'oauth_identity_invalid')) {
      return failed('oauth_identity_invalid', error.message);
    }
    throw error;
  }
}
