/**
 * What the connections core needs from Google's token endpoint, and how its failures
 * look: the OAuth client (`oauth/google-oidc.ts`) implements this and turns every library
 * error into a `TokenFailure` in one place; the broker and the store only read `kind`.
 */

export type TokenFailureKind =
  /** The grant (or the authorization code) is gone: revoked, expired, reused. Never retry. */
  | 'invalid_grant'
  /** Google or the network failed: retry later. */
  | 'transient'
  /** Google refused our OAuth client (invalid_client, unauthorized_client). */
  | 'client'
  /** Google refused the request for another reason (another 4xx `error`). */
  | 'rejected'
  /** The answer did not validate (ID token signature or claims, malformed response). */
  | 'identity';

export class TokenFailure extends Error {
  readonly kind: TokenFailureKind;
  /** The OAuth `error` Google answered, when it answered one. */
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
  /** Normalised granted scopes; null when the answer carried none (nothing changed). */
  scopes: string[] | null;
}

/** Google's token endpoint as the broker and the store use it. Failures are `TokenFailure`s. */
export interface TokenEndpoint {
  refresh(refreshToken: string): Promise<RefreshResult>;
  /** Revokes the whole grant. Resolves when Google confirmed or said it was already gone. */
  revoke(token: string): Promise<void>;
}
