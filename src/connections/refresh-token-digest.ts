/**
 * The identifier Google's Cross-Account Protection uses for a refresh token in
 * `token-revoked` (`hash_base64_sha512_sha512`): base64 of SHA-512 of SHA-512 of the
 * token. Each connection keeps the identifier of its current refresh token beside the
 * sealed bundle, written with every bundle that carries a new refresh token and filled in
 * once for a bundle written before it was kept, so an event finds its connection with one
 * indexed lookup instead of opening every bundle.
 *
 * Keeping it in clear is safe: a refresh token is a long random secret Google made
 * (hundreds of bits of entropy), so a hash of it cannot be reversed or guessed by trying
 * candidates, and a hash is no credential — Google's token endpoint takes the token, never
 * its digest. This is the very value Google itself sends over the wire to name the token.
 */
import { createHash } from 'node:crypto';
import type { Vault } from '../vault/index.ts';
import { openTokenBundle } from './token-bundle.ts';
import type { Db } from './transitions.ts';

/** Google's `hash_base64_sha512_sha512` identifier of a refresh token. */
export function refreshTokenDigest(refreshToken: string): string {
  const inner = createHash('sha512').update(refreshToken, 'utf8').digest();
  return createHash('sha512').update(inner).digest('base64');
}

/** Records the digest of the bundle a row holds, unless the row was written since. */
export async function fillDigest(
  db: Db,
  row: { id: string; token_version: number },
  refreshToken: string,
): Promise<void> {
  await db
    .updateTable('connections')
    .set({ refresh_token_digest: refreshTokenDigest(refreshToken) })
    .where('id', '=', row.id)
    .where('token_version', '=', row.token_version)
    .where('refresh_token_digest', 'is', null)
    .execute();
}

const BATCH = 100;

/**
 * Fills in the digest of every live bundle written before digests were kept (each is
 * opened once, ever: afterwards it has its digest). A bundle that does not open is left
 * for the broker to retire. Answers how many were filled in.
 */
export async function fillMissingDigests(deps: {
  db: Db;
  vault: Pick<Vault, 'open'>;
}): Promise<number> {
  let filled = 0;
  let after = '';
  for (;;) {
    const rows = await deps.db
      .selectFrom('connections')
      .select(['id', 'token_version', 'token_ciphertext'])
      .where('refresh_token_digest', 'is', null)
      .where('token_ciphertext', 'is not', null)
      .where('status', 'in', ['active', 'degraded'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const bundle = await openTokenBundle(deps.vault, row.id, row.token_ciphertext!);
      if (bundle === 'corrupt') continue;
      await fillDigest(deps.db, row, bundle.refreshToken);
      filled += 1;
    }
    if (rows.length < BATCH) return filled;
    after = rows.at(-1)!.id;
  }
}
