/**
 * Helpers for the Cross-Account Protection tests: a Google account of its own per test,
 * connected to a Tidings user with a Telegram chat; the receiver registered with the
 * Google sandbox at the app's real URL; what the database then holds for a connection
 * (row, history, notices); and tokens signed with keys the test holds, posted like a push.
 */
import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { expect } from 'vitest';
import { connectWithAutoApprove, type Stack } from '../support/stack.harness.ts';
import type { RiscDelivery } from '../../sandbox/google/index.ts';

export const CLIENT_ID = 'tidings-demo';
export const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
export const OAUTH = 'https://schemas.openid.net/secevent/oauth/event-type/';
export const SECEVENT = 'application/secevent+jwt';

export const receiverOf = (stack: Stack) => `${stack.app.url}/google/risc`;

/** Points the sandbox's stream for our client at the running app. */
export async function registerReceiver(stack: Stack, clientId = CLIENT_ID): Promise<void> {
  const response = await stack.control('/risc/receivers', {
    body: { client_id: clientId, url: receiverOf(stack) },
  });
  expect(response.status).toBe(201);
}

let counter = 0;

/** A Google account of this test's own, connected to a new Tidings user with a chat. */
export async function connectedAccount(stack: Stack, name: string) {
  counter += 1;
  const email = `${name}-${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const created = await stack.control('/users', { body: { email, name } });
  const { sub } = (await created.json()) as { sub: string };
  const user = await stack.app.parts.frontDoor.users.create({
    displayName: name,
    telegramUserId: String(5_000_000 + counter),
  });
  const connected = await connectWithAutoApprove(stack, user.id, email);
  expect(connected.status).toBe(200);
  const [connection] = await stack.app.parts.frontDoor.connections.list(user.id);
  return { email, sub, user, connection: connection! };
}

export async function connectionRow(stack: Stack, id: string) {
  return stack.handle.db
    .selectFrom('connections')
    .select(['status', 'status_reason', 'token_ciphertext', 'key_version', 'refresh_token_digest'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** A connection's history after it was connected. */
export async function historyAfterConnect(stack: Stack, id: string) {
  const rows = await stack.handle.db
    .selectFrom('connection_events')
    .select(['type', 'from_status', 'to_status', 'reason', 'detail'])
    .where('connection_id', '=', id)
    .where('type', '<>', 'connected')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    ...row,
    detail: typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail,
  }));
}

/** The broken-grant notices queued for a user (the Telegram outbox). */
export async function brokenNotices(stack: Stack, userId: string) {
  const rows = await stack.handle.db
    .selectFrom('notifications')
    .select(['kind', 'connection_id', 'payload'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'connection_broken')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    ...row,
    payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
  }));
}

export async function seenToken(stack: Stack, jti: string) {
  const row = await stack.handle.db
    .selectFrom('risc_events')
    .select(['jti', 'events'])
    .where('jti', '=', jti)
    .executeTakeFirst();
  if (!row) return null;
  return { ...row, events: typeof row.events === 'string' ? JSON.parse(row.events) : row.events };
}

export async function tokenRequests(stack: Stack) {
  const stats = await stack.stats();
  return {
    refreshGrants: stats.grants.refresh_token,
    tokenCalls: stats.requests['POST /token'] ?? 0,
  };
}

export type Delivery = RiscDelivery;

/** Pushes an event through the sandbox's control API; answers its deliveries. */
export async function pushEvent(stack: Stack, body: Record<string, unknown>): Promise<Delivery[]> {
  const response = await stack.control('/risc/events', { body });
  expect(response.status).toBe(200);
  return ((await response.json()) as { deliveries: Delivery[] }).deliveries;
}

export function delivered(stack: Stack, event: string, jti: string): Delivery {
  return {
    jti,
    client_id: CLIENT_ID,
    url: receiverOf(stack),
    event,
    status: 202,
    error: null,
    at: expect.any(String) as unknown as string,
  };
}

export async function post(url: string, body: string, contentType = SECEVENT) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: text === '' ? null : (JSON.parse(text) as unknown),
  };
}

export function digestOf(refreshToken: string): string {
  const inner = createHash('sha512').update(refreshToken).digest();
  return createHash('sha512').update(inner).digest('base64');
}

export interface TestKey {
  kid: string;
  jwk: JWK;
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

/** An RS256 key of the test's own. */
export async function testKey(kid = randomBytes(8).toString('hex')): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    jwk,
    sign: (claims, header = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'secevent+jwt', ...header })
        .sign(privateKey),
  };
}

/** The claims of a `tokens-revoked` token as Google sends them. */
export function tokensRevoked(
  issuer: string,
  sub: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    iss: issuer,
    aud: CLIENT_ID,
    iat: Math.floor(Date.now() / 1000),
    jti: randomBytes(16).toString('hex'),
    events: {
      [`${OAUTH}tokens-revoked`]: { subject: { subject_type: 'iss-sub', iss: issuer, sub } },
    },
    ...overrides,
  };
}
