export { CALLBACK_PATH, cookiePath } from './browser-binding.ts';
export { type ConnectRouteDeps, registerConnectRoutes, START_PATH } from './connect-routes.ts';
export { createGoogleOidc, type GoogleOidc, translateTokenError } from './google-oidc.ts';
export {
  createStateStore,
  createTicketStore,
  STATE_TTL_MS,
  TICKET_TTL_MS,
} from './one-time-tokens.ts';
export { grantedScopes, normalizeScopes, SIGN_IN_SCOPES } from './scopes.ts';
