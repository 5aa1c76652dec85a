/**
 * Google OAuth: the OpenID Connect client (discovery, code exchange with PKCE and nonce, ID
 * token checks, refresh, revocation), connect tickets and OAuth states, the browser-binding
 * cookies, Telegram's login data on chat-issued links, and the connect routes with their
 * result pages (which name the Tidings account a Google account joins). Stores a completed
 * consent through `connections/`. Imports `connections/`, `users/` (types), `vault/`,
 * `db/`, `common/`, `errors.ts` and `log.ts`.
 */
export { CALLBACK_PATH, cookiePath } from './browser-binding.ts';
export { type ConnectRouteDeps, registerConnectRoutes, START_PATH } from './connect-routes.ts';
export { createGoogleOidc, type GoogleOidc, translateTokenError } from './google-oidc.ts';
export {
  createStateStore,
  createTicketStore,
  STATE_TTL_MS,
  type StateStore,
  TICKET_TTL_MS,
  type TicketStore,
} from './one-time-tokens.ts';
export { grantedScopes, normalizeScopes, SIGN_IN_SCOPES } from './scopes.ts';
