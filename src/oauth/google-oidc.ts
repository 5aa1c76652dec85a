/**
 * Tidings' own Google OAuth client, on openid-client against `GOOGLE_ISSUER`: discovery
 * (cached, retried after a failure), the authorization URL, the code exchange with PKCE,
 * state and nonce checks, refresh and revocation. Library errors become a `TokenFailure`
 * in exactly one function.
 */
import * as client from 'openid-client';

export interface GoogleOidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Seconds per request to Google's OAuth endpoints. */
  timeoutSeconds?: number;
  fetch?: typeof fetch;
}

export type TokenFailureKind =
  /** The grant is gone (revoked, expired, password change…): never retry. */
  | 'invalid_grant'
  /** Google or the network failed: retry later. */
  | 'transient'
  /** Our client is misconfigured (invalid_client, unauthorized_client). */
  | 'client';

export class TokenFailure extends Error {
  readonly kind: TokenFailureKind;
  readonly oauthError: string | null;
  readonly subtype: string | null;
  readonly retryAfterSeconds: number | null;
  constructor(
    kind: TokenFailureKind,
    message: string,
    extra: {
      oauthError?: string | null;
      subtype?: string | null;
      retryAfterSeconds?: number | null;
    } = {},
  ) {
    super(message);
    this.name = 'TokenFailure';
    this.kind = kind;
    this.oauthError = extra.oauthError ?? null;
    this.subtype = extra.subtype ?? null;
    this.retryAfterSeconds = extra.retryAfterSeconds ?? null;
  }
}

export interface RefreshResult {
  accessToken: string;
  /** Seconds; null when Google did not say (treated as already expired). */
  expiresIn: number | null;
  /** Present only when Google rotated it. */
  refreshToken: string | null;
  scopes: string[] | null;
}

export interface GoogleOidc {
  configuration(): Promise<client.Configuration>;
  refresh(refreshToken: string): Promise<RefreshResult>;
  /** Revokes the whole grant. Resolves when Google confirmed or said it was already gone. */
  revoke(token: string): Promise<void>;
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

/** The one translation point for openid-client / fetch errors. Messages carry no secrets. */
export function translateTokenError(error: unknown): TokenFailure {
  if (error instanceof TokenFailure) return error;
  if (error instanceof client.ResponseBodyError) {
    const body = (error.cause ?? {}) as { error_subtype?: string };
    const status = error.status;
    if (error.error === 'invalid_grant') {
      return new TokenFailure('invalid_grant', `Google refused the grant (${error.error})`, {
        oauthError: error.error,
        subtype: body.error_subtype ?? null,
      });
    }
    if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
      return new TokenFailure('client', `Google refused the OAuth client (${error.error})`, {
        oauthError: error.error,
      });
    }
    if (status >= 500 || status === 429) {
      return new TokenFailure('transient', `Google's token endpoint answered ${status}`, {
        oauthError: error.error,
        retryAfterSeconds: retryAfterOf(error.response),
      });
    }
    return new TokenFailure('client', `Google's token endpoint answered ${status} ${error.error}`, {
      oauthError: error.error,
    });
  }
  if (error instanceof client.ClientError) {
    const cause = (error as { cause?: unknown }).cause;
    const response = cause instanceof Response ? cause : undefined;
    const status = response?.status ?? 0;
    if (status === 0 || status >= 500 || status === 429) {
      return new TokenFailure(
        'transient',
        `Google's OAuth endpoint failed (${error.code ?? 'error'}${status ? ` ${status}` : ''})`,
        {
          retryAfterSeconds: retryAfterOf(response),
        },
      );
    }
    return new TokenFailure(
      'client',
      `Google's OAuth endpoint answered unexpectedly (${error.code ?? 'error'})`,
    );
  }
  const name = (error as Error)?.name;
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
      return config;
    })();
    discovered.catch(() => {
      discovered = null; // try again next time
    });
    return discovered;
  }

  return {
    configuration,
    async refresh(refreshToken) {
      try {
        const config = await configuration();
        const response = await client.refreshTokenGrant(config, refreshToken);
        return {
          accessToken: response.access_token,
          expiresIn: typeof response.expires_in === 'number' ? response.expires_in : null,
          refreshToken: response.refresh_token ?? null,
          scopes:
            typeof response.scope === 'string' ? response.scope.split(' ').filter(Boolean) : null,
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
        // An unknown or already revoked token: the grant is gone, which is what we wanted.
        if (
          error instanceof client.ResponseBodyError &&
          (error.error === 'invalid_token' || error.error === 'invalid_grant')
        ) {
          return;
        }
        throw translateTokenError(error);
      }
    },
  };
}
