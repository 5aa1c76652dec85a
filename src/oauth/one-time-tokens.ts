/**
 * One-time values: connect tickets (a chat button → a browser session) and OAuth states
 * (a browser session → Google → back). Only their SHA-256 hashes are stored; each is
 * consumed atomically with `delete … returning`, so a replay finds nothing. Expired rows
 * are deleted by a periodic job (`sweepExpired`).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';

export const TICKET_TTL_MS = 15 * 60_000;
export const STATE_TTL_MS = 10 * 60_000;
const STATE_PURPOSE = 'oauth-state';

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** A token we issued has exactly this shape; anything else is not looked up. */
export function looksLikeToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export type Consumed<T> =
  | { status: 'ok'; value: T }
  | { status: 'unknown' }
  | { status: 'expired' };

export function createTicketStore(db: Kysely<Database>, now: () => Date) {
  return {
    async create(
      userId: string,
      connectionId: string | null = null,
    ): Promise<{ ticket: string; expiresAt: Date }> {
      const ticket = randomToken();
      const expiresAt = new Date(now().getTime() + TICKET_TTL_MS);
      await db
        .insertInto('connect_tickets')
        .values({
          id: hashToken(ticket),
          user_id: userId,
          connection_id: connectionId,
          expires_at: expiresAt,
          created_at: now(),
        })
        .execute();
      return { ticket, expiresAt };
    },
    /** Whether a ticket would be accepted, without using it up (a link prefetch is harmless). */
    async peek(
      ticket: unknown,
    ): Promise<Consumed<{ userId: string; connectionId: string | null }>> {
      if (!looksLikeToken(ticket)) return { status: 'unknown' };
      const row = await db
        .selectFrom('connect_tickets')
        .selectAll()
        .where('id', '=', hashToken(ticket))
        .executeTakeFirst();
      if (!row) return { status: 'unknown' };
      if (row.expires_at.getTime() <= now().getTime()) return { status: 'expired' };
      return { status: 'ok', value: { userId: row.user_id, connectionId: row.connection_id } };
    },
    /** Deletes tickets that expired; returns how many. */
    async sweepExpired(): Promise<number> {
      const result = await db
        .deleteFrom('connect_tickets')
        .where('expires_at', '<', now())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async consume(
      ticket: unknown,
    ): Promise<Consumed<{ userId: string; connectionId: string | null }>> {
      if (!looksLikeToken(ticket)) return { status: 'unknown' };
      const row = await db
        .deleteFrom('connect_tickets')
        .where('id', '=', hashToken(ticket))
        .returningAll()
        .executeTakeFirst();
      if (!row) return { status: 'unknown' };
      if (row.expires_at.getTime() <= now().getTime()) return { status: 'expired' };
      return { status: 'ok', value: { userId: row.user_id, connectionId: row.connection_id } };
    },
  };
}

export interface PendingAuthorization {
  userId: string;
  connectionId: string | null;
  loginHint: string | null;
  codeVerifier: string;
  nonce: string;
  scopes: string[];
}

export function createStateStore(db: Kysely<Database>, vault: Vault, now: () => Date) {
  return {
    async create(
      input: Omit<PendingAuthorization, 'codeVerifier' | 'nonce'> & {
        codeVerifier: string;
        nonce: string;
      },
    ): Promise<string> {
      const state = randomToken();
      const id = hashToken(state);
      const sealed = await vault.seal({ purpose: STATE_PURPOSE, recordId: id }, input.codeVerifier);
      await db
        .insertInto('oauth_states')
        .values({
          id,
          user_id: input.userId,
          connection_id: input.connectionId,
          login_hint: input.loginHint,
          verifier_ciphertext: sealed.ciphertext,
          key_version: sealed.keyVersion,
          nonce: input.nonce,
          scopes: JSON.stringify(input.scopes),
          created_at: now(),
          expires_at: new Date(now().getTime() + STATE_TTL_MS),
        })
        .execute();
      return state;
    },
    /** Deletes states that expired unused; returns how many. */
    async sweepExpired(): Promise<number> {
      const result = await db
        .deleteFrom('oauth_states')
        .where('expires_at', '<', now())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async consume(state: string): Promise<Consumed<PendingAuthorization>> {
      if (!looksLikeToken(state)) return { status: 'unknown' };
      const id = hashToken(state);
      const row = await db
        .deleteFrom('oauth_states')
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) return { status: 'unknown' };
      if (row.expires_at.getTime() <= now().getTime()) return { status: 'expired' };
      const codeVerifier = (
        await vault.open({ purpose: STATE_PURPOSE, recordId: id }, row.verifier_ciphertext)
      ).toString('utf8');
      const scopes = (
        typeof row.scopes === 'string' ? JSON.parse(row.scopes) : row.scopes
      ) as string[];
      return {
        status: 'ok',
        value: {
          userId: row.user_id,
          connectionId: row.connection_id,
          loginHint: row.login_hint,
          codeVerifier,
          nonce: row.nonce,
          scopes,
        },
      };
    },
  };
}
