/**
 * The token bundle sealed in `connections.token_ciphertext`: what Google gave us. Parsed
 * strictly on the way out of the vault; a ciphertext the vault refuses, or a plaintext
 * that is not a bundle, is `corrupt`. Any other failure (the database behind the vault's
 * key ring, say) is not the bundle's fault and propagates untouched.
 */
import { z } from 'zod';
import { type Vault, VaultError } from '../vault/index.ts';

export const tokenBundleSchema = z.object({
  accessToken: z.string().min(1).nullable(),
  refreshToken: z.string().min(1),
  /** Epoch milliseconds; null counts as expired. */
  accessExpiresAt: z.number().int().nullable(),
  tokenType: z.string().default('Bearer'),
});

export type TokenBundle = z.infer<typeof tokenBundleSchema>;

export const TOKEN_PURPOSE = 'connection-token';

/** The columns that hold a connection's tokens, emptied together when the grant is gone. */
export const NO_TOKENS = {
  token_ciphertext: null,
  key_version: null,
  refresh_token_digest: null,
} as const;

export function parseTokenBundle(plaintext: Buffer): TokenBundle | null {
  try {
    const parsed = tokenBundleSchema.safeParse(JSON.parse(plaintext.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const bundleBinding = (connectionId: string) => ({
  purpose: TOKEN_PURPOSE,
  recordId: connectionId,
});

/** Opens a connection's bundle: the bundle, or `corrupt`; other errors are thrown. */
export async function openTokenBundle(
  vault: Pick<Vault, 'open'>,
  connectionId: string,
  ciphertext: string,
): Promise<TokenBundle | 'corrupt'> {
  let plaintext: Buffer;
  try {
    plaintext = await vault.open(bundleBinding(connectionId), ciphertext);
  } catch (error) {
    if (error instanceof VaultError) return 'corrupt';
    throw error;
  }
  return parseTokenBundle(plaintext) ?? 'corrupt';
}

/** Seals a bundle for one connection. */
export function sealTokenBundle(
  vault: Pick<Vault, 'seal'>,
  connectionId: string,
  bundle: TokenBundle,
) {
  return vault.seal(bundleBinding(connectionId), JSON.stringify(bundle));
}
