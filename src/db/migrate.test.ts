import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DATABASES,
  POSTGRES,
  type TestDatabaseHandle,
} from '../../test/support/databases.harness.ts';
import { migrateToLatest } from './migrate.ts';

const TABLES = [
  'api_keys',
  'connect_tickets',
  'connection_events',
  'connections',
  'notifications',
  'oauth_states',
  'risc_events',
  'telegram_button_state',
  'telegram_chat_context',
  'telegram_chat_leases',
  'telegram_connect_buttons',
  'telegram_inbox',
  'telegram_updates',
  'users',
  'vault_keys',
  'watch_cursors',
  'watch_held',
  'watch_rules',
];

const ALL = [
  '0001-initial',
  '0002-connections-hardening',
  '0003-telegram-state',
  '0004-risc',
  '0005-connect-ticket-binding',
  '0006-chat-context',
  '0007-telegram-inbox',
  '0008-watches',
];
const LATEST = '0008-watches';

async function tablesOf(handle: TestDatabaseHandle): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'tidings_migrations%'
    order by table_name`.execute(handle.db);
  return result.rows.map((row) => row.table_name);
}

for (const database of DATABASES) {
  describe(`migrations on ${database.name}`, () => {
    let handle: TestDatabaseHandle;
    afterEach(async () => {
      await handle?.close();
    });

    it('apply from empty and create every table of the data model', async () => {
      handle = await database.open({ migrate: false });
      expect(await tablesOf(handle)).toStrictEqual([]);
      const outcome = await migrateToLatest(handle.db, handle.kind);
      expect(outcome).toStrictEqual({ applied: ALL, current: LATEST });
      expect(await tablesOf(handle)).toStrictEqual(TABLES);
    });

    it('are idempotent', async () => {
      handle = await database.open({ migrate: false });
      await migrateToLatest(handle.db, handle.kind);
      expect(await migrateToLatest(handle.db, handle.kind)).toStrictEqual({
        applied: [],
        current: LATEST,
      });
      expect(await tablesOf(handle)).toStrictEqual(TABLES);
    });

    it('keep connection history append-only', async () => {
      handle = await database.open();
      await handle.db
        .insertInto('connection_events')
        .values({ connection_id: 'c', user_id: 'u', type: 'created', detail: '{}' })
        .execute();
      await expect(handle.db.deleteFrom('connection_events').execute()).rejects.toThrow(
        /append-only/,
      );
      await expect(
        handle.db.updateTable('connection_events').set({ type: 'x' }).execute(),
      ).rejects.toThrow(/append-only/);
    });
  });
}

describe.runIf(POSTGRES)('migrations from two processes at once', () => {
  it('do not corrupt the schema', async () => {
    const handle = await POSTGRES!.open({ migrate: false });
    const others = await Promise.all([
      handle.openAnother(),
      handle.openAnother(),
      handle.openAnother(),
    ]);
    try {
      const outcomes = await Promise.all(
        others.map((other) => migrateToLatest(other.db, other.kind)),
      );
      expect(outcomes.flatMap((outcome) => outcome.applied)).toStrictEqual(ALL);
      expect(await tablesOf(handle)).toStrictEqual(TABLES);
    } finally {
      await Promise.all(others.map((other) => other.close()));
      await handle.close();
    }
  });
});

describe.runIf(POSTGRES)('migrations beside another Tidings schema in the same database', () => {
  it('create their own tables although another schema already has them', async () => {
    const neighbour = await POSTGRES!.open();
    const handle = await POSTGRES!.open({ migrate: false });
    try {
      expect(await migrateToLatest(handle.db, handle.kind)).toStrictEqual({
        applied: ALL,
        current: LATEST,
      });
      expect(await tablesOf(handle)).toStrictEqual(TABLES);
    } finally {
      await handle.close();
      await neighbour.close();
    }
  });
});

describe.runIf(POSTGRES)('migrations while other schemas come and go', () => {
  it('apply although neighbour schemas are dropped meanwhile', async () => {
    const churn = await POSTGRES!.open({ migrate: false });
    let stop = false;
    // Neighbours created and dropped as fast as the server allows, as parallel test runs or
    // other tenants of the database do.
    const tables = Array.from({ length: 20 }, (_, t) => `create table %s.t${t} (id serial)`);
    const churner = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const name = `${churn.schema}_${lane}_${i}`;
        const ddl = [`create schema ${name}`, ...tables.map((t) => t.replace('%s', name))];
        // Separate statements, so that each neighbour is seen before it goes.
        await sql.raw(ddl.join('; ')).execute(churn.db);
        await sql.raw(`drop schema ${name} cascade`).execute(churn.db);
      }
    };
    const churning = Promise.all([0, 1, 2].map(churner));
    const outcomes = [];
    try {
      for (let i = 0; i < 10; i++) {
        const handle = await POSTGRES!.open({ migrate: false });
        try {
          outcomes.push((await migrateToLatest(handle.db, handle.kind)).current);
        } finally {
          await handle.close();
        }
      }
    } finally {
      stop = true;
      await churning;
      await churn.close();
    }
    expect(new Set(outcomes)).toStrictEqual(new Set([LATEST]));
  });
});
