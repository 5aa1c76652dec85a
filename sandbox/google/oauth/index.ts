/**
 * The Google sandbox's OAuth 2.0 / OpenID Connect wing: discovery and the signing key
 * (JWKS), the authorization endpoint with its consent and error pages, the token endpoint
 * (client authentication, codes, PKCE, refresh), ID tokens, revocation, userinfo and
 * tokeninfo, the grant and token store, the scopes Google knows, and the access-token
 * check behind `SandboxContext.authorize` that the Gmail and Calendar routes rely on.
 *
 * Imports from the rest of the sandbox only `../context.ts` (users, scope names),
 * `../google-errors.ts` (the API error envelope) and `../escape-html.ts`: never the core's
 * state, `control/`, `risc/`, `gmail/` or `calendar/`, which build on this wing. Routes
 * take the narrow `OAuthState`, which the core's `SandboxState` extends.
 * Nothing here imports from `src/`.
 */
export { accessTokenOwner, authorizeRequest, bearerOf, bearerToken } from './access-check.ts';
export { authenticateClient } from './client-auth.ts';
export type { OAuthClient } from './clients.ts';
export { renderErrorPage } from './consent-page.ts';
export {
  clearGrantStore,
  createGrantStore,
  DEFAULT_REFRESH_TOKENS_PER_CLIENT,
  revokeUserGrants,
} from './grants.ts';
export type { GrantStore } from './grants.ts';
export type { OAuthSettings, OAuthState, OAuthStats } from './oauth-state.ts';
export { registerOAuthRoutes } from './routes.ts';
export type { OAuthRouteDeps } from './routes.ts';
export { parseScopes, USERINFO_EMAIL, USERINFO_PROFILE } from './scopes.ts';
export { createSigningKey } from './signing-key.ts';
export type { SigningKey } from './signing-key.ts';
