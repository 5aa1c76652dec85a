/**
 * Per-user API keys for the runtime API: created once (the key is returned once and never
 * stored), verified by prefix lookup and constant-time hash comparison, listed for display,
 * revoked by id or prefix. `last_used_at` is written at most once a minute per key, so a
 * busy key does not turn every read into a write.
 *
 * Every request reads its key's row: a key revoked by any process (the `api-keys revoke`
 * command against PostgreSQL, another instance) is refused on the very next request. It is
 * the one query a warm request makes besides the broker's read of its connection.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { secretEquals } from '../common/index.ts';
import type { ApiKey, Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';
import { generateKey, hashKey, prefixOfKey, prefixOfSelector } from './key-format.ts';

/** How stale `last_used_at` may get before a successful verify writes it again. */
export const LAST_USED_THROTTLE_MS = 60_000;

export interface ApiKeyInfo {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiKey {
  id: string;
  /** The whole key: shown once, never stored. */
  key: string;
  prefix: string;
}

export interface ApiKeyStore {
  /** Throws not_found for an unknown user, invalid_request for an empty or long name. */
  create(userId: string, name: string): Promise<CreatedApiKey>;
  /** The key's id and owner, or null for a malformed, unknown or revoked key. */
  verify(key: string): Promise<{ id: string; userId: string } | null>;
  /** Every key of the user, revoked ones included, newest first. */
  list(userId: string): Promise<ApiKeyInfo[]>;
  /**
   * Revokes the active keys matching an id or prefix (of that user, or of anyone when
   * userId is null); answers the keys revoked now (empty when none matched).
   */
  revoke(userId: string | null, idOrPrefix: string): Promise<ApiKeyInfo[]>;
}

function infoOf(row: ApiKey): ApiKeyInfo {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export function createApiKeyStore(db: Kysely<Database>, now: () => Date): ApiKeyStore {
  /** Writes `last_used_at` when the one read is older than the throttle. */
  async function noteUse(id: string, lastUsedAt: number | null): Promise<void> {
    const at = now();
    const staleBefore = new Date(at.getTime() - LAST_USED_THROTTLE_MS);
    if (lastUsedAt !== null && lastUsedAt >= staleBefore.getTime()) return;
    await db
      .updateTable('api_keys')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
      .execute();
  }

  return {
    async create(userId, name) {
      const trimmed = name.trim();
      if (trimmed === '' || trimmed.length > 100) {
        throw new TidingsError('invalid_request', 'a key name is 1 to 100 characters', {
          field: 'name',
        });
      }
      const user = await db
        .selectFrom('users')
        .select('id')
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!user) throw new TidingsError('not_found', 'no user with that id');
      const fresh = generateKey();
      const id = randomUUID();
      await db
        .insertInto('api_keys')
        .values({
          id,
          user_id: userId,
          name: trimmed,
          hash: fresh.hash,
          prefix: fresh.prefix,
          created_at: now(),
        })
        .execute();
      return { id, key: fresh.key, prefix: fresh.prefix };
    },

    async verify(key) {
      const prefix = prefixOfKey(key);
      if (!prefix) return null;
      const given = hashKey(key);
      const candidates = await db
        .selectFrom('api_keys')
        .select(['id', 'user_id', 'hash', 'last_used_at'])
        .where('prefix', '=', prefix)
        .where('revoked_at', 'is', null)
        .execute();
      // Compare against every candidate so the time taken does not depend on which matched.
      let found: (typeof candidates)[number] | null = null;
      for (const row of candidates) if (secretEquals(given, row.hash)) found = row;
      if (!found) return null;
      await noteUse(found.id, found.last_used_at?.getTime() ?? null);
      return { id: found.id, userId: found.user_id };
    },

    async list(userId) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(infoOf);
    },

    async revoke(userId, idOrPrefix) {
      const selector = idOrPrefix.trim();
      if (selector === '' || selector.length > 200) return [];
      const prefix = prefixOfSelector(selector);
      let query = db
        .updateTable('api_keys')
        .set({ revoked_at: now() })
        .where('revoked_at', 'is', null)
        .where((eb) =>
          prefix
            ? eb.or([eb('id', '=', selector), eb('prefix', '=', prefix)])
            : eb('id', '=', selector),
        );
      if (userId !== null) query = query.where('user_id', '=', userId);
      const rows = await query.returningAll().execute();
      return rows.map(infoOf);
    },
  };
}
