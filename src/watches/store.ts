/**
 * Watch rules, cursors and held alerts in Tidings' database. A rule belongs to a user and
 * watches one of their connections; a connection with rules has one cursor (the history
 * id its polls read up to). Every change a poll makes — alerts queued in the outbox or
 * held for the quiet hours, the cursor moved on — lands in one transaction that first
 * checks the cursor is where the poll started: a second poll of the same connection (on
 * another instance) finds it moved and writes nothing, so no alert goes out twice.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Alert, WatchBook, WatchRule } from '../capabilities/index.ts';
import { type ConnectionView, insertNotification } from '../connections/index.ts';
import type { Database } from '../db/index.ts';
import { TidingsError } from '../errors.ts';

/** Rules a user may have, across their accounts, unless configured otherwise. */
export const DEFAULT_WATCH_LIMIT = 20;

export type PauseReason = 'reauth_required' | 'not_connected' | 'scope_missing';
const PAUSE_REASONS: readonly string[] = ['reauth_required', 'not_connected', 'scope_missing'];

/** What one poll of a connection starts from. */
export interface ScanStart {
  connectionId: string;
  userId: string;
  /** The watched account's address. */
  account: string;
  historyId: string;
  pausedReason: PauseReason | null;
  rules: Array<{ id: string; query: string; sinceHistoryId: string }>;
}

export interface WatchStore {
  /** The user's rules as the capabilities reach them; new ones go on `connection`. */
  book(userId: string, connection: ConnectionView | null): WatchBook;
  /** Connections with rules not polled for `intervalMs`, longest waiting first. */
  due(intervalMs: number, limit: number): Promise<string[]>;
  /** What a poll of the connection starts from; null when it has no rules left. */
  start(connectionId: string): Promise<ScanStart | null>;
  /**
   * Moves the cursor from `from` to `to` and queues the alerts (or holds them when `hold`),
   * all or nothing; false when another poll moved the cursor first.
   */
  advance(
    start: ScanStart,
    to: string,
    alerts: readonly Alert[],
    options: { hold: boolean },
  ): Promise<boolean>;
  /** Pauses the connection's rules; true the first time (the user is then told, once). */
  pause(start: ScanStart, reason: PauseReason): Promise<boolean>;
  /** Users with alerts held through their quiet hours. */
  holding(): Promise<string[]>;
  /** Turns the user's held alerts into one digest in the outbox; how many it holds. */
  releaseDigest(userId: string): Promise<number>;
}

function toRule(row: {
  id: string;
  query: string;
  connection_id: string;
  email: string;
  created_at: Date | string;
  paused_reason: string | null;
}): WatchRule {
  const paused = PAUSE_REASONS.includes(row.paused_reason ?? '')
    ? (row.paused_reason as PauseReason)
    : null;
  return {
    id: row.id,
    query: row.query,
    connectionId: row.connection_id,
    account: row.email,
    createdAt: new Date(row.created_at).toISOString(),
    paused,
  };
}

