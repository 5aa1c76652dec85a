/**
 * The product as the benchmarks see it: the whole app (`startStack`) on in-memory PGlite
 * against the in-process Google sandbox, logging to nowhere, with a clock the benchmarks
 * can move forward, users connected through the real OAuth journey, API keys, and the
 * sandbox's control API (faults, stats).
 */
import { Writable } from 'node:stream';
import { createApiKeyStore } from '../src/api-keys/index.ts';
import type { ApiKeyStore } from '../src/api-keys/index.ts';
import { openMemoryDatabase } from '../src/db/index.ts';
import { createLogger } from '../src/log.ts';
import type { TestDatabase } from '../test/support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../test/support/stack.harness.ts';
import { createGoogleTiming, type GoogleTiming } from './google-timing.ts';

/** The runtime API allows this many requests per key per minute; stay below it. */
const REQUESTS_PER_KEY = 100;

export interface SandboxStats {
  grants: { authorization_code: number; refresh_token: number };
  requests: Record<string, number>;
  quotaUnits: Record<string, number>;
}

export interface ConnectedUser {
  userId: string;
  connectionId: string;
  email: string;
}

export interface BenchStack {
  stack: Stack;
  /** Tidings' base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  googleUrl: string;
  /** Records the timing of every Google request the app and the baselines make. */
  timing: GoogleTiming;
  /** Moves the app's clock (not the sandbox's) forward. */
  advanceClock(ms: number): void;
  /** A new user with `email` connected through the auto-approved OAuth journey. */
  connect(email: string): Promise<ConnectedUser>;
  /**
   * Fresh API keys of `userId` for `requests` requests, so the per-key rate limit is never
   * reached: request i uses `keyFor(i)`.
   */
  keysFor(userId: string, requests: number): Promise<(index: number) => string>;
  stats(): Promise<SandboxStats>;
  /** Every call whose path starts with `path` waits `latencyMs` first. */
  injectLatency(path: string, latencyMs: number): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

function silentLogger() {
  const nowhere = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  return createLogger('silent', nowhere);
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what} answered ${response.status}`);
  await response.body?.cancel();
}

export async function startBenchStack(): Promise<BenchStack> {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  // A database of its own, not the test suite's shared PGlite templates: those stay open
  // for the life of a test worker, and here they would keep the process from exiting.
  const database: TestDatabase = {
    name: 'pglite',
    async open() {
      const handle = await openMemoryDatabase();
      return {
        ...handle,
        schema: null,
        openAnother: () => {
          throw new Error('PGlite is one process by design');
        },
      };
    },
  };
  const timing = createGoogleTiming();
  const stack = await startStack(database, {
    env: { LOG_LEVEL: 'silent' },
    start: { now, logger: silentLogger(), jobs: false, fetch: timing.fetch },
  });
  // The benchmarks measure what a request costs us, at rates one real mailbox could not
  // sustain: lift the sandbox's per-user quotas (Google's 15,000 Gmail units and 600
  // Calendar requests a minute) so Google's limits do not decide the figures.
  await expectOk(
    await stack.control('/settings', {
      method: 'PUT',
      body: { gmailQuotaUnitsPerMinute: 1_000_000, calendarRequestsPerMinute: 1_000_000 },
    }),
    'settings',
  );
  const apiKeys: ApiKeyStore = createApiKeyStore(stack.handle.db, now);
  let keysMade = 0;

  return {
    stack,
    url: stack.app.url,
    googleUrl: stack.google.url,
    timing,
    advanceClock(ms) {
      offsetMs += ms;
    },
    async connect(email) {
      const { frontDoor } = stack.app.parts;
      const user = await frontDoor.users.create({ displayName: email });
      const result = await connectWithAutoApprove(stack, user.id, email);
      if (result.status !== 200) throw new Error(`connecting ${email} answered ${result.status}`);
      const [connection] = await frontDoor.connections.list(user.id);
      if (!connection) throw new Error(`connecting ${email} stored no connection`);
      return { userId: user.id, connectionId: connection.id, email };
    },
    async keysFor(userId, requests) {
      const keys: string[] = [];
      for (let i = 0; i < Math.ceil(requests / REQUESTS_PER_KEY); i++) {
        keys.push((await apiKeys.create(userId, `bench ${++keysMade}`)).key);
      }
      return (index) => keys[index % keys.length]!;
    },
    async stats() {
      const response = await stack.control('/stats');
      return (await response.json()) as SandboxStats;
    },
    async injectLatency(path, latencyMs) {
      await expectOk(await stack.control('/faults', { body: { path, latencyMs } }), 'faults');
    },
    async clearFaults() {
      await expectOk(await stack.control('/faults', { method: 'DELETE' }), 'faults');
    },
    close: () => stack.close(),
  };
}
