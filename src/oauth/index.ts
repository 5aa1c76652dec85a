export { CALLBACK_PATH, type ConnectRouteDeps, registerConnectRoutes } from './connect-routes.ts';
export {
  createGoogleOidc,
  type GoogleOidc,
  type RefreshResult,
  TokenFailure,
  translateTokenError,
} from './google-oidc.ts';
export {
  createStateStore,
  createTicketStore,
  STATE_TTL_MS,
  TICKET_TTL_MS,
} from './one-time-tokens.ts';
export { normalizeScopes } from './scopes.ts';