export function createWatchStore(deps: {
  db: Kysely<Database>;
  now: () => Date;
  limit?: number;
}): WatchStore {
  const { db, now } = deps;
  const limit = deps.limit ?? DEFAULT_WATCH_LIMIT;

  function rulesOf(executor: Kysely<Database>, userId: string) {
    return executor
      .selectFrom('watch_rules as r')
      .innerJoin('connections as c', 'c.id', 'r.connection_id')
      .leftJoin('watch_cursors as w', 'w.connection_id', 'r.connection_id')
      .select(['r.id', 'r.query', 'r.connection_id', 'c.email', 'r.created_at', 'w.paused_reason'])
      .where('r.user_id', '=', userId)
      .orderBy('r.created_at')
      .orderBy('r.id');
  }

  function book(userId: string, connection: ConnectionView | null): WatchBook {
    return {
      limit,
      async add(query, sinceHistoryId) {
        if (!connection) throw new TidingsError('not_connected', 'No Google account is connected.');
        return db.transaction().execute(async (trx) => {
          // One writer per user at a time, so the limit holds against two adds at once.
          await trx
            .selectFrom('users')
            .select('id')
            .where('id', '=', userId)
            .forUpdate()
            .executeTakeFirst();
          const existing = await rulesOf(trx, userId).execute();
          const same = existing.find((r) => r.connection_id === connection.id && r.query === query);
          if (same) return { rule: toRule(same), created: false };
          if (existing.length >= limit) {
            throw new TidingsError(
              'invalid_request',
              `You have ${existing.length} watches, the most one person may have; remove one first.`,
              { field: 'query' },
            );
          }
          const id = randomUUID();
          const createdAt = now();
          await trx
            .insertInto('watch_rules')
            .values({
              id,
              user_id: userId,
              connection_id: connection.id,
              query,
              since_history_id: sinceHistoryId,
              created_at: createdAt,
            })
            .execute();
          await trx
            .insertInto('watch_cursors')
            .values({
              connection_id: connection.id,
              history_id: sinceHistoryId,
              polled_at: createdAt,
            })
            .onConflict((oc) => oc.column('connection_id').doNothing())
            .execute();
          const cursor = await trx
            .selectFrom('watch_cursors')
            .select('paused_reason')
            .where('connection_id', '=', connection.id)
            .executeTakeFirst();
          return {
            rule: toRule({
              id,
              query,
              connection_id: connection.id,
              email: connection.email,
              created_at: createdAt,
              paused_reason: cursor?.paused_reason ?? null,
            }),
            created: true,
          };
        });
      },
      async list() {
        return (await rulesOf(db, userId).execute()).map(toRule);
      },
      async remove(id) {
        return db.transaction().execute(async (trx) => {
          const row = await rulesOf(trx, userId).where('r.id', '=', id).executeTakeFirst();
          if (!row) return null;
          await trx.deleteFrom('watch_rules').where('id', '=', id).execute();
          // A connection without rules is never polled: its cursor goes too, and the
          // alerts it held for the quiet hours.
          const left = await trx
            .selectFrom('watch_rules')
            .select('id')
            .where('connection_id', '=', row.connection_id)
            .executeTakeFirst();
          if (!left) {
            await trx
              .deleteFrom('watch_cursors')
              .where('connection_id', '=', row.connection_id)
              .execute();
            await trx
              .deleteFrom('watch_held')
              .where('connection_id', '=', row.connection_id)
              .execute();
          }
          return toRule(row);
        });
      },
    };
  }

  return {
    book,

    async due(intervalMs, max) {
      const before = new Date(now().getTime() - intervalMs);
      const rows = await db
        .selectFrom('watch_cursors as w')
        .select('w.connection_id')
        .where((eb) => eb.or([eb('w.polled_at', 'is', null), eb('w.polled_at', '<=', before)]))
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('watch_rules as r')
              .select('r.id')
              .whereRef('r.connection_id', '=', 'w.connection_id'),
          ),
        )
        .orderBy(sql`w.polled_at nulls first`)
        .limit(max)
        .execute();
      return rows.map((r) => r.connection_id);
    },

    async start(connectionId) {
      const cursor = await db
        .selectFrom('watch_cursors')
        .select(['history_id', 'paused_reason'])
        .where('connection_id', '=', connectionId)
        .executeTakeFirst();
      if (!cursor) return null;
      const rules = await db
        .selectFrom('watch_rules as r')
        .innerJoin('connections as c', 'c.id', 'r.connection_id')
        .select(['r.id', 'r.query', 'r.since_history_id', 'r.user_id', 'c.email'])
        .where('r.connection_id', '=', connectionId)
        .orderBy('r.created_at')
        .execute();
      if (rules.length === 0) return null;
      return {
        connectionId,
        userId: rules[0]!.user_id,
        account: rules[0]!.email,
        historyId: cursor.history_id,
        pausedReason: PAUSE_REASONS.includes(cursor.paused_reason ?? '')
          ? (cursor.paused_reason as PauseReason)
          : null,
        rules: rules.map((r) => ({ id: r.id, query: r.query, sinceHistoryId: r.since_history_id })),
      };
    },

    async advance(start, to, alerts, options) {
      return db.transaction().execute(async (trx) => {
        const at = now();
        const moved = await trx
          .updateTable('watch_cursors')
          .set({ history_id: to, polled_at: at, paused_reason: null })
          .where('connection_id', '=', start.connectionId)
          .where('history_id', '=', start.historyId)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 0) return false;
        for (const alert of alerts) {
          const item = { ...alert, account: start.account, connectionId: start.connectionId };
          if (options.hold) {
            await trx
              .insertInto('watch_held')
              .values({
                connection_id: start.connectionId,
                message_id: alert.id,
                user_id: start.userId,
                alert: JSON.stringify(item),
                held_at: at,
              })
              .onConflict((oc) => oc.columns(['connection_id', 'message_id']).doNothing())
              .execute();
          } else {
            await insertNotification(
              trx,
              {
                userId: start.userId,
                connectionId: start.connectionId,
                kind: 'watch_alert',
                payload: { alert: item },
                dedupeKey: `watch:${start.connectionId}:${alert.id}`,
              },
              at,
            );
          }
        }
        return true;
      });
    },

    async pause(start, reason) {
      return db.transaction().execute(async (trx) => {
        const at = now();
        const changed = await trx
          .updateTable('watch_cursors')
          .set({ paused_reason: reason, polled_at: at })
          .where('connection_id', '=', start.connectionId)
          .where((eb) =>
            eb.or([eb('paused_reason', 'is', null), eb('paused_reason', '!=', reason)]),
          )
          .executeTakeFirst();
        if (Number(changed.numUpdatedRows) === 0) {
          await trx
            .updateTable('watch_cursors')
            .set({ polled_at: at })
            .where('connection_id', '=', start.connectionId)
            .execute();
          return false;
        }
        await insertNotification(
          trx,
          {
            userId: start.userId,
            connectionId: start.connectionId,
            kind: 'watch_paused',
            payload: { email: start.account, reason, watches: start.rules.length },
          },
          at,
        );
        return true;
      });
    },

    async holding() {
      const rows = await db.selectFrom('watch_held').select('user_id').distinct().execute();
      return rows.map((r) => r.user_id);
    },

    async releaseDigest(userId) {
      return db.transaction().execute(async (trx) => {
        const held = await trx
          .deleteFrom('watch_held')
          .where('user_id', '=', userId)
          .returning(['alert', 'held_at', 'message_id', 'connection_id'])
          .execute();
        if (held.length === 0) return 0;
        const alerts = held
          .sort((a, b) => new Date(a.held_at).getTime() - new Date(b.held_at).getTime())
          .map((row) => JSON.parse(row.alert) as unknown);
        const first = held[0]!;
        await insertNotification(
          trx,
          {
            userId,
            kind: 'watch_digest',
            payload: { alerts },
            dedupeKey: `watch-digest:${userId}:${first.connection_id}:${first.message_id}`,
          },
          now(),
        );
        return held.length;
      });
    },
  };
}
