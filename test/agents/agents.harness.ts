/**
 * The rig for agent runtimes (MCP, the OpenClaw plugin): the whole product from
 * `startApp` on a database, the Google sandbox with real grants, and per-user API keys.
 * The app's clock is frozen so that two reads of the same thing answer the same.
 *
 * Users: alex ↔ alex@example.com (seeded mailbox and calendar); sam ↔ sam@example.com;
 * robin ↔ robin@example.com (tests revoke that grant); nobody has no connection.
 */
import { pino } from 'pino';
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import type { AnyCapability } from '../../src/capabilities/index.ts';
import {
  type RateLimitSettings,
  registerMcpEndpoint,
  registerRuntimeApi,
} from '../../src/http/index.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { TestDatabase } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

export type AgentUser = 'alex' | 'sam' | 'robin' | 'nobody';

export interface AgentFixture {
  stack: Stack;
  url: string;
  users: Record<AgentUser, string>;
  keys: Record<AgentUser, string>;
  /** Connection ids by email. */
  connections: Record<string, string>;
  /** A `/v1` call with a key: status and parsed body. */
  v1(
    method: 'GET' | 'POST',
    path: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Creates another key for a user (to revoke it). */
  newKey(user: AgentUser): Promise<{ key: string; id: string }>;
  /** Revokes a key by its id or prefix. */
  revokeKey(idOrPrefix: string): Promise<void>;
  close(): Promise<void>;
}

export async function startAgentFixture(database: TestDatabase): Promise<AgentFixture> {
  const frozen = new Date();
  const stack = await startStack(database, { start: { now: () => frozen } });
  await stack.control('/users', { body: { email: 'robin@example.com', name: 'Robin Park' } });
  const apiKeys = createApiKeyStore(stack.handle.db, () => frozen);
  const users = {} as Record<AgentUser, string>;
  const keys = {} as Record<AgentUser, string>;
  const names: Record<AgentUser, string> = {
    alex: 'Alex',
    sam: 'Sam',
    robin: 'Robin',
    nobody: 'Nobody',
  };
  for (const user of Object.keys(names) as AgentUser[]) {
    users[user] = (await stack.app.parts.frontDoor.users.create({ displayName: names[user] })).id;
    keys[user] = (await apiKeys.create(users[user], 'agent tests')).key;
  }
  const connections: Record<string, string> = {};
  for (const user of ['alex', 'sam', 'robin'] as const) {
    const email = `${user}@example.com`;
    const browser = await connectWithAutoApprove(stack, users[user], email);
    if (browser.status !== 200) throw new Error(`connecting ${email} answered ${browser.status}`);
    const [connection] = await stack.app.parts.frontDoor.connections.list(users[user]);
    if (!connection) throw new Error(`${email} did not connect`);
    connections[email] = connection.id;
  }
  const url = stack.app.url;
  return {
    stack,
    url,
    users,
    keys,
    connections,
    async v1(method, path, key, body) {
      const response = await fetch(`${url}/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async newKey(user) {
      const created = await apiKeys.create(users[user], 'revocable');
      return { key: created.key, id: created.id };
    },
    async revokeKey(id) {
      await apiKeys.revoke(null, id);
    },
    close: () => stack.close(),
  };
}

export interface AgentServerOptions {
  capabilities?: readonly AnyCapability[];
  rateLimit?: RateLimitSettings;
}

/**
 * A second HTTP server on the fixture's front door with `/v1` and `/mcp` registered as
 * a test needs them (another capability list, a tighter rate limit). Answers its URL.
 */
export async function startAgentServer(
  f: AgentFixture,
  options: AgentServerOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer({
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    metricsToken: null,
    ready: async () => {},
  });
  const deps = {
    frontDoor: f.stack.app.parts.frontDoor,
    apiKeys: createApiKeyStore(f.stack.handle.db, () => new Date()),
    ...options,
  };
  await registerRuntimeApi(server, deps);
  await registerMcpEndpoint(server, { ...deps, version: '0.0.0' });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => server.close() };
}
