/**
 * The token bundle sealed in `connections.token_ciphertext`: what Google gave us. Parsed
 * strictly on the way out of the vault; anything else is `corrupt`.
 */
import { z } from 'zod';

export const tokenBundleSchema = z.object({
  accessToken: z.string().min(1).nullable(),
  refreshToken: z.string().min(1),
  /** Epoch milliseconds; null counts as expired. */
  accessExpiresAt: z.number().int().nullable(),
  tokenType: z.string().default('Bearer'),
});

export type TokenBundle = z.infer<typeof tokenBundleSchema>;

export const TOKEN_PURPOSE = 'connection-token';

export function parseTokenBundle(plaintext: Buffer): TokenBundle | null {
  try {
    const parsed = tokenBundleSchema.safeParse(JSON.parse(plaintext.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
