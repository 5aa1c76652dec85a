/**
 * One-time values: connect tickets (a chat button → a browser session) and OAuth states
 * (a browser session → Google → back). Only their SHA-256 hashes are stored; each is
 * consumed atomically with `delete … returning`, so a replay finds nothing. Expired rows
 * are deleted by a periodic job (`sweepExpired`). A ticket issued in the Telegram chat
 * names the Telegram user it was issued to: only that user's signed login data opens it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { Vault } from '../vault/index.ts';

/** A connect link lives this long: long enough to open it, short enough to be little use to pass on. */
export const TICKET_TTL_MS = 10 * 60_000;
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

export interface TicketTarget {
  userId: string;
  connectionId: string | null;
  /** Issued in the chat: the Telegram user whose signed login data alone opens it. */
  telegramUserId: string | null;
}

/** One-time connect tickets: what turns a chat button or a printed link into a consent. */
export interface TicketStore {
  /**
   * A new ticket for the user (and the connection to reconnect, if any); with
   * `telegramUserId`, only that Telegram user's signed login data opens it.
   */
  create(
    userId: string,
    connectionId?: string | null,
    telegramUserId?: string | null,
  ): Promise<{ ticket: string; expiresAt: Date }>;
  /** Whether a ticket would be accepted, without using it up (a link prefetch is harmless). */
  peek(ticket: unknown): Promise<Consumed<TicketTarget>>;
  /** Deletes tickets that expired; returns how many. */
  sweepExpired(): Promise<number>;
  /** Uses a ticket up: a second use finds nothing. */
  consume(ticket: unknown): Promise<Consumed<TicketTarget>>;
  /**
   * Lets a chat-issued ticket open without Telegram's login data (Telegram refused to send
   * it as a login button); answers whether there was such a ticket.
   */
  unbind(ticket: unknown): Promise<boolean>;
}

function targetOf(row: {
  user_id: string;
  connection_id: string | null;
  telegram_user_id: string | null;
}): TicketTarget {
  return {
    userId: row.user_id,
    connectionId: row.connection_id,
    telegramUserId: row.telegram_user_id,
  };
}

export function createTicketStore(db: Kysely<Database>, now: () => Date): TicketStore {
  return {
    async create(userId, connectionId = null, telegramUserId = null) {
      const ticket = randomToken();
      const expiresAt = new Date(now().getTime() + TICKET_TTL_MS);
      await db
        .insertInto('connect_tickets')
        .values({
          id: hashToken(ticket),
          user_id: userId,
          connection_id: connectionId,
          telegram_user_id: telegramUserId,
          expires_at: expiresAt,
          created_at: now(),
        })
        .execute();
      return { ticket, expiresAt };
    },
    async peek(ticket) {
      if (!looksLikeToken(ticket)) return { status: 'unknown' };
      const row = await db
        .selectFrom('connect_tickets')
        .selectAll()
        .where('id', '=', hashToken(ticket))
        .executeTakeFirst();
      if (!row) return { status: 'unknown' };
      if (row.expires_at.getTime() <= now().getTime()) return { status: 'expired' };
      return { status: 'ok', value: targetOf(row) };
    },
    async sweepExpired() {
      const result = await db
        .deleteFrom('connect_tickets')
        .where('expires_at', '<', now())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async unbind(ticket) {
      if (!looksLikeToken(ticket)) return false;
      const result = await db
        .updateTable('connect_tickets')
        .set({ telegram_user_id: null })
        .where('id', '=', hashToken(ticket))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async consume(ticket) {
      if (!looksLikeToken(ticket)) return { status: 'unknown' };
      const row = await db
        .deleteFrom('connect_tickets')
        .where('id', '=', hashToken(ticket))
        .returningAll()
        .executeTakeFirst();
      if (!row) return { status: 'unknown' };
      if (row.expires_at.getTime() <= now().getTime()) return { status: 'expired' };
      return { status: 'ok', value: targetOf(row) };
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

/** OAuth states: one per consent in flight, with its PKCE verifier sealed by the vault. */
export interface StateStore {
  /** Stores a pending authorization; answers the state value to send to Google. */
  create(input: PendingAuthorization): Promise<string>;
  /** Deletes states that expired unused; returns how many. */
  sweepExpired(): Promise<number>;
  /** Uses a state up: a replayed callback finds nothing. */
  consume(state: string): Promise<Consumed<PendingAuthorization>>;
}

export function createStateStore(db: Kysely<Database>, vault: Vault, now: () => Date): StateStore {
  return {
    async create(input) {
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
    async sweepExpired() {
      const result = await db
        .deleteFrom('oauth_states')
        .where('expires_at', '<', now())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async consume(state) {
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
