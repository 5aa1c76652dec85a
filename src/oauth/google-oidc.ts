/**
 * Tidings' own Google OAuth client, on openid-client against `GOOGLE_ISSUER`: discovery
 * (cached, retried after a failure), the code exchange with PKCE, state and nonce checks
 * and the ID token's signature checked against the issuer's published keys, refresh and
 * revocation. It is the connections core's `TokenEndpoint`; library and network errors
 * become a `TokenFailure` in exactly one function, `translateTokenError`.
 */
import * as client from 'openid-client';
import { type RefreshResult, type TokenEndpoint, TokenFailure } from '../connections/index.ts';
import { normalizeScopes } from './scopes.ts';

export interface GoogleOidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Seconds per request to Google's OAuth endpoints. */
  timeoutSeconds?: number;
  fetch?: typeof fetch;
}

/** What a validated code exchange gives: the tokens and the ID token's claims. */
export interface CodeExchange {
  accessToken: string;
  refreshToken: string | null;
  expiresIn: number | null;
  /** Space-separated granted scopes, or null when the answer carried none. */
  scope: string | null;
  claims: client.IDToken | undefined;
}

export interface CodeChecks {
  pkceCodeVerifier: string;
  expectedNonce: string;
  expectedState: string;
}

export interface GoogleOidc extends TokenEndpoint {
  configuration(): Promise<client.Configuration>;
  /** Exchanges the callback's code; failures are `TokenFailure`s. */
  exchangeCode(callbackUrl: URL, checks: CodeChecks): Promise<CodeExchange>;
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

function retryAfterOf(response: Response | undefined): number | null {
  const value = response?.headers.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : null;
}

/** openid-client codes meaning "the answer did not validate" (signature, claims, shape). */
const IDENTITY_CODES: ReadonlySet<string> = new Set([
  'OAUTH_INVALID_RESPONSE',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  'OAUTH_KEY_SELECTION_FAILED',
  'OAUTH_PARSE_ERROR',
  'OAUTH_UNSUPPORTED_OPERATION',
]);

/** An answer openid-client could not use, by its HTTP status (0: none came). */
function fromStatus(status: number, code: string, response?: Response): TokenFailure {
  const message =
    status === 0
      ? `Google's OAuth endpoint failed (${code || 'error'})`
      : `Google's OAuth endpoint answered ${status}`;
  if (status === 0 || status >= 500 || status === 429) {
    return new TokenFailure('transient', message, { retryAfterSeconds: retryAfterOf(response) });
  }
  return new TokenFailure('rejected', message);
}

/** The one translation point for openid-client / fetch errors. Messages carry no secrets. */
export function translateTokenError(error: unknown): TokenFailure {
  if (error instanceof TokenFailure) return error;
  if (error instanceof client.ResponseBodyError) {
    const body = (error.cause ?? {}) as { error_subtype?: unknown };
    const oauthError = error.error;
    const subtype = typeof body.error_subtype === 'string' ? body.error_subtype : null;
    if (oauthError === 'invalid_grant') {
      return new TokenFailure('invalid_grant', `Google refused the grant (${oauthError})`, {
        oauthError,
        subtype,
      });
    }
    if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
      return new TokenFailure('client', `Google refused the OAuth client (${oauthError})`, {
        oauthError,
      });
    }
    if (error.status >= 500 || error.status === 429) {
      return new TokenFailure('transient', `Google's token endpoint answered ${error.status}`, {
        oauthError,
        retryAfterSeconds: retryAfterOf(error.response),
      });
    }
    return new TokenFailure(
      'rejected',
      `Google's token endpoint answered ${error.status} ${oauthError}`,
      { oauthError },
    );
  }
  if (error instanceof client.ClientError) {
    const code = error.code ?? '';
    if (IDENTITY_CODES.has(code)) {
      return new TokenFailure('identity', `Google's answer did not validate (${code})`);
    }
    const cause = (error as { cause?: unknown }).cause;
    const response = cause instanceof Response ? cause : undefined;
    return fromStatus(response?.status ?? 0, code, response);
  }
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError' || error instanceof TypeError) {
    return new TokenFailure('transient', 'Google could not be reached');
  }
  return new TokenFailure('transient', `Google OAuth call failed (${name ?? 'error'})`);
}

export function createGoogleOidc(settings: GoogleOidcSettings): GoogleOidc {
  let discovered: Promise<client.Configuration> | null = null;
  const issuer = new URL(settings.issuer);

  function configuration(): Promise<client.Configuration> {
    discovered ??= (async () => {
      const options: client.DiscoveryRequestOptions = { timeout: settings.timeoutSeconds ?? 10 };
      if (issuer.protocol === 'http:' && isLoopback(issuer))
        options.execute = [client.allowInsecureRequests];
      const config = await client.discovery(
        issuer,
        settings.clientId,
        { client_secret: settings.clientSecret },
        client.ClientSecretPost(settings.clientSecret),
        options,
      );
      config.timeout = settings.timeoutSeconds ?? 10;
      if (settings.fetch)
        config[client.customFetch] = settings.fetch as unknown as client.CustomFetch;
      // Check ID token signatures against the issuer's JWKS, not only their claims.
      client.enableNonRepudiationChecks(config);
      return config;
    })();
    discovered.catch(() => {
      discovered = null; // try again next time
    });
    return discovered;
  }

  return {
    configuration,
    async exchangeCode(callbackUrl, checks) {
      try {
        const config = await configuration();
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          ...checks,
          idTokenExpected: true,
        });
        return {
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token ?? null,
          expiresIn: typeof tokens.expires_in === 'number' ? tokens.expires_in : null,
          scope: typeof tokens.scope === 'string' ? tokens.scope : null,
          claims: tokens.claims(),
        };
      } catch (error) {
        throw translateTokenError(error);
      }
    },
    async refresh(refreshToken): Promise<RefreshResult> {
      try {
        const config = await configuration();
        const response = await client.refreshTokenGrant(config, refreshToken);
        return {
          accessToken: response.access_token,
          expiresIn: typeof response.expires_in === 'number' ? response.expires_in : null,
          refreshToken: response.refresh_token ?? null,
          scopes: typeof response.scope === 'string' ? normalizeScopes(response.scope) : null,
        };
      } catch (error) {
        throw translateTokenError(error);
      }
    },
    async revoke(token) {
      try {
        const config = await configuration();
        await client.tokenRevocation(config, token);
      } catch (error) {
        const failure = translateTokenError(error);
        // An unknown or already revoked token: the grant is gone, which is what we wanted.
        if (failure.oauthError === 'invalid_token' || failure.kind === 'invalid_grant') return;
        throw failure;
      }
    },
  };
}
