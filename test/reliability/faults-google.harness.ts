/**
 * The world of the Google-faults suite: Tidings over real HTTP (`startStack`) against the
 * Google sandbox, both on one injected clock the test moves, several users with several
 * connections and API keys, a mixed load of `/v1` requests, and the checks that decide
 * whether an answer is acceptable: a 200, or a problem with a stable retryable code.
 */
import { createApiKeyStore } from '../../src/api-keys/index.ts';
import type { StartOptions } from '../../src/app.ts';
import { openTokenBundle } from '../../src/connections/token-bundle.ts';
import type { TestDatabase } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

export const GMAIL_PATHS = ['/gmail/', '/batch/'] as const;
export const CALENDAR_PATHS = ['/calendar/'] as const;
export const TOKEN_PATH = '/token';

/** The codes a transient Google failure may end in (DESIGN.md, "Error codes"). */
export const RETRYABLE_CODES = ['provider_unavailable', 'provider_rate_limited'] as const;

/** One clock for Tidings and the Google sandbox, moved only by the test. */
export interface Clock {
  now: () => Date;
  advance(ms: number): void;
}

export function createClock(start = Date.now()): Clock {
  let at = start;
  return {
    now: () => new Date(at),
    advance(ms) {
      at += ms;
    },
  };
}

export interface Account {
  userId: string;
  email: string;
  connectionId: string;
}

export interface World {
  stack: Stack;
  clock: Clock;
  accounts: Account[];
  /** API keys of each user: requests are spread over them to stay under the per-key limit. */
  keys: Map<string, string[]>;
  /** A message id per Google account, for `/v1/gmail/messages/:id`. */
  messageIds: Map<string, string>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Tidings users and the Google accounts each connects. */
  users: ReadonlyArray<readonly string[]>;
  keysPerUser: number;
  /** Lifetime of the access tokens the sandbox issues (short: refreshes happen in the run). */
  accessTokenTtlSeconds?: number;
  telegram?: boolean;
  /** More `startApp` options (the clock is the world's). */
  start?: Omit<StartOptions, 'now'>;
}

/** Starts the stack on one clock and connects every user's accounts (before any fault). */
export async function startWorld(database: TestDatabase, options: WorldOptions): Promise<World> {
  const clock = createClock();
  const stack = await startStack(database, {
    start: { ...options.start, now: clock.now },
    googleNow: clock.now,
    ...(options.telegram ? { telegram: true } : {}),
  });
  if (options.accessTokenTtlSeconds !== undefined) {
    await stack.control('/settings', {
      method: 'PUT',
      body: { accessTokenTtlSeconds: options.accessTokenTtlSeconds },
    });
  }
  const known = new Set(['alex@example.com', 'sam@example.com']);
  for (const email of options.users.flat()) {
    if (known.has(email)) continue;
    known.add(email);
    const created = await stack.control('/users', { body: { email, name: email.split('@')[0] } });
    if (!created.ok) throw new Error(`sandbox refused user ${email}: ${created.status}`);
  }
  const apiKeys = createApiKeyStore(stack.handle.db, clock.now);
  const accounts: Account[] = [];
  const keys = new Map<string, string[]>();
  let telegramId = 7_100;
  for (const emails of options.users) {
    const user = await stack.app.parts.frontDoor.users.create({
      displayName: emails.join(' + '),
      telegramUserId: options.telegram ? String(++telegramId) : null,
    });
    for (const email of emails) {
      const result = await connectWithAutoApprove(stack, user.id, email);
      if (result.status !== 200) throw new Error(`connecting ${email} answered ${result.status}`);
    }
    const connections = await stack.app.parts.frontDoor.connections.list(user.id);
    for (const email of emails) {
      const connection = connections.find((c) => c.email === email);
      if (!connection) throw new Error(`no connection for ${email}`);
      accounts.push({ userId: user.id, email, connectionId: connection.id });
    }
    const own: string[] = [];
    for (let i = 0; i < options.keysPerUser; i++) {
      own.push((await apiKeys.create(user.id, `load ${i}`)).key);
    }
    keys.set(user.id, own);
  }
  const messageIds = new Map<string, string>();
  for (const account of accounts) {
    const key = keys.get(account.userId)![0]!;
    const found = await call(
      stack,
      key,
      `/v1/gmail/messages?pageSize=1&connection=${account.email}`,
    );
    const id = (found.body.messages as Array<{ id: string }> | undefined)?.[0]?.id;
    if (id) messageIds.set(account.email, id);
  }
  return { stack, clock, accounts, keys, messageIds, close: () => stack.close() };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  retryAfterHeader: string | null;
  /** The client gave up waiting (a hang). */
  hung: boolean;
}

/** A generous bound on one request: reaching it counts as a hang, not a slow answer. */
export const HANG_MS = 120_000;

