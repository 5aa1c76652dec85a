/**
 * A PostgreSQL server that goes away: requests answer 503 `database_unavailable` (with
 * Retry-After) instead of a 500, a pooled connection lost in the middle of its work does
 * not crash the process, and the pool reconnects by itself once the server is back. The
 * outage is made on our side only: Tidings reaches PostgreSQL through a loopback relay the
 * test cuts (refusing new connections, dropping live ones) and restores.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import { isTidingsError } from '../../src/errors.ts';
import { migrateToLatest, openDatabase } from '../../src/db/index.ts';
import { POSTGRES, type TestDatabase } from '../support/databases.harness.ts';
import { type Stack, startStack } from '../support/stack.harness.ts';

const url = process.env.DATABASE_URL ?? null;

/** A TCP relay to the database that can be cut like a server going down, and restored. */
interface Relay {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

async function startRelay(target: URL): Promise<Relay> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const created = createServer((client) => {
        const upstream = tcpConnect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        const address = created.address();
        port = typeof address === 'object' && address ? address.port : port;
        server = created;
        resolve();
      });
    });
  const cut = async () => {
    const closing = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await listen();
  return { port, cut, restore: listen, close: cut };
}

describe.skipIf(!POSTGRES || !url)('a database that goes away', () => {
  let relay: Relay;
  let stack: Stack;
  let key: string;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const uncaught: unknown[] = [];
  const monitor = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtExceptionMonitor', monitor);
    const target = new URL(url!);
    const admin = new pg.Client({ connectionString: url! });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    relay = await startRelay(target);
    const relayed = new URL(url!);
    relayed.hostname = '127.0.0.1';
    relayed.port = String(relay.port);
    const database: TestDatabase = {
      name: 'postgres',
      async open() {
        const open = () =>
          openDatabase({
            databaseUrl: relayed.toString(),
            dataDir: '/nonexistent',
            searchPath: schema,
          });
        const handle = await open();
        await migrateToLatest(handle.db, handle.kind);
        return { ...handle, schema, openAnother: open };
      },
    };
    stack = await startStack(database);
    const user = await stack.app.parts.frontDoor.users.create({ displayName: 'Alex' });
    key = (await createApiKeyStore(stack.handle.db, () => new Date()).create(user.id, 'k')).key;
  });
  afterAll(async () => {
    process.off('uncaughtExceptionMonitor', monitor);
    await relay?.restore().catch(() => {});
    await stack?.close();
    await relay?.close();
    const cleanup = new pg.Client({ connectionString: url! });
    await cleanup.connect();
    await cleanup.query(`drop schema if exists ${schema} cascade`);
    await cleanup.end();
  });

  const connections = async () => {
    const response = await fetch(`${stack.app.url}/v1/connections`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  it('answers 503 database_unavailable while the database is unreachable, then recovers by itself', async () => {
    expect((await connections()).status).toBe(200);
    await relay.cut();
    const during = await connections();
    await relay.restore();
    const after = await connections();
    expect({
      during: [during.status, during.retryAfter, during.body.code, during.body.title],
      after: [after.status, after.body],
    }).toStrictEqual({
      during: [503, '5', 'database_unavailable', 'The database is unavailable'],
      after: [200, { connections: [] }],
    });
  });

  it('a pooled connection lost in the middle of a transaction does not crash the process', async () => {
    const outcome = await stack.handle.db
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('users').select('id').execute();
        await relay.cut();
        await trx.selectFrom('users').select('id').execute();
        return 'no error';
      })
      .catch((error: unknown) => (isTidingsError(error) ? error.code : String(error)));
    await relay.restore();
    expect({
      outcome,
      uncaught: uncaught.map(String),
      after: (await connections()).status,
    }).toStrictEqual({ outcome: 'database_unavailable', uncaught: [], after: 200 });
  });
});
