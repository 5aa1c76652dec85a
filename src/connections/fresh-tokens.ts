/**
 * What a connection row takes when Google has just handed out tokens, by a consent or by
 * a refresh: the sealed bundle, the digest of its refresh token (for Cross-Account
 * Protection), the access token's expiry, and a clean failure record. One place, so a
 * consent and a refresh can never store tokens differently.
 */
import type { Vault } from '../vault/index.ts';
import { refreshTokenDigest } from './refresh-token-digest.ts';
import { sealTokenBundle, type TokenBundle } from './token-bundle.ts';

export interface FreshTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives, as Google says; null when Google did not say. */
  expiresIn: number | null;
}

/** Seals the tokens for connection `connectionId`; answers the row's token columns. */
export async function freshTokenColumns(
  vault: Pick<Vault, 'seal'>,
  connectionId: string,
  tokens: FreshTokens,
  now: Date,
) {
  const bundle: TokenBundle = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    accessExpiresAt: tokens.expiresIn === null ? null : now.getTime() + tokens.expiresIn * 1000,
    tokenType: 'Bearer',
  };
  const sealed = await sealTokenBundle(vault, connectionId, bundle);
  return {
    token_ciphertext: sealed.ciphertext,
    key_version: sealed.keyVersion,
    refresh_token_digest: refreshTokenDigest(tokens.refreshToken),
    access_expires_at: bundle.accessExpiresAt === null ? null : new Date(bundle.accessExpiresAt),
    last_refreshed_at: now,
    last_checked_at: now,
    failure_count: 0,
    failure_kind: null,
    next_attempt_at: null,
    updated_at: now,
  };
}
