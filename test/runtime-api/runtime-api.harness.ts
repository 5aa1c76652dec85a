/**
 * The runtime API test rig: a database (PGlite or PostgreSQL) with users and API keys, the
 * real Google sandbox with real grants, the test FrontDoor over both, and an HTTP server
 * from `createHttpServer` with `/v1` registered. Requests go through Fastify's `inject`.
 *
 * Users: A ↔ alex (default) and kim; B ↔ sam; C ↔ alex with Gmail scopes only;
 * D ↔ robin (tests may revoke robin's grant); E has no connection.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import type { ApiKeyStore } from '../../src/api-keys/index.ts';
import { grantFor, READ_SCOPES } from '../capabilities/sandbox-session.harness.ts';
import type { ConnectionView } from '../../src/connections/index.ts';
import type { FrontDoor } from '../../src/front-door/index.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { registerRuntimeApi } from '../../src/http/v1/index.ts';
import { startGoogleSandbox } from '../../sandbox/google/index.ts';
import type { TestDatabase, TestDatabaseHandle } from '../support/databases.harness.ts';
import { createTestFrontDoor } from './runtime-front-door.harness.ts';
import type { TestConnection } from './runtime-front-door.harness.ts';

export type UserName = 'a' | 'b' | 'c' | 'd' | 'e';
const USER_NAMES: readonly UserName[] = ['a', 'b', 'c', 'd', 'e'];

export interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface RuntimeFixture {
  app: FastifyInstance;
  /** The capabilities' clock: frozen at start, so results are repeatable. */
  now: () => Date;
  sandboxUrl: string;
  frontDoor: ReturnType<typeof createTestFrontDoor>;
  apiKeys: ApiKeyStore;
  database: TestDatabaseHandle;
  users: Record<UserName, string>;
  keys: Record<UserName, string>;
  connections: Record<'alex' | 'kim' | 'sam' | 'alexGmail' | 'robin', ConnectionView>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  request(method: string, url: string, key?: string | null, body?: unknown): Promise<Answer>;
  get(url: string, key?: string | null): Promise<Answer>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  rateLimit?: { max: number; timeWindowMs: number; failedAuthMax?: number };
  connectLink?: FrontDoor['connectLink'];
}

const GMAIL_ONLY = ['openid', 'email', 'https://www.googleapis.com/auth/gmail.readonly'];

function view(
  id: string,
  userId: string,
  email: string,
  scopes: string[],
  isDefault: boolean,
): ConnectionView {
  const capabilities: Array<'gmail' | 'calendar'> = scopes.some((s) => s.endsWith('gmail.readonly'))
    ? ['gmail']
    : [];
  if (scopes.some((s) => s.endsWith('calendar.readonly'))) capabilities.push('calendar');
  return {
    id,
    userId,
    provider: 'google',
    email,
    displayName: null,
    grantedScopes: scopes,
    capabilities,
    status: 'active',
    statusReason: null,
    isDefault,
    accessExpiresAt: null,
    lastRefreshedAt: null,
    lastUsedAt: null,
    createdAt: new Date('2026-01-05T10:00:00Z'),
  };
}

export async function startRuntimeFixture(
  database: TestDatabase,
  options: FixtureOptions = {},
): Promise<RuntimeFixture> {
  const now = () => new Date();
  const sandbox = await startGoogleSandbox({ port: 0, now });
  const url = sandbox.url;
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text === '' ? null : JSON.parse(text);
  };
  for (const email of ['kim@example.com', 'robin@example.com'])
    await control('POST', '/__sandbox/users', { email, time_zone: 'Europe/Berlin' });

  const handle = await database.open();
  const users = {} as Record<UserName, string>;
  for (const name of USER_NAMES) {
    users[name] = `user-${name}`;
    await handle.db
      .insertInto('users')
      .values({ id: users[name], display_name: `User ${name.toUpperCase()}`, settings: '{}' })
      .execute();
  }
  const apiKeys = createApiKeyStore(handle.db, now);
  const keys = {} as Record<UserName, string>;
  for (const name of USER_NAMES) keys[name] = (await apiKeys.create(users[name], 'tests')).key;

  const connections = {
    alex: view('conn-alex', users.a, 'alex@example.com', READ_SCOPES, true),
    kim: view('conn-kim', users.a, 'kim@example.com', READ_SCOPES, false),
    sam: view('conn-sam', users.b, 'sam@example.com', READ_SCOPES, true),
    alexGmail: view('conn-alex-gmail', users.c, 'alex@example.com', GMAIL_ONLY, true),
    robin: view('conn-robin', users.d, 'robin@example.com', READ_SCOPES, true),
  };
  const testConnections: TestConnection[] = [];
  for (const connection of Object.values(connections)) {
    const scopes = connection.grantedScopes;
    testConnections.push({
      view: connection,
      grant: await grantFor(url, connection.email, scopes),
    });
  }
  const frozen = new Date();
  const frontDoor = createTestFrontDoor({
    apiRoot: url,
    now: () => frozen,
    connections: testConnections,
    ...(options.connectLink ? { connectLink: options.connectLink } : {}),
  });

  const app = createHttpServer({
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    metricsToken: null,
    ready: async () => {},
  });
  await registerRuntimeApi(app, {
    frontDoor,
    apiKeys,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  await app.ready();

  const request = async (method: string, path: string, key?: string | null, body?: unknown) => {
    const response = await app.inject({
      method: method as 'GET',
      url: path,
      headers: key ? { authorization: `Bearer ${key}` } : {},
      ...(body === undefined ? {} : { payload: body as string }),
    });
    const type = String(response.headers['content-type'] ?? '');
    return {
      status: response.statusCode,
      headers: Object.fromEntries(
        Object.entries(response.headers).map(([k, v]) => [
          k,
          v === undefined ? undefined : String(v),
        ]),
      ),
      body: type.includes('json') ? response.json() : response.body,
    };
  };

  return {
    app,
    now: () => frozen,
    sandboxUrl: url,
    frontDoor,
    apiKeys,
    database: handle,
    users,
    keys,
    connections,
    control,
    request,
    get: (path, key) => request('GET', path, key),
    async close() {
      await app.close();
      await sandbox.close();
      await handle.close();
    },
  };
}
