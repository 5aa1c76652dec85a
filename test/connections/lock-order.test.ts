/**
 * Lock order between the writers of a user's connections, on PostgreSQL (PGlite runs one
 * transaction at a time, so it cannot show either): found by the race suite
 * (`test/reliability/races.test.ts`) and pinned here step by step.
 * - A writer holding a user's lock must not block another writer's insert of a row that
 *   references the user (a notice, an event): that writer may hold a connection the first
 *   one waits for, and the two would deadlock.
 * - A reconnect must not write its tokens over a connection that a failed refresh retired
 *   between its reading and its write (the connection would hold fresh tokens yet ask for
 *   reauthorisation).
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertNotification } from '../../src/connections/index.ts';
import { lockUser } from '../../src/connections/save-grant.ts';
import { POSTGRES, type TestDatabaseHandle } from '../support/databases.harness.ts';
import { createRaceWorld, grantInput, type RaceWorld } from '../reliability/races.harness.ts';

/** 'waiting' once some backend waits for a lock `holder` (a backend pid) holds; 'done' if `settled` settles first. */
async function waitsOnLock(
  admin: pg.Client,
  holder: number,
  settled: Promise<unknown>,
): Promise<'waiting' | 'done'> {
  let done = false;
  void settled.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (;;) {
    if (done) return 'done';
    const { rows } = await admin.query(
      'select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
      [holder],
    );
    if (rows[0].n > 0) return 'waiting';
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe.runIf(POSTGRES)('lock order of connection writers on PostgreSQL', () => {
  let handle: TestDatabaseHandle;
  let world: RaceWorld;
  let admin: pg.Client;
  beforeAll(async () => {
    handle = await POSTGRES!.open();
    world = await createRaceWorld(handle);
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await handle?.close();
  });

  async function connected(tag: string) {
    const user = await world.users.create({ displayName: tag });
    const { input } = grantInput(world.google, user.id, `acct-${tag}`);
    const saved = await world.store.saveGrant(input);
    return { userId: user.id, connectionId: saved.connection.id, account: `acct-${tag}` };
  }

  it("holding a user's lock does not block a notice for that user", async () => {
    const { userId, connectionId } = await connected('lock-notice');
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: (pid: number) => void;
    const holderPid = new Promise<number>((resolve) => {
      locked = resolve;
    });
    const holder = handle.db.transaction().execute(async (trx) => {
      await lockUser(trx, userId);
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      locked(rows[0]!.pid);
      await held;
    });
    const pid = await holderPid;
    const insert = insertNotification(
      handle.db,
      { userId, connectionId, kind: 'connected', payload: { email: 'x@example.com' } },
      world.now(),
    );
    try {
      expect(await waitsOnLock(admin, pid, insert)).toBe('done');
    } finally {
      release();
      await holder;
      await insert;
    }
  });

  it('a reconnect racing a refresh that retires the connection ends active with the new grant', async () => {
    const { userId, connectionId, account } = await connected('lock-reconnect');
    // A refresh that failed at Google, caught between its write and its commit.
    const retiring = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await retiring.connect();
    try {
      await retiring.query(`set search_path to ${handle.schema}`);
      const { rows } = await retiring.query('select pg_backend_pid() as pid');
      await retiring.query('begin');
      await retiring.query(
        `update connections set status = 'needs_reauth', status_reason = 'revoked',
           token_ciphertext = null, key_version = null, refresh_token_digest = null,
           token_version = token_version + 1 where id = $1`,
        [connectionId],
      );
      const { grant, input } = grantInput(world.google, userId, account);
      const reconnect = world.store.saveGrant(input);
      expect(await waitsOnLock(admin, rows[0].pid, reconnect)).toBe('waiting');
      await retiring.query('commit');
      await reconnect;
      const row = await handle.db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', connectionId)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('active');
      const history = await world.history(connectionId);
      expect(history.at(-1)).toStrictEqual({ grant: grant.id, status: 'active' });
    } finally {
      await retiring.end();
    }
  });
});
