/**
 * Mounts every OAuth 2.0 / OpenID Connect endpoint of the sandbox on the core's Fastify
 * app: discovery and JWKS, the authorization endpoint with its consent page, the token
 * endpoint, and revocation, userinfo and tokeninfo; and the control route that mints many
 * grants at once for tests and benchmarks.
 */
import type { FastifyInstance } from 'fastify';
import { registerAccountRoutes } from './account-routes.ts';
import { registerAuthorizeRoutes } from './authorize-routes.ts';
import { registerDiscoveryRoutes } from './discovery-routes.ts';
import { registerGrantMintRoute } from './grant-mint-route.ts';
import type { OAuthState } from './oauth-state.ts';
import type { SigningKey } from './signing-key.ts';
import { registerTokenRoute } from './token-route.ts';

export interface OAuthRouteDeps {
  state: OAuthState;
  /** Signs ID tokens; its public half is the JWKS at `/oauth2/v3/certs`. */
  key: SigningKey;
  now(): Date;
  /** The sandbox's base URL, which is also the issuer. */
  baseUrl(): string;
}

export function registerOAuthRoutes(app: FastifyInstance, deps: OAuthRouteDeps): void {
  const { state, key, now, baseUrl } = deps;
  registerDiscoveryRoutes(app, { key, baseUrl, now });
  registerAuthorizeRoutes(app, { state, now });
  registerTokenRoute(app, { state, key, now, baseUrl });
  registerAccountRoutes(app, { state, now, baseUrl });
  registerGrantMintRoute(app, { state, now });
}