export async function call(
  stack: Stack,
  key: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Answer> {
  try {
    const response = await fetch(`${stack.app.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${key}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { unparsed: text.slice(0, 200) };
    }
    return {
      status: response.status,
      body,
      retryAfterHeader: response.headers.get('retry-after'),
      hung: false,
    };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      return { status: 0, body: {}, retryAfterHeader: null, hung: true };
    }
    throw error;
  }
}

/** The request of round `i` for an account: the capabilities in turn, GET and POST forms. */
export function requestFor(
  world: World,
  account: Account,
  i: number,
): { path: string; method?: string; body?: unknown } {
  const at = world.clock.now();
  const day = at.toISOString().slice(0, 10);
  const c = `connection=${encodeURIComponent(account.email)}`;
  const id = world.messageIds.get(account.email);
  const mix = [
    { path: `/v1/gmail/unread?${c}` },
    { path: `/v1/gmail/messages?q=${encodeURIComponent('is:unread')}&pageSize=5&${c}` },
    id ? { path: `/v1/gmail/messages/${id}?${c}` } : { path: `/v1/gmail/messages?pageSize=2&${c}` },
    { path: `/v1/calendar/agenda?day=${day}&${c}` },
    { path: `/v1/calendar/next?${c}` },
    { path: `/v1/calendar/freebusy?from=${day}&to=${day}&${c}` },
    { path: `/v1/actions?days=7&limit=5&${c}` },
    { path: `/v1/tools/gmail.unread?${c}`, method: 'POST', body: {} },
    { path: '/v1/connections' },
  ];
  return mix[i % mix.length]!;
}

export type Verdict = 'ok' | 'retryable' | 'other' | 'internal' | 'hung';

/**
 * What an answer counts as: 200; a retryable problem (a stable code from the list, with a
 * `Retry-After` header when the body gives `retry_after`, and `retry_after` whenever Google
 * asked to slow down); `internal` for a 500; anything else is `other`.
 */
export function verdictOf(answer: Answer): Verdict {
  if (answer.hung) return 'hung';
  if (answer.status === 200) return 'ok';
  if (answer.status >= 500 && answer.body.code === 'internal_error') return 'internal';
  const code = answer.body.code;
  if (!RETRYABLE_CODES.includes(code as (typeof RETRYABLE_CODES)[number])) return 'other';
  const retryAfter = answer.body.retry_after;
  if (retryAfter !== undefined && answer.retryAfterHeader !== String(retryAfter)) return 'other';
  if (code === 'provider_rate_limited' && (answer.status !== 429 || retryAfter === undefined))
    return 'other';
  if (code === 'provider_unavailable' && answer.status !== 502) return 'other';
  return 'retryable';
}

/** Runs `count` jobs with at most `width` in flight; `job(i)` for i in 0..count-1. */
export async function inParallel(
  count: number,
  width: number,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
}

export interface ConnectionState {
  id: string;
  status: string;
  statusReason: string | null;
  failureCount: number;
  nextAttemptAt: Date | null;
  /** The stored bundle opens with the vault and holds a refresh token. */
  opens: boolean;
}

export async function connectionStates(world: World): Promise<ConnectionState[]> {
  const rows = await world.stack.handle.db
    .selectFrom('connections')
    .select([
      'id',
      'status',
      'status_reason',
      'failure_count',
      'next_attempt_at',
      'token_ciphertext',
    ])
    .orderBy('id')
    .execute();
  const states: ConnectionState[] = [];
  for (const row of rows) {
    const bundle =
      row.token_ciphertext === null
        ? 'corrupt'
        : await openTokenBundle(world.stack.app.services.vault, row.id, row.token_ciphertext);
    states.push({
      id: row.id,
      status: row.status,
      statusReason: row.status_reason,
      failureCount: row.failure_count,
      nextAttemptAt: row.next_attempt_at,
      opens: bundle !== 'corrupt' && bundle.refreshToken.length > 0,
    });
  }
  return states;
}

/** Every status change recorded, as `from>to:reason`, counted. */
export async function transitionsSeen(world: World): Promise<Record<string, number>> {
  const rows = await world.stack.handle.db
    .selectFrom('connection_events')
    .select(['from_status', 'to_status', 'reason'])
    .where('type', '=', 'status_changed')
    .execute();
  const seen: Record<string, number> = {};
  for (const row of rows) {
    const key = `${row.from_status}>${row.to_status}:${row.reason}`;
    seen[key] = (seen[key] ?? 0) + 1;
  }
  return seen;
}

/** Notifications queued per user (sent or not). */
export async function noticesPerUser(world: World): Promise<Record<string, number>> {
  const rows = await world.stack.handle.db
    .selectFrom('notifications')
    .select(['user_id', 'kind'])
    .where('kind', '<>', 'connected')
    .execute();
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.user_id] = (counts[row.user_id] ?? 0) + 1;
  return counts;
}

export async function tokenCalls(stack: Stack): Promise<number> {
  return (await stack.stats()).requests['POST /token'] ?? 0;
}

/** Adds a fault on each path prefix. */
export async function addFaults(
  stack: Stack,
  paths: readonly string[],
  fault: Record<string, unknown>,
): Promise<void> {
  for (const path of paths) {
    const added = await stack.control('/faults', { body: { path, ...fault } });
    if (added.status !== 201) throw new Error(`sandbox refused a fault: ${await added.text()}`);
  }
}

export async function clearFaults(stack: Stack): Promise<void> {
  await stack.control('/faults', { method: 'DELETE' });
}
